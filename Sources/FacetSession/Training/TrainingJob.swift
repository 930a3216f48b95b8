import FacetCache
import FacetEngine
import Foundation

/// One `train` call's work, ready for a trainer: the network (fresh weights already drawn), the
/// settings and the gathered data, with what trainers may say about it.
struct TrainingJob {
    let network: Network
    /// The net as called (`tiny()`), for progress lines.
    let label: String
    let dataName: String
    var options: TrainingOptions
    let train: LabeledData
    let valid: LabeledData?
    /// Where the call was made, for cache listings: `x.fnb cell 3, line 40: let run = train(…)`.
    let origin: String
    /// An error located at the `train` call.
    let failure: (String) -> Error
    /// Called with the state after every finished epoch (a caching trainer's checkpoint writer).
    var checkpoint: ((TrainingState) -> Void)?
    /// Called once the engine has accepted the state it resumes from (at its first progress report).
    var resumed: (() -> Void)?

    /// What a cache listing says the entry is.
    var what: String { "train \(label) on \(dataName) for \(options.epochs) epochs" }

    /// The result cache's key: the net's initial weights, the options and the data (`TrainingKey`).
    var cacheKey: String { TrainingKey.compute(network: network, options: options, train: train, valid: valid) }
}

/// How a training begins, said before any epoch runs, so a wrapper can tell other processes first.
enum TrainingStart {
    /// From the first epoch.
    case fresh
    /// From a saved state.
    case resume(TrainingState)
    /// No training: the result was restored whole (weights already in the network).
    case restored(TrainingHistory)
}

/// A stage of training. Stages wrap one another (`DistributedTrainer(CachingTrainer(EngineTrainer()))`),
/// each handling one concern and handing the rest to the stage it wraps: the engine trains, the
/// cache restores, checkpoints and stores, the ranks share work and results.
protocol JobTrainer: AnyObject {
    /// Trains `job`, from `resume` when given; `starting` hears how it begins before any work.
    func train(_ job: TrainingJob, resume: TrainingState?, starting: (TrainingStart) throws -> Void) throws -> TrainingHistory
    /// Independent runs (seeds), in order; every one ends trained in its job's network.
    func trainRuns(_ jobs: [TrainingJob]) throws -> [TrainingHistory]
    /// A result kept from an identical earlier training, restored into the job's network (nil when
    /// none), and a token to keep a result trained elsewhere under (nil: nothing is kept).
    func lookUp(_ job: TrainingJob) -> (token: String?, history: TrainingHistory?)
    /// Keeps a result another process trained for `job`, under the token `lookUp` gave.
    func keep(_ job: TrainingJob, _ history: TrainingHistory, token: String?)
}

extension JobTrainer {
    func train(_ job: TrainingJob) throws -> TrainingHistory { try train(job, resume: nil, starting: { _ in }) }
}
