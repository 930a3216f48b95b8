import FacetRandom
import Foundation

/// Labels for one head over a batch. Missing labels mask that sample's loss for this head.
public enum HeadTargets: Sendable, Equatable {
    /// Softmax heads: class index per sample, −1 = missing.
    case classes([Int32])
    /// Sigmoid heads: N×K values in {0, 1}, NaN or −1 = missing.
    case multiLabel([Float])
    /// Regression heads: N×K real targets, NaN = missing.
    case values([Float])

    /// Samples at `indices`, in that order; `width` is the head's output count.
    public func gather(_ indices: [Int], width: Int) -> HeadTargets {
        switch self {
        case let .classes(c): return .classes(indices.map { c[$0] })
        case let .multiLabel(v): return .multiLabel(indices.flatMap { v[($0 * width)..<(($0 + 1) * width)] })
        case let .values(v): return .values(indices.flatMap { v[($0 * width)..<(($0 + 1) * width)] })
        }
    }

    /// Number of samples these targets describe.
    public func sampleCount(width: Int) -> Int {
        switch self {
        case let .classes(c): return c.count
        case let .multiLabel(v), let .values(v): return width == 0 ? 0 : v.count / width
        }
    }
}

/// A loss at the end of a head: turns logits into outputs and gives d(loss)/d(logits).
protocol HeadLoss {
    /// logits: [N, K] → outputs [N, K] (probabilities, sigmoid values or the values themselves).
    func activate(_ logits: Tensor) -> Tensor
    /// Mean loss over the samples that carry a label, their count, and the logits' gradient.
    func lossAndGradient(logits: Tensor, targets: HeadTargets, head: String) throws -> (loss: Double, labelled: Int, grad: Tensor)
    /// What the mean loss divides by for these targets (labelled samples, or present entries for
    /// MSE); `width` is the head's output count. Data-parallel training weighs ranks by it.
    func meanCount(_ targets: HeadTargets, width: Int) -> Int
}

/// One output of a network: a linear map from the trunk's features, then its loss.
public final class Head {
    public let spec: HeadSpec
    public let linear: Dense
    let loss: HeadLoss

    init(spec: HeadSpec, features: FeatureShape, rng: inout SeededGenerator) {
        self.spec = spec
        // Glorot-normal: the head feeds a softmax/sigmoid, not a ReLU.
        let std = (2.0 / Float(features.count + spec.kind.outputs)).squareRoot()
        linear = Dense(input: features, units: spec.kind.outputs, std: std, rng: &rng)
        switch spec.kind {
        case .softmax: loss = SoftmaxNLL()
        case .sigmoid: loss = SigmoidBCE()
        case .regress: loss = LinearMSE()
        }
    }

    public var parameters: [Parameter] { linear.parameters }

    /// What this head's mean loss over `targets` divides by (see `HeadLoss.meanCount`).
    func meanCount(_ targets: HeadTargets) -> Int { loss.meanCount(targets, width: spec.kind.outputs) }

    /// features: [N, F] → outputs: [N, K].
    public func forward(_ features: Tensor, training: Bool) -> (logits: Tensor, outputs: Tensor) {
        let logits = linear.forward(features, training: training)
        return (logits, loss.activate(logits))
    }
}

/// Errors the engine reports about its inputs and training.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case badLabel(head: String, sample: Int, value: String, expected: String)
    case missingTargets(head: String)
    case targetCount(head: String, expected: Int, got: Int)
    case nonFiniteLoss(epoch: Int, batch: Int, head: String, value: Double)
    case inputShape(expected: FeatureShape, got: [Int])
    /// Refused before allocating: the net would need more memory than the limit.
    case memory(MemoryProblem)

    public var description: String {
        switch self {
        case let .badLabel(head, sample, value, expected):
            return "head '\(head)': sample \(sample) has label \(value), expected \(expected)"
        case let .missingTargets(head):
            return "no labels given for head '\(head)'"
        case let .targetCount(head, expected, got):
            return "head '\(head)': labels for \(got) samples, but the data have \(expected)"
        case let .nonFiniteLoss(epoch, batch, head, value):
            return "training diverged: loss of head '\(head)' is \(value.isNaN ? "NaN" : "\(value)") at epoch \(epoch), batch \(batch); "
                + "kept the best weights so far (try a lower learning rate)"
        case let .inputShape(expected, got):
            return "the network takes \(expected) inputs, got samples of shape \(Array(got.dropFirst()))"
        case let .memory(problem):
            return problem.description
        }
    }
}

// MARK: Counts

extension HeadSpec {
    /// The head's row for a trunk output `x`: a linear map (weights and a bias per output), then
    /// its output nonlinearity and loss, counted as 4 operations per output.
    public func counts(features x: FeatureShape) -> LayerCounts {
        let n = Double(kind.outputs), inputs = Double(x.count)
        return LayerCounts(output: FeatureShape(channels: kind.outputs, height: 1, width: 1),
                           parameters: n * (inputs + 1), flops: 2 * n * inputs + 4 * n)
    }
}
