import FacetEngine
import FacetLang
import Foundation

/// A session run as one of several MPI ranks (docs/distributed.md). Every rank runs the whole
/// notebook with the same seed, so all hold the same values; `train` spreads its work over them
/// through a `DistributedTrainer`, and `output` (an `OutputPolicy`) says who writes.
extension Session {
    /// The ranks, when there is more than one.
    var ranks: (any Collective)? { collective.flatMap { $0.size > 1 ? $0 : nil } }

    /// Who writes: progress, report, figures, saved models and cache entries.
    public var output: OutputPolicy { OutputPolicy(collective: collective) }

    /// Whether several ranks run this session.
    var underRanks: Bool { ranks != nil }

    // MARK: cells that fail on some ranks only

    /// After each cell under several ranks: the ranks compare whether it succeeded. When they
    /// differ (or a rank does not answer within `seconds`: it is stuck in a collective the failed
    /// rank never reached), a failed rank prints `facet: rank R failed: MESSAGE` and ends the job.
    /// A cell that fails on every rank is an ordinary failed cell.
    public func agreeOnCell(failed: Bool, message: String, seconds: Double = 5) {
        guard let c = ranks else { return }
        let answers = c.agree(!failed, within: seconds)
        if let answers, Set(answers).count == 1 { return }
        if failed { c.abort("facet: rank \(c.rank) failed: \(message)") }
        // This rank succeeded; a failed one is printing its message and aborting the job.
        sleep(UInt32(seconds) + 5)
        let failedRanks = answers.map { a in a.indices.filter { !a[$0] } } ?? []
        c.abort("facet: rank \(failedRanks.first.map(String.init) ?? "?") failed")
    }
}
