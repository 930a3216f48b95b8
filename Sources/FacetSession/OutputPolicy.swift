import FacetCache
import FacetEngine
import Foundation

/// Who writes when the same program runs as several ranks (docs/distributed.md): rank 0, or the
/// only process, prints, draws progress, writes reports, saved models and cache entries; the
/// other ranks run the same work silently. Front ends and builtins ask this policy, never a rank
/// number.
public struct OutputPolicy {
    /// The ranks this process is one of; nil for a single process.
    public let collective: (any Collective)?

    public init(collective: (any Collective)?) { self.collective = collective }

    /// Whether this process writes (rank 0, or no ranks at all).
    public var writes: Bool { (collective?.rank ?? 0) == 0 }

    /// `style` for the writer; quiet on the other ranks.
    public func progress(_ style: ProgressBar.Style) -> ProgressBar.Style { writes ? style : .quiet }

    /// `policy` for the writer; the other ranks neither read nor write the cache (rank 0 decides for them).
    public func cache(_ policy: CachePolicy) -> CachePolicy { writes ? policy : .off }

    /// `write` for the writer; a function that drops its text on the other ranks.
    public func writer(_ write: @escaping (String) -> Void) -> (String) -> Void { writes ? write : { _ in } }

    /// A line on stderr, from the writer only.
    public func printError(_ line: String) {
        if writes { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
