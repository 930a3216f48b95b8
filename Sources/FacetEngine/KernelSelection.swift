import Foundation

/// Picks OpenBLAS kernels when the library fell back to generic ones.
///
/// Debian 12's OpenBLAS 0.3.21 does not know some recent CPUs and then runs its generic
/// (Prescott-class) kernels at about a fifth of the speed. `OPENBLAS_CORETYPE` fixes that, but
/// OpenBLAS reads it only when it loads, so the `facet` executable re-executes itself with the
/// variable set (see `facet`'s entry point). `FACET_BLAS_CORETYPE=keep` opts out.
public enum KernelSelection {
    /// Kernel families OpenBLAS reports when it did not recognise the CPU.
    public static let genericCoreNames: Set<String> = ["prescott", "core2", "katmai", "coppermine",
                                                       "northwood", "banias", "atom", "generic", "unknown"]

    /// The core type to force, or nil when the loaded kernels already fit the CPU.
    /// - Parameters:
    ///   - coreName: what `openblas_get_corename()` returned.
    ///   - cpuFlags: the CPU's feature flags (as in /proc/cpuinfo), lower-case.
    public static func recommendedCoreType(coreName: String, cpuFlags: Set<String>) -> String? {
        guard genericCoreNames.contains(coreName.lowercased()) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        if cpuFlags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// Feature flags of the first CPU in /proc/cpuinfo (empty where that file does not exist).
    public static func cpuFlags(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) -> Set<String> {
        guard let text = cpuinfo else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map { String($0).lowercased() })
        }
        return []
    }

    /// The environment a re-executed process should get, or nil to carry on as is.
    /// Respects a user's own `OPENBLAS_CORETYPE` and the `FACET_BLAS_CORETYPE=keep` opt-out;
    /// `FACET_BLAS_CORETYPE=NAME` forces a kernel family.
    public static func reexecEnvironment(current env: [String: String], coreName: String,
                                         cpuFlags: Set<String>) -> [String: String]? {
        if env["OPENBLAS_CORETYPE"] != nil || env["FACET_BLAS_REEXEC"] != nil { return nil }
        let choice = env["FACET_BLAS_CORETYPE"]
        if choice?.lowercased() == "keep" { return nil }
        guard let core = choice ?? recommendedCoreType(coreName: coreName, cpuFlags: cpuFlags) else { return nil }
        var out = env
        out["OPENBLAS_CORETYPE"] = core
        out["FACET_BLAS_REEXEC"] = coreName  // remembers what was replaced, and stops a loop
        return out
    }
}
