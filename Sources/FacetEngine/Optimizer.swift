import Foundation

/// How the learning rate changes over epochs.
public enum LearningRateSchedule: Equatable, Sendable {
    case constant(Double)
    /// Linearly from `from` at epoch 0 to `to` at epoch `over − 1`, constant after
    /// (the paper: 0.0025 → 0.001 over 50 epochs, pylearn2's LinearDecayOverEpoch).
    case linear(from: Double, to: Double, over: Int)

    /// The paper's schedule (§3.4).
    public static let paper = LearningRateSchedule.linear(from: 0.0025, to: 0.001, over: 50)

    /// Rate for a 0-based epoch.
    public func rate(epoch: Int) -> Double {
        switch self {
        case let .constant(r): return r
        case let .linear(from, to, over):
            guard over > 1 else { return to }
            let t = min(1, Double(max(0, epoch)) / Double(over - 1))
            return from + (to - from) * t
        }
    }
}

/// Which update rule training uses.
public enum OptimizerKind: Equatable, Sendable {
    /// v ← μ·v − η·(g + λ·w);  w ← w + v
    case sgd(momentum: Double, weightDecay: Double)
    /// Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient.
    case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)

    public static let paperSGD = OptimizerKind.sgd(momentum: 0.9, weightDecay: 0)
    public static let defaultAdam = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
}

/// An optimizer's state in parameter order: steps taken, momentum or Adam's first moment, and
/// Adam's second moment (empty for SGD).
public struct OptimizerState: Equatable, Sendable {
    public var steps: Int
    public var first: [[Float]]
    public var second: [[Float]]
    public init(steps: Int, first: [[Float]], second: [[Float]]) { self.steps = steps; self.first = first; self.second = second }
}

/// A pure step over (gradient, parameter, state): updates values, then clears gradients.
public final class Optimizer {
    public let kind: OptimizerKind
    private var state1: [ObjectIdentifier: [Float]] = [:]   // momentum / first moment
    private var state2: [ObjectIdentifier: [Float]] = [:]   // second moment
    private var steps = 0

    public init(_ kind: OptimizerKind) { self.kind = kind }

    /// The optimizer's whole state for `parameters`, in their order: what a checkpoint saves so
    /// training resumes with the same momentum (SGD) or moments and step count (Adam).
    public func state(of parameters: [Parameter]) -> OptimizerState {
        let zeros = { (p: Parameter) in [Float](repeating: 0, count: p.value.count) }
        // A parameter without state yet behaves exactly as one whose state is all zeros.
        let first = parameters.map { state1[ObjectIdentifier($0)] ?? zeros($0) }
        let second = parameters.map { state2[ObjectIdentifier($0)] ?? zeros($0) }
        switch kind {
        case .sgd: return OptimizerState(steps: steps, first: first, second: [])
        case .adam: return OptimizerState(steps: steps, first: first, second: second)
        }
    }

    /// Restores a state taken by `state(of:)` for the same parameters, in the same order.
    public func restore(_ state: OptimizerState, for parameters: [Parameter]) {
        steps = state.steps
        state1 = [:]; state2 = [:]
        for (p, v) in zip(parameters, state.first) { state1[ObjectIdentifier(p)] = v }
        for (p, v) in zip(parameters, state.second) { state2[ObjectIdentifier(p)] = v }
    }

    public func step(_ parameters: [Parameter], learningRate: Double) {
        steps += 1
        let lr = Float(learningRate)
        switch kind {
        case let .sgd(momentum, decay):
            let mu = Float(momentum), wd = Float(decay)
            for p in parameters {
                let id = ObjectIdentifier(p), count = p.value.count
                if state1[id] == nil { state1[id] = [Float](repeating: 0, count: count) }
                // Mutate the state in place through the dictionary: a local `var v = state1[id]`
                // shares storage with the dictionary entry, so writing it copied the whole buffer
                // (354 MB for the paper's dense layer) every step. The gradient is cleared in the
                // same pass instead of a separate zeroGrad sweep.
                state1[id]!.withUnsafeMutableBufferPointer { v in p.value.withUnsafeMutableBufferPointer { w in
                    p.grad.withUnsafeMutableBufferPointer { g in
                        let v = v.baseAddress!, w = w.baseAddress!, g = g.baseAddress!
                        parallelRanges(count) { lo, hi in
                            for i in lo..<hi {
                                let vi = mu * v[i] - lr * (g[i] + wd * w[i])
                                v[i] = vi
                                w[i] += vi
                                g[i] = 0
                            }
                        }
                    } } }
            }
        case let .adam(b1, b2, eps, decay):
            let beta1 = Float(b1), beta2 = Float(b2), e = Float(eps), wd = Float(decay)
            let c1 = 1 - Float(pow(b1, Double(steps))), c2 = 1 - Float(pow(b2, Double(steps)))
            for p in parameters {
                let id = ObjectIdentifier(p)
                if state1[id] == nil { state1[id] = [Float](repeating: 0, count: p.value.count) }
                if state2[id] == nil { state2[id] = [Float](repeating: 0, count: p.value.count) }
                let count = p.value.count
                state1[id]!.withUnsafeMutableBufferPointer { m in state2[id]!.withUnsafeMutableBufferPointer { s in
                p.value.withUnsafeMutableBufferPointer { w in p.grad.withUnsafeMutableBufferPointer { g in
                    let m = m.baseAddress!, s = s.baseAddress!, w = w.baseAddress!, g = g.baseAddress!
                    parallelRanges(count) { lo, hi in
                        for i in lo..<hi {
                            let gi = g[i] + wd * w[i]
                            m[i] = beta1 * m[i] + (1 - beta1) * gi
                            s[i] = beta2 * s[i] + (1 - beta2) * gi * gi
                            w[i] -= lr * (m[i] / c1) / ((s[i] / c2).squareRoot() + e)
                            g[i] = 0
                        }
                    }
                } } } }
            }
        }
    }
}
