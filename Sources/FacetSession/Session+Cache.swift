import FacetCache
import FacetEngine
import FacetLang
import Foundation

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
    /// How long the run's training took (for a hit: as recorded when it was trained); nil when not
    /// known (a run trained without the cache is recorded before it trains).
    public var seconds: Double?

    public init(key: String?, what: String, outcome: Outcome, seconds: Double? = nil) {
        self.key = key; self.what = what; self.outcome = outcome; self.seconds = seconds
    }
}

extension Session {
    /// "2 from cache, 1 trained" — how many results were reused and computed; nil before any.
    public var cacheCounts: String? {
        guard !cacheEvents.isEmpty else { return nil }
        let hits = cacheHits
        let resumed = cacheEvents.filter { if case .resumed = $0.outcome { return true } else { return false } }.count
        let stopped = cacheEvents.filter { $0.outcome == .interrupted }.count
        var text = "\(hits) from cache, \(cacheEvents.count - hits - stopped) trained"
        if resumed > 0 { text += " (\(resumed) resumed from a checkpoint)" }
        if stopped > 0 { text += ", \(stopped) interrupted" }
        if cachePolicy.directory == nil { text += "; cache off" } else if cachePolicy.refresh { text += "; refreshed" }
        return text
    }

    /// Results this session took from the cache.
    private var cacheHits: Int { cacheEvents.filter { $0.outcome == .hit }.count }

    /// "the 60 runs' training took 1 h 12 min in all, 58 of them in earlier sessions (as the cache
    /// recorded it)": what the runs of this session cost, including those restored from the cache
    /// (whose cost the wall time no longer shows); nil when no run came from the cache or a run's
    /// time is unknown.
    public var trainingTimeText: String? {
        let hits = cacheHits
        guard hits > 0 else { return nil }
        let times = cacheEvents.compactMap(\.seconds)
        guard times.count == cacheEvents.count else { return nil }
        let runs = cacheEvents.count == 1 ? "the run's" : "the \(cacheEvents.count) runs'"
        return "\(runs) training took \(ProgressBar.duration(times.reduce(0, +))) in all, "
            + (hits == cacheEvents.count ? "all" : "\(hits) of them") + " in earlier sessions (as the cache recorded it)"
    }

    /// What `:cache` prints: the folder, this session's hits and misses, one line per `train`.
    public var cacheReport: String {
        guard let directory = cachePolicy.directory else {
            return "cache off (--no-cache)" + (cacheCounts.map { "; this session: \($0)" } ?? "")
        }
        let entries = ResultCache(directory: directory).entries()
        var lines = ["cache: \(directory.path) (\(ResultCache.entriesText(entries.count)), \(ResultCache.bytesText(entries.reduce(0) { $0 + $1.bytes })))"]
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
}
