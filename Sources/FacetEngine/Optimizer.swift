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

/// A step over (gradient, parameter, state): updates values, then clears gradients.
///
/// For SGD with momentum the step is folded into backward where a layer allows it (conv and dense
/// weights, `Parameter.accumulate`): `prepare` before the forward pass hands each such parameter
/// its momentum buffer, the weight-gradient GEMM computes v ← μ·v − η·g into it, and `step` is one
/// pass w ← w + v. That drops the gradient buffer (memory) and two of the plain step's three
/// streams over it (time: the step is memory-bound). With weight decay the step also does
/// v ← v − η·λ·w first; rounding then differs from the plain rule in the last bit, not in value.
public final class Optimizer {
    public let kind: OptimizerKind
    /// Whether `prepare` folds SGD steps into backward (on by default; off gives the plain rule,
    /// which tests compare it with).
    public var foldsIntoBackward = true
    private var state1: [ObjectIdentifier: StateBuffer] = [:]   // momentum / first moment
    private var state2: [ObjectIdentifier: StateBuffer] = [:]   // second moment
    private var steps = 0

    public init(_ kind: OptimizerKind) { self.kind = kind }

    /// The optimizer's whole state for `parameters`, in their order: what a checkpoint saves so
    /// training resumes with the same momentum (SGD) or moments and step count (Adam).
    public func state(of parameters: [Parameter]) -> OptimizerState {
        let zeros = { (p: Parameter) in [Float](repeating: 0, count: p.value.count) }
        // A parameter without state yet behaves exactly as one whose state is all zeros.
        let first = parameters.map { state1[ObjectIdentifier($0)]?.values ?? zeros($0) }
        let second = parameters.map { state2[ObjectIdentifier($0)]?.values ?? zeros($0) }
        switch kind {
        case .sgd: return OptimizerState(steps: steps, first: first, second: [])
        case .adam: return OptimizerState(steps: steps, first: first, second: second)
        }
    }

    /// Restores a state taken by `state(of:)` for the same parameters, in the same order.
    public func restore(_ state: OptimizerState, for parameters: [Parameter]) {
        steps = state.steps
        state1 = [:]; state2 = [:]
        for (p, v) in zip(parameters, state.first) { state1[ObjectIdentifier(p)] = StateBuffer(v) }
        for (p, v) in zip(parameters, state.second) { state2[ObjectIdentifier(p)] = StateBuffer(v) }
    }

    private func buffer(_ states: inout [ObjectIdentifier: StateBuffer], _ p: Parameter) -> StateBuffer {
        if let b = states[ObjectIdentifier(p)] { return b }
        let b = StateBuffer(count: p.value.count)
        states[ObjectIdentifier(p)] = b
        return b
    }

    /// Call before a step's forward pass, with the rate `step` will use: folds SGD steps into the
    /// coming backward for the parameters that allow it and frees their gradient buffers. Any
    /// gradient already in those buffers is dropped. Does nothing for Adam or when
    /// `foldsIntoBackward` is off.
    public func prepare(_ parameters: [Parameter], learningRate: Double) {
        guard foldsIntoBackward, case let .sgd(momentum, _) = kind else { return }
        for p in parameters where p.foldable {
            p.fold = MomentumFold(buffer: buffer(&state1, p), learningRate: Float(learningRate), momentum: Float(momentum))
            if !p.grad.isEmpty { p.grad = [] }
        }
    }

    /// Takes back folds set by `prepare` without stepping (a failed step): later backward passes
    /// add into gradients again.
    public func abandon(_ parameters: [Parameter]) {
        for p in parameters { p.fold = nil }
    }

    /// Bytes one `step` reads and writes over `parameters`: w, v and g read, w, v and g written
    /// for plain SGD; w and v read, w written for a folded step; Adam adds its second moment.
    public func bytesPerStep(_ parameters: [Parameter]) -> Double {
        parameters.reduce(0) { total, p in
            let streams: Int
            switch kind {
            case .sgd: streams = foldsIntoBackward && p.foldable ? 3 : 6
            case .adam: streams = 8
            }
            return total + Double(4 * streams * p.value.count)
        }
    }

    public func step(_ parameters: [Parameter], learningRate: Double) {
        steps += 1
        let lr = Float(learningRate)
        switch kind {
        case let .sgd(momentum, decay):
            let mu = Float(momentum), wd = Float(decay)
            for p in parameters {
                let count = p.value.count
                let state = buffer(&state1, p)
                if let fold = p.fold {
                    p.fold = nil
                    foldedStep(p, state, decayed: fold.decayed, momentum: mu, decay: lr * wd)
                    continue
                }
                if p.grad.count != count { p.grad = [Float](repeating: 0, count: count) }
                // The gradient is cleared in the same pass instead of a separate zeroGrad sweep.
                state.values.withUnsafeMutableBufferPointer { v in p.value.withUnsafeMutableBufferPointer { w in
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
                let m1 = buffer(&state1, p), m2 = buffer(&state2, p)
                let count = p.value.count
                if p.grad.count != count { p.grad = [Float](repeating: 0, count: count) }
                m1.values.withUnsafeMutableBufferPointer { m in m2.values.withUnsafeMutableBufferPointer { s in
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

    /// The rest of a folded SGD step: backward left v = μ·v − η·g; this adds −η·λ·w and applies
    /// v to w. When no backward product ran this step (a head not trained on the batch), the
    /// gradient was zero and v still needs its decay.
    private func foldedStep(_ p: Parameter, _ state: StateBuffer, decayed: Bool, momentum mu: Float, decay: Float) {
        let count = p.value.count, scale: Float = decayed ? 1 : mu
        state.values.withUnsafeMutableBufferPointer { v in p.value.withUnsafeMutableBufferPointer { w in
            let v = v.baseAddress!, w = w.baseAddress!
            parallelRanges(count) { lo, hi in
                if scale == 1 && decay == 0 {
                    for i in lo..<hi { w[i] += v[i] }
                } else {
                    for i in lo..<hi {
                        let vi = scale * v[i] - decay * w[i]
                        v[i] = vi
                        w[i] += vi
                    }
                }
            }
        } }
    }
}
