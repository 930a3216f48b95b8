import FacetEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS reads OPENBLAS_CORETYPE only when it loads, which happens before `main`. When it fell
/// back to generic kernels on a CPU it did not recognise, re-execute this process with the variable
/// set (see `KernelSelection`). `FACET_BLAS_CORETYPE=keep` opts out.
enum BLASBootstrap {
    static func reexecIfNeeded() {
        let env = ProcessInfo.processInfo.environment
        guard let newEnv = KernelSelection.reexecEnvironment(current: env, coreName: Engine.blasCoreName,
                                                             cpuFlags: KernelSelection.cpuFlags()) else { return }
        let args = CommandLine.arguments
        var cArgs = args.map { strdup($0) } + [nil]
        var cEnv = newEnv.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve("/proc/self/exe", &cArgs, &cEnv)
        // Only reached when exec failed: carry on with the generic kernels, and say so.
        FileHandle.standardError.write(Data("facet: could not re-execute with OPENBLAS_CORETYPE=\(newEnv["OPENBLAS_CORETYPE"]!) (errno \(errno)); using \(Engine.blasCoreName) kernels\n".utf8))
    }

    /// What `facet bench` prints about kernel selection.
    static var summary: String {
        let env = ProcessInfo.processInfo.environment
        if let replaced = env["FACET_BLAS_REEXEC"] {
            return "\(Engine.blasCoreName) (OpenBLAS chose \(replaced); Facet set OPENBLAS_CORETYPE)"
        }
        if env["OPENBLAS_CORETYPE"] != nil { return "\(Engine.blasCoreName) (from OPENBLAS_CORETYPE)" }
        return "\(Engine.blasCoreName) (detected by OpenBLAS)"
    }
}
