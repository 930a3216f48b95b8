import FacetRandom
import Foundation

/// Everything a training run carries from one epoch to the next, taken after a finished epoch:
/// restoring it into a fresh `Trainer.train` call with the same network, data and options
/// continues exactly where the run stopped. `TrainingCheckpoint` (FacetWeights) writes it to a file.
public struct TrainingState: Equatable, Sendable {
    /// Epochs finished.
    public var epochsDone: Int
    /// Parameter values, in `Network.namedParameters` order.
    public var weights: [[Float]]
    public var optimizer: OptimizerState
    /// The trainer's generator (batch order) and each dropout layer's, in layer order.
    public var generator: UInt64
    public var dropout: [UInt64]
    /// The batch order after the last shuffle (each epoch shuffles it further).
    public var order: [Int]
    public var history: TrainingHistory
    /// Early stopping: the best validation error so far, its epoch (−1: none yet), its weights
    /// (empty without validation data) and the epochs since it.
    public var bestError: Double
    public var bestEpoch: Int
    public var bestWeights: [[Float]]
    public var epochsSinceBest: Int

    public init(epochsDone: Int, weights: [[Float]], optimizer: OptimizerState, generator: UInt64, dropout: [UInt64],
                order: [Int], history: TrainingHistory, bestError: Double, bestEpoch: Int, bestWeights: [[Float]],
                epochsSinceBest: Int) {
        self.epochsDone = epochsDone; self.weights = weights; self.optimizer = optimizer; self.generator = generator
        self.dropout = dropout; self.order = order; self.history = history; self.bestError = bestError
        self.bestEpoch = bestEpoch; self.bestWeights = bestWeights; self.epochsSinceBest = epochsSinceBest
    }
}

/// A state that does not belong to this run (another net, data set or option set).
public struct TrainingStateMismatch: Error, CustomStringConvertible {
    public var description: String
}

extension TrainingLoop {
    /// The state after the last finished epoch.
    var state: TrainingState {
        TrainingState(epochsDone: epochsDone, weights: net.snapshot(), optimizer: optimizer.state(of: net.parameters),
                      generator: rng.state, dropout: net.dropoutStates, order: order, history: history,
                      bestError: best.error, bestEpoch: best.epoch, bestWeights: best.weights,
                      epochsSinceBest: sinceBest)
    }

    /// Continues from `state`; throws `TrainingStateMismatch` when it cannot be this run's.
    func restore(_ state: TrainingState) throws {
        let sizes = net.parameters.map(\.value.count)
        func fits(_ w: [[Float]]) -> Bool { w.map(\.count) == sizes }
        guard fits(state.weights), fits(state.optimizer.first), state.optimizer.second.isEmpty || fits(state.optimizer.second),
              state.bestWeights.isEmpty || fits(state.bestWeights) else {
            throw TrainingStateMismatch(description: "the saved weights do not fit this net")
        }
        // The batch order must be a permutation of the samples: an index out of range would crash
        // the gather, a repeated one would silently train on the wrong samples.
        guard state.order.count == data.count, Set(state.order) == Set(0..<data.count),
              state.dropout.count == net.dropoutStates.count,
              (0...options.epochs).contains(state.epochsDone), state.history.epochs.count == state.epochsDone else {
            throw TrainingStateMismatch(description: "the saved state does not fit this data set or these settings")
        }
        net.restore(state.weights)
        optimizer.restore(state.optimizer, for: net.parameters)
        rng.state = state.generator
        net.dropoutStates = state.dropout
        order = state.order
        history = state.history
        best = (state.bestError, state.bestEpoch, state.bestWeights)
        sinceBest = state.epochsSinceBest
        epochsDone = state.epochsDone
        earlierSeconds = state.history.seconds
    }
}
