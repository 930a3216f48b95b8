import Foundation

/// Where a session caches results and whether it reuses them.
public struct CachePolicy: Sendable {
    /// The cache folder; nil computes everything and writes nothing (`--no-cache`).
    public var directory: URL?
    /// Recompute every result and overwrite its entry (`--refresh`).
    public var refresh: Bool

    public init(directory: URL?, refresh: Bool = false) { self.directory = directory; self.refresh = refresh }

    /// No cache at all.
    public static let off = CachePolicy(directory: nil)
}

extension ResultCache {
    /// `1.2 MB`, `340 KB`, `12 B`, in powers of 1024 like `facet cache prune --max-size`.
    public static func bytesText(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    /// `1 entry`, `3 entries`.
    public static func entriesText(_ n: Int) -> String { n == 1 ? "1 entry" : "\(n) entries" }
}
