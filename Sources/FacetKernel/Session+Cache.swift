import FacetEngine
import FacetLang
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

/// What one `train` call did with the cache.
public struct CacheEvent: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The result came from the cache.
        case hit
        /// Trained from the start and stored.
        case trained
        /// Continued from a checkpoint after `epoch` epochs, then stored.
        case resumed(epoch: Int)
        /// Trained without the cache (off, or unusable).
        case uncached
        /// Stopped by a signal before it finished; nothing was stored (its checkpoint remains).
        case interrupted
    }
    /// The key, nil when the cache was off.
    public var key: String?
    public var what: String
    public var outcome: Outcome
}

extension Session {
    /// A warning in the output (and on stderr when `warningsToStderr`): something went wrong that
    /// the run recovered from, such as a damaged cache entry that was removed and recomputed.
    func warn(_ message: String) {
        emit(.warning(message))
        if warningsToStderr { FileHandle.standardError.write(Data("facet: warning: \(message)\n".utf8)) }
    }

    /// "2 from cache, 1 trained" — how many results were reused and computed; nil before any.
    public var cacheCounts: String? {
        guard !cacheEvents.isEmpty else { return nil }
        let hits = cacheEvents.filter { $0.outcome == .hit }.count
        let resumed = cacheEvents.filter { if case .resumed = $0.outcome { return true } else { return false } }.count
        let stopped = cacheEvents.filter { $0.outcome == .interrupted }.count
        var text = "\(hits) from cache, \(cacheEvents.count - hits - stopped) trained"
        if resumed > 0 { text += " (\(resumed) resumed from a checkpoint)" }
        if stopped > 0 { text += ", \(stopped) interrupted" }
        if cachePolicy.directory == nil { text += "; cache off" } else if cachePolicy.refresh { text += "; refreshed" }
        return text
    }

    /// What `:cache` prints: the folder, this session's hits and misses, one line per `train`.
    public var cacheReport: String {
        guard let directory = cachePolicy.directory else {
            return "cache off (--no-cache)" + (cacheCounts.map { "; this session: \($0)" } ?? "")
        }
        let entries = ResultCache(directory: directory).entries()
        var lines = ["cache: \(directory.path) (\(Self.entries(entries.count)), \(Self.bytes(entries.reduce(0) { $0 + $1.bytes })))"]
        lines.append("this session: " + (cacheCounts ?? "no training yet"))
        for e in cacheEvents {
            let outcome: String
            switch e.outcome {
            case .hit: outcome = "hit"
            case .trained: outcome = "trained"
            case let .resumed(k): outcome = "resumed at \(k)"
            case .uncached: outcome = "uncached"
            case .interrupted: outcome = "interrupted"
            }
            lines.append("  \(outcome.padding(toLength: 12, withPad: " ", startingAt: 0)) \(e.key.map { String($0.prefix(12)) } ?? "-")  \(e.what)")
        }
        return lines.joined(separator: "\n")
    }

    /// `1.2 MB`, `340 KB`, `12 B`, in powers of 1024 like `facet cache prune --max-size`.
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    /// `1 entry`, `3 entries`.
    public static func entries(_ n: Int) -> String { n == 1 ? "1 entry" : "\(n) entries" }

    /// Where a call was made, for cache listings: `x.fnb cell 3, line 40: let run = train(…)`.
    func cacheOrigin(_ ctx: CallContext) -> String {
        let line = ctx.range.line
        var text = ctx.range.file.lineText(line).trimmingCharacters(in: .whitespaces)
        if text.count > 60 { text = String(text.prefix(57)) + "..." }
        return "\(ctx.range.file.name)\(origin.map { " \($0)" } ?? ""), line \(line): \(text)"
    }
}
