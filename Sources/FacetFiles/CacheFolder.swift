import Foundation

/// Where Facet keeps what it can recompute (aligned crops, trained results, checkpoints).
public enum CacheFolder {
    /// The variables that move it, in the order they are read; help texts quote this list.
    public static let rule = "$FACET_CACHE_DIR, else $FACET_CACHE, else $XDG_CACHE_HOME/facet, else ~/.cache/facet"

    /// `$FACET_CACHE_DIR`, else `$FACET_CACHE` (the older name, so one setting moves every cache),
    /// else `$XDG_CACHE_HOME/facet`, else `~/.cache/facet`.
    public static func base(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        for name in ["FACET_CACHE_DIR", "FACET_CACHE"] {
            if let dir = environment[name], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("facet") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/facet")
    }
}
