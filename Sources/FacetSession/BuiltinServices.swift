import FacetEngine
import FacetLang

// MARK: what a builtin family may be given
//
// Each family (`KernelBuiltins.swift`) holds only the services it uses, as these small protocols;
// the session conforms to all of them. Families hold them `unowned`: the session retires its
// builtins when it ends, so no builtin keeps it alive.

/// Seeds for random consumers: the session's stream, and the fixed seeds of `seeds:` replicates.
protocol SeedSource: AnyObject {
    /// A seed for the next random consumer (a data set, a net's initialisation, a training run).
    func nextSeed() -> UInt64
    /// The weights (stream 1) or trainer (stream 2) seed of replicate `seed` of `train(..., seeds:)`.
    func replicateSeed(_ seed: UInt64, stream: UInt64) -> UInt64
}

extension SeedSource {
    /// A builtin's `seed:` argument, checked the same way everywhere (`BoundArguments.seed`), or
    /// the next seed of the stream when it is absent.
    func seedArgument(_ args: BoundArguments, _ name: String = "seed") throws -> UInt64 {
        try args.seed(name) ?? nextSeed()
    }
}

/// Where long work draws its progress bars.
protocol ProgressSource: AnyObject {
    func progressBar(label: String, total: Int) -> ProgressBar
}

/// Where the data sets a session loaded are noted, with their fingerprints (the report footer).
protocol DataRegistry: AnyObject {
    func noteData(_ name: String, fingerprint: String)
}

/// What `train` needs beyond seeds: the pipeline to train through, whether ranks share the work,
/// where a call was made (for cache listings), and a tally of runs trained under `seeds:`.
protocol TrainingService: AnyObject {
    /// The training pipeline: the engine, through the result cache, across ranks.
    func trainer() -> any JobTrainer
    /// Whether several ranks run this session (`train`'s `parallel:` then applies).
    var underRanks: Bool { get }
    /// `x.fnb cell 3, line 40: let run = train(…)`.
    func callOrigin(_ ctx: CallContext) -> String
    /// Counts runs trained by `train(..., seeds:)` (the report footer then says what a seed varies).
    func noteSeedRuns(_ count: Int)
}

/// What the output family needs: render a value into the output, and warn.
protocol ValueOutput: AnyObject {
    func show(_ value: Value)
    func warn(_ message: String)
}

extension Session: SeedSource, ProgressSource, DataRegistry, TrainingService, ValueOutput {}
