import Foundation

/// How much memory a net may need before Facet refuses it: the machine's physical memory, read
/// at run time, or `FACET_MEMORY_LIMIT` (bytes, or with a binary suffix: `512M`, `8G`). Every
/// check of a net's size (the checker, `instantiate`, `train`, `load`, `facet predict`,
/// `facet bench`) compares with this one number, so none of them starts an allocation that
/// would abort the process.
public struct MemoryLimit: Equatable, Sendable {
    public var bytes: Double
    /// Where the number came from, as error messages name it.
    public var source: String

    public init(bytes: Double, source: String) { self.bytes = bytes; self.source = source }

    /// The environment variable that replaces physical memory (tests use it to make limits small).
    public static let variable = "FACET_MEMORY_LIMIT"

    /// Replaces the environment and physical memory in this process (tests of the language).
    nonisolated(unsafe) public static var override: MemoryLimit?

    /// The limit in force now: the override, `FACET_MEMORY_LIMIT`, or physical memory.
    public static var current: MemoryLimit {
        if let override { return override }
        let physical = MemoryLimit(bytes: physicalMemory, source: "physical memory")
        guard let text = ProcessInfo.processInfo.environment[variable] else { return physical }
        guard let bytes = parse(text) else {
            // A typo must not silently lift the limit, nor make every net fail: say so in each message.
            return MemoryLimit(bytes: physical.bytes,
                               source: "physical memory; \(variable)=\(text) is not a size such as 512M or 8G")
        }
        return MemoryLimit(bytes: bytes, source: variable)
    }

    /// Physical memory: sysconf(_SC_PHYS_PAGES) × page size.
    public static var physicalMemory: Double {
        Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `1048576`, `64K`, `512M`, `8G`, `1T` (binary multiples; a trailing `B` or `iB` is allowed).
    public static func parse(_ text: String) -> Double? {
        var s = text.trimmingCharacters(in: .whitespaces).uppercased()
        if s.hasSuffix("IB") { s.removeLast(2) } else if s.hasSuffix("B") { s.removeLast() }
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var scale = 1.0
        if let last = s.last, let u = units[last] { scale = u; s.removeLast() }
        guard let v = Double(s), v.isFinite, v > 0 else { return nil }
        return v * scale
    }

    /// "the memory limit of 23.5 GiB (physical memory)"
    public var described: String { "the memory limit of \(formatBytes(bytes)) (\(source))" }
}

/// `9216` → `9.0 KiB`; whole bytes below 1 KiB.
public func formatBytes(_ n: Double) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var v = n, u = 0
    while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
    return u == 0 ? "\(Int(n)) B" : String(format: "%.1f %@", v, units[u])
}

// MARK: - Data

extension MemoryLimit {
    /// Why `bytes` for `what` ("1000000000 synthetic faces of 48×48") do not fit, or nil: the one
    /// check every allocation in proportion to user input (data sets, images, grids, tensors)
    /// makes before it starts, so a size that cannot fit is an error and never an abort.
    public func problem(bytes: Double, for what: String) -> String? {
        guard !(bytes <= self.bytes) else { return nil }   // NaN and ∞ refused too
        return "\(what) need \(formatBytes(bytes)), more than \(described)"
    }
}
