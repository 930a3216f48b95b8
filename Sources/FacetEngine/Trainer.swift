import FacetRandom
import Foundation

/// Inputs with targets for some or all of a network's heads.
public struct LabeledData: Sendable {
    public var inputs: Tensor                 // [N, C, H, W]
    public var targets: [String: HeadTargets] // per head name
    public init(inputs: Tensor, targets: [String: HeadTargets]) { self.inputs = inputs; self.targets = targets }
    public var count: Int { inputs.batchSize }
}

/// Everything that shapes one training run.
public struct TrainingOptions: Sendable {
    public var epochs = 50
    public var batchSize = 100
    public var optimizer = OptimizerKind.paperSGD
    public var learningRate = LearningRateSchedule.paper
    /// Stop when the validation error has not improved for this many epochs (nil: never).
    public var patience: Int?
    /// Seeds shuffling and dropout; the same seed and data give bit-identical weights.
    public var seed: UInt64 = 0
    /// Train only these heads (nil: every head that has targets).
    public var heads: Set<String>?
    /// Ranks to train with in data-parallel (`TrainingLoop+DataParallel.swift`); nil: this process
    /// alone, the plain path. Every rank must call `train` with the same data and options.
    public var collective: (any Collective)?
    public init() {}
}

/// One report to a progress callback: after each batch, and at the end of each epoch.
public struct TrainingProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    /// Mean training loss over the epoch so far.
    public var loss: Double
    public var imagesPerSecond: Double
    /// Set at the end of an epoch when there is validation data.
    public var validationError: Double?
    public var epochFinished: Bool
}

/// What happened in one epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var epoch: Int
    public var learningRate: Double
    public var trainLoss: Double
    /// Mean over trained heads of: error rate (softmax), per-label error (sigmoid), MSE (regress).
    public var validationError: Double?
    public var seconds: Double
}

/// The record of a training run.
public struct TrainingHistory: Sendable, Equatable, Codable {
    public var epochs: [EpochRecord] = []
    /// Epoch whose weights the network holds at the end (the best on validation).
    public var bestEpoch: Int?
    public var stoppedEarly = false
    public var interrupted = false
    public var seconds = 0.0
    public init() {}
}

/// Mini-batch training with seeded shuffling, per-epoch validation, early stopping and
/// restoration of the best weights. Refuses (`EngineError.memory`) before its first step when a
/// step would not fit the memory limit.
///
/// A run can be checkpointed after every epoch (`checkpoint` receives the whole `TrainingState`)
/// and resumed from such a state (`resume`): on the same thread count it then ends with weights
/// bit-identical to a run that was never interrupted.
public enum Trainer {
    public static func train(_ net: Network, on data: LabeledData, validation: LabeledData? = nil,
                             options: TrainingOptions, resume: TrainingState? = nil,
                             progress: ((TrainingProgress) -> Void)? = nil,
                             shouldStop: (() -> Bool)? = nil,
                             checkpoint: ((TrainingState) -> Void)? = nil) throws -> TrainingHistory {
        try validate(net, data, options)
        if let validation { try validate(net, validation, options) }
        let batch = max(1, options.batchSize)
        try net.spec.memory(.training(batch: min(batch, data.count), optimizer: options.optimizer)).check()
        let loop = TrainingLoop(net, data: data, validation: validation, options: options,
                                progress: progress, shouldStop: shouldStop)
        if let resume { try loop.restore(resume) }
        return try loop.run(checkpoint: checkpoint)
    }

    /// Mean over `heads` of each head's validation error (see `EpochRecord.validationError`).
    public static func validationError(_ net: Network, _ data: LabeledData, heads: Set<String>,
                                       batchSize: Int = 100) throws -> Double {
        meanError(try errorSums(net, data, heads: heads, batchSize: batchSize))
    }

    /// Per trained head (in the net's order): its summed error and how many entries it is over.
    /// Sums over parts of a data set add up to the whole's (data-parallel validation).
    static func errorSums(_ net: Network, _ data: LabeledData, heads: Set<String>,
                          batchSize: Int) throws -> [(wrong: Double, count: Int)] {
        let outputs = try net.predict(data.inputs, batchSize: batchSize)
        return net.heads.filter { heads.contains($0.spec.name) }.map { head in
            guard let out = outputs[head.spec.name], let t = data.targets[head.spec.name] else { return (0, 0) }
            return errorSum(kind: head.spec.kind, outputs: out, targets: t)
        }
    }

    /// The mean over heads that have labelled entries of wrong / count; infinity when none has.
    static func meanError(_ sums: [(wrong: Double, count: Int)]) -> Double {
        let errors = sums.filter { $0.count > 0 }.map { $0.wrong / Double($0.count) }
        return errors.isEmpty ? .infinity : errors.reduce(0, +) / Double(errors.count)
    }

    /// Error of one head's outputs against its targets, over labelled entries (nil: none labelled).
    public static func headError(kind: HeadKind, outputs: Tensor, targets: HeadTargets) -> Double? {
        let (wrong, count) = errorSum(kind: kind, outputs: outputs, targets: targets)
        return count == 0 ? nil : wrong / Double(count)
    }

    /// Wrong entries (squared error for regression) summed over labelled entries, and their count.
    static func errorSum(kind: HeadKind, outputs: Tensor, targets: HeadTargets) -> (wrong: Double, count: Int) {
        let k = kind.outputs, n = outputs.batchSize
        var wrong = 0.0, count = 0
        switch (kind, targets) {
        case let (.softmax, .classes(labels)):
            for r in 0..<n where labels[r] >= 0 {
                var arg = 0
                for j in 1..<k where outputs.data[r * k + j] > outputs.data[r * k + arg] { arg = j }
                if arg != Int(labels[r]) { wrong += 1 }
                count += 1
            }
        case let (.sigmoid, .multiLabel(t)):
            for i in 0..<(n * k) where !(t[i].isNaN || t[i] == -1) {
                if (outputs.data[i] >= 0.5 ? 1 : 0) != t[i] { wrong += 1 }
                count += 1
            }
        case let (.regress, .values(t)):
            for i in 0..<(n * k) where !t[i].isNaN {
                let d = Double(outputs.data[i] - t[i]); wrong += d * d; count += 1
            }
        default: break
        }
        return (wrong, count)
    }

    static func validate(_ net: Network, _ data: LabeledData, _ options: TrainingOptions) throws {
        try net.checkInput(data.inputs)
        for head in net.heads {
            guard let t = data.targets[head.spec.name] else {
                if options.heads?.contains(head.spec.name) == true { throw EngineError.missingTargets(head: head.spec.name) }
                continue
            }
            let count = t.sampleCount(width: head.spec.kind.outputs)
            if count != data.count { throw EngineError.targetCount(head: head.spec.name, expected: data.count, got: count) }
        }
    }
}
