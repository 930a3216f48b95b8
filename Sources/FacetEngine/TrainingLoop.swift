import FacetRandom
import Foundation

/// One training run's moving parts — the network, the optimizer, the batch order and its
/// generator, the history and the best weights so far — kept together so that after any epoch
/// they can be exported as a `TrainingState` and a later run can start from one.
final class TrainingLoop {
    let net: Network
    let data: LabeledData, validation: LabeledData?
    let options: TrainingOptions
    let heads: Set<String>
    let batch: Int, batches: Int
    let optimizer: Optimizer
    let progress: ((TrainingProgress) -> Void)?, shouldStop: (() -> Bool)?

    var rng: SeededGenerator
    /// The batch order; each epoch shuffles the previous epoch's order further.
    var order: [Int]
    var history = TrainingHistory()
    var best: (error: Double, epoch: Int, weights: [[Float]])
    var sinceBest = 0
    /// Epochs finished, by this run or by the run a checkpoint came from.
    var epochsDone = 0
    /// Seconds spent before a resume (so `history.seconds` counts the whole run).
    var earlierSeconds = 0.0
    /// Data-parallel only: whether some rank asked to stop (agreed with the last step's sums).
    var stopAgreed = false
    /// Data-parallel only: every parameter's gradient end to end, summed across ranks in one call.
    var flatGradients: [Float] = []

    init(_ net: Network, data: LabeledData, validation: LabeledData?, options: TrainingOptions,
         progress: ((TrainingProgress) -> Void)?, shouldStop: (() -> Bool)?) {
        self.net = net; self.data = data; self.validation = validation; self.options = options
        self.progress = progress; self.shouldStop = shouldStop
        heads = options.heads ?? Set(net.heads.map(\.spec.name).filter { data.targets[$0] != nil })
        batch = max(1, options.batchSize)
        batches = (data.count + batch - 1) / batch
        rng = SeededGenerator(seed: options.seed)
        net.reseed(rng.next())
        net.zeroGradients()
        optimizer = Optimizer(options.optimizer)
        // A step folded into backward updates weights before the gradients were summed across
        // ranks; data-parallel training needs the whole gradient first.
        if options.collective != nil { optimizer.foldsIntoBackward = false }
        best = (.infinity, -1, net.snapshot())
        order = Array(0..<data.count)
    }

    /// Trains the remaining epochs; `checkpoint` gets the state after each finished epoch.
    func run(checkpoint: ((TrainingState) -> Void)?) throws -> TrainingHistory {
        let runStart = Date()
        if let c = options.collective { shareWeights(from: 0, c) }
        // A checkpoint written after the epoch that stopped the run early has nothing left to do.
        var epoch = history.stoppedEarly ? options.epochs : epochsDone
        while epoch < options.epochs {
            guard let record = try trainEpoch(epoch) else { history.interrupted = true; break }
            let stop = try finishEpoch(record)
            epochsDone = epoch + 1
            history.seconds = earlierSeconds + Date().timeIntervalSince(runStart)
            checkpoint?(state)
            if stop { break }
            epoch += 1
        }
        if validation != nil, best.epoch > 0 { net.restore(best.weights) }
        history.bestEpoch = best.epoch > 0 ? best.epoch : nil
        history.seconds = earlierSeconds + Date().timeIntervalSince(runStart)
        return history
    }

    /// One pass over the shuffled training data; nil when a stop request cut it short.
    private func trainEpoch(_ epoch: Int) throws -> EpochRecord? {
        let lr = options.learningRate.rate(epoch: epoch)
        let epochStart = Date(), n = data.count
        rng.shuffle(&order)
        var lossSum = 0.0, seen = 0
        for b in 0..<batches {
            if options.collective != nil ? stopAgreed : shouldStop?() == true { return nil }
            let idx = Array(order[(b * batch)..<min(n, (b + 1) * batch)])
            let loss = try options.collective.map { try parallelStep(idx, $0, epoch: epoch, batch: b, learningRate: lr) }
                ?? step(idx, epoch: epoch, batch: b, learningRate: lr)
            lossSum += loss * Double(idx.count); seen += idx.count
            progress?(TrainingProgress(epoch: epoch + 1, epochs: options.epochs, batch: b + 1, batches: batches,
                                       loss: lossSum / Double(seen),
                                       imagesPerSecond: Double(seen) / max(1e-9, Date().timeIntervalSince(epochStart)),
                                       validationError: nil, epochFinished: false))
        }
        return EpochRecord(epoch: epoch + 1, learningRate: lr, trainLoss: lossSum / Double(max(seen, 1)),
                           validationError: nil, seconds: Date().timeIntervalSince(epochStart))
    }

    /// Forward, backward and an optimizer step on samples `idx`; returns the summed head losses.
    /// A non-finite loss restores the best weights and throws.
    private func step(_ idx: [Int], epoch: Int, batch b: Int, learningRate lr: Double) throws -> Double {
        let x = data.inputs.gather(idx)
        var targets: [String: HeadTargets] = [:]
        for head in net.heads where heads.contains(head.spec.name) {
            targets[head.spec.name] = data.targets[head.spec.name]?.gather(idx, width: head.spec.kind.outputs)
        }
        optimizer.prepare(net.parameters, learningRate: lr)
        let losses: [String: Double]
        do { losses = try net.accumulateGradients(x, targets: targets, only: heads) } catch {
            optimizer.abandon(net.parameters)
            throw error
        }
        let loss = losses.values.reduce(0, +)
        if !loss.isFinite {
            let bad = losses.first { !$0.value.isFinite }!
            net.restore(best.weights)
            optimizer.abandon(net.parameters)
            net.zeroGradients()
            throw EngineError.nonFiniteLoss(epoch: epoch + 1, batch: b + 1, head: bad.key, value: bad.value)
        }
        optimizer.step(net.parameters, learningRate: lr)
        return loss
    }

    /// Validates, keeps the best weights, records the epoch and reports it; true when early
    /// stopping ends the run here.
    private func finishEpoch(_ finished: EpochRecord) throws -> Bool {
        var record = finished
        if let validation {
            let err = try options.collective.map { try parallelValidationError(validation, $0) }
                ?? Trainer.validationError(net, validation, heads: heads, batchSize: batch)
            record.validationError = err
            if err < best.error {
                best = (err, record.epoch, net.snapshot()); sinceBest = 0
            } else {
                sinceBest += 1
            }
        } else {
            best = (record.trainLoss, record.epoch, [])
        }
        history.epochs.append(record)
        if let c = options.collective { try checkWeightsAgree(c, epoch: record.epoch) }
        progress?(TrainingProgress(epoch: record.epoch, epochs: options.epochs, batch: batches, batches: batches,
                                   loss: record.trainLoss,
                                   imagesPerSecond: Double(data.count) / max(1e-9, record.seconds),
                                   validationError: record.validationError, epochFinished: true))
        if let patience = options.patience, validation != nil, sinceBest >= patience {
            history.stoppedEarly = true
        }
        return history.stoppedEarly
    }
}
