import FacetRandom
/// Trainable values and the gradient that backward passes add into.
/// Optimisers read `grad`, update `value`, then clear `grad`.
public final class Parameter {
    public let name: String
    public let shape: [Int]
    public var value: [Float]
    /// The gradient backward passes add into. Empty while an SGD step is folded into backward
    /// (`fold`), which saves its memory (354 MB for the paper's dense layer); allocated again,
    /// zeroed, when a backward pass next needs it.
    public var grad: [Float]
    /// Whether this parameter's layer adds its gradient through `accumulate` (one GEMM per
    /// product), so an SGD step can be folded into it.
    let foldable: Bool
    /// The SGD step folded into this step's backward, set by `Optimizer.prepare`.
    var fold: MomentumFold?

    public convenience init(name: String, shape: [Int], value: [Float]) {
        self.init(name: name, shape: shape, value: value, foldable: false)
    }

    init(name: String, shape: [Int], value: [Float], foldable: Bool) {
        precondition(shape.reduce(1, *) == value.count, "parameter \(name): shape \(shape) vs \(value.count) values")
        self.name = name; self.shape = shape; self.value = value; self.foldable = foldable
        self.grad = [Float](repeating: 0, count: value.count)
    }

    public func zeroGrad() {
        grad.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Runs a GEMM that adds this step's gradient product: `body(c, alpha, beta)` must compute
    /// c ← alpha·product + beta·c. Without a fold, c is `grad` (alpha 1, beta 1). With one, c is
    /// the momentum buffer, alpha −η, and beta μ for the step's first product (the momentum's
    /// decay) and 1 after: v ← μ·v − η·g in the GEMM itself, so the gradient is never stored.
    func accumulate(_ body: (UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float) -> Void) {
        if let fold {
            let beta = fold.decayed ? 1 : fold.momentum
            fold.decayed = true
            fold.buffer.values.withUnsafeMutableBufferPointer { body($0.baseAddress!, fold.alpha, beta) }
            return
        }
        if grad.count != value.count { grad = [Float](repeating: 0, count: value.count) }
        grad.withUnsafeMutableBufferPointer { body($0.baseAddress!, 1, 1) }
    }
}

/// An optimizer's per-parameter state buffer, shared with a `MomentumFold` while one is set.
final class StateBuffer {
    var values: [Float]
    init(count: Int) { values = [Float](repeating: 0, count: count) }
    init(_ values: [Float]) { self.values = values }
}

/// One SGD-with-momentum step folded into backward (see `Parameter.accumulate`).
final class MomentumFold {
    let buffer: StateBuffer
    let alpha: Float, momentum: Float
    /// Whether a product this step has already applied the momentum's decay.
    var decayed = false
    init(buffer: StateBuffer, learningRate: Float, momentum: Float) {
        self.buffer = buffer; self.alpha = -learningRate; self.momentum = momentum
    }
}

/// One trunk layer: forward caches what backward needs; backward returns the input gradient
/// and adds parameter gradients into `parameters[i].grad` (through `Parameter.accumulate` for
/// foldable weights).
public protocol Layer: AnyObject {
    var spec: LayerSpec { get }
    var inputShape: FeatureShape { get }
    var outputShape: FeatureShape { get }
    var parameters: [Parameter] { get }
    /// x: [N, C, H, W] → y: [N, C', H', W'].
    func forward(_ x: Tensor, training: Bool) -> Tensor
    /// dy: [N, C', H', W'] → dx: [N, C, H, W]. Must follow a `forward` with `training: true`,
    /// once: the layer lets go of what it cached for backward (its input, output, mask, argmax),
    /// so nothing of a finished step is held while the net evaluates or the next step allocates.
    /// Held, those caches (hundreds of MB for the paper's net) sat beside a following inference's
    /// activations, and where that inference found its buffers in the fragmented heap decided a
    /// 48 MB swing in `facet bench`'s peak.
    func backward(_ dy: Tensor) -> Tensor
}

extension Layer {
    public var parameters: [Parameter] { [] }
}

/// Builds a layer from its spec, through its kind's `LayerRule`.
func makeLayer(_ spec: LayerSpec, input: FeatureShape, rng: inout SeededGenerator) throws -> Layer {
    let rule = spec.rule
    _ = try rule.outputShape(input)
    return rule.make(input, &rng)
}

/// He-normal initialisation (suits ReLU): N(0, 2 / fanIn).
func heNormal(count: Int, fanIn: Int, rng: inout SeededGenerator) -> [Float] {
    let std = (2.0 / Float(max(fanIn, 1))).squareRoot()
    return (0..<count).map { _ in rng.normal() * std }
}
