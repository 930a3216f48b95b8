import Dispatch
import FacetRandom
/// A network instantiated from a `NetSpec`: trunk layers in order, then heads that all read the
/// trunk's output. Training loss is the sum of the heads' losses.
public final class Network {
    public let spec: NetSpec
    public let layers: [Layer]
    public let heads: [Head]
    /// Shape of the trunk's output (what every head reads).
    public let featureShape: FeatureShape
    /// Set by a profiler (`facet bench`) to time each step part: trunk layer `i` forward or
    /// backward, and the heads (forward, loss and backward together) as part `layers.count`, in
    /// wall seconds and in CPU seconds of all the process's threads. Nil otherwise, which reads no clock.
    public var stepTimer: ((_ part: Int, _ backward: Bool, _ seconds: Double, _ cpuSeconds: Double) -> Void)?

    /// Builds layers and draws initial weights from `seed`. Throws `EngineError.memory`, before
    /// allocating, when the weights and their gradients would not fit the memory limit.
    public init(spec: NetSpec, seed: UInt64) throws {
        _ = Engine.allocatorConfigured
        try spec.memory(.instantiate).check()
        self.spec = spec
        var rng = SeededGenerator(seed: seed)
        var shape = spec.input
        var layers: [Layer] = []
        for (i, layerSpec) in spec.layers.enumerated() {
            do {
                let layer = try makeLayer(layerSpec, input: shape, rng: &rng)
                layers.append(layer)
                shape = layer.outputShape
            } catch let e as ShapeError {
                throw LayerShapeError(layerIndex: i, error: e)
            }
        }
        // The first trainable layer's input gradient is never needed.
        if let conv = layers.first as? Conv2D { conv.needsInputGradient = false }
        self.layers = layers
        self.featureShape = shape
        self.heads = spec.heads.map { Head(spec: $0, features: shape, rng: &rng) }
    }

    /// Every trainable parameter with a stable, unique name ("layers.0.weight", "heads.age.bias").
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var out: [(String, Parameter)] = []
        for (i, layer) in layers.enumerated() {
            for p in layer.parameters { out.append(("layers.\(i).\(p.name)", p)) }
        }
        for head in heads {
            for p in head.parameters { out.append(("heads.\(head.spec.name).\(p.name)", p)) }
        }
        return out
    }

    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// Reseeds every stochastic layer (dropout) so a training run repeats bit for bit.
    public func reseed(_ seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for layer in layers { if let d = layer as? Dropout { d.reseed(rng.next()) } }
    }

    /// Advances every dropout layer's mask stream past `samples` samples without using the draws:
    /// a data-parallel rank skips the masks of the global batch's other slices, so it uses the
    /// very masks a single process would draw for its samples.
    func skipDropout(samples: Int) {
        guard samples > 0 else { return }
        for layer in layers { (layer as? Dropout)?.skip(samples: samples) }
    }

    /// Each dropout layer's generator state, in layer order (checkpoints save and restore them).
    public var dropoutStates: [UInt64] {
        get { layers.compactMap { ($0 as? Dropout)?.generatorState } }
        set {
            for (d, state) in zip(layers.compactMap { $0 as? Dropout }, newValue) { d.generatorState = state }
        }
    }

    func checkInput(_ x: Tensor) throws {
        guard x.shape.count == 4, x.shape[1] == spec.input.channels, x.shape[2] == spec.input.height,
              x.shape[3] == spec.input.width else { throw EngineError.inputShape(expected: spec.input, got: x.shape) }
    }

    /// Trunk features for a batch. x: [N, C, H, W] → [N, F].
    public func features(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() { h = timed(i, backward: false) { layer.forward(h, training: training) } }
        return h.reshaped([x.batchSize, featureShape.count])
    }

    /// Outputs of every head for a batch (probabilities, sigmoid values or regression values).
    public func predict(_ x: Tensor) throws -> [String: Tensor] {
        try checkInput(x)
        let f = features(x, training: false)
        var out: [String: Tensor] = [:]
        for head in heads { out[head.spec.name] = head.forward(f, training: false).outputs }
        return out
    }

    /// Outputs for a large set, evaluated `batchSize` samples at a time.
    public func predict(_ x: Tensor, batchSize: Int) throws -> [String: Tensor] {
        try checkInput(x)
        let n = x.batchSize
        var parts: [String: [Float]] = [:]
        var start = 0
        while start < n {
            let end = min(n, start + batchSize)
            for (name, t) in try predict(x.samples(start..<end)) { parts[name, default: []] += t.data }
            start = end
        }
        var out: [String: Tensor] = [:]
        for head in heads {
            out[head.spec.name] = Tensor(shape: [n, head.spec.kind.outputs], data: parts[head.spec.name] ?? [])
        }
        return out
    }

    /// Forward and backward on one batch: adds gradients into the parameters and returns each
    /// head's mean loss. Heads not in `targets` (or not in `only`, when given) are not trained.
    /// `lossScale` multiplies a head's gradient (data-parallel training: this rank's share of
    /// the global batch's labelled count), not its returned loss.
    public func accumulateGradients(_ x: Tensor, targets: [String: HeadTargets],
                                    only: Set<String>? = nil, lossScale: [String: Float]? = nil) throws -> [String: Double] {
        try checkInput(x)
        let f = features(x, training: true)
        var df = Tensor(shape: f.shape)
        var losses: [String: Double] = [:]
        try timed(layers.count, backward: false) {
            try headsStep(f, targets: targets, only: only, lossScale: lossScale, df: &df, losses: &losses)
        }
        var g = df.reshaped([x.batchSize, featureShape.channels, featureShape.height, featureShape.width])
        for (i, layer) in layers.enumerated().reversed() { g = timed(i, backward: true) { layer.backward(g) } }
        return losses
    }

    /// Every trained head's forward, loss and backward; adds the features' gradient into `df`.
    private func headsStep(_ f: Tensor, targets: [String: HeadTargets], only: Set<String>?, lossScale: [String: Float]?,
                           df: inout Tensor, losses: inout [String: Double]) throws {
        for head in heads {
            if let only, !only.contains(head.spec.name) { continue }
            guard let t = targets[head.spec.name] else {
                if only != nil { throw EngineError.missingTargets(head: head.spec.name) }
                continue
            }
            let (logits, _) = head.forward(f, training: true)
            var (loss, labelled, grad) = try head.loss.lossAndGradient(logits: logits, targets: t, head: head.spec.name)
            losses[head.spec.name] = loss
            if labelled == 0 { continue }
            if let scale = lossScale?[head.spec.name], scale != 1 {
                grad.data.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] *= scale } }
            }
            let d = head.linear.backward(grad)
            df.data.withUnsafeMutableBufferPointer { a in d.data.withUnsafeBufferPointer { b in
                for i in a.indices { a[i] += b[i] }
            } }
        }
    }

    @inline(__always)
    private func timed<T>(_ part: Int, backward: Bool, _ body: () throws -> T) rethrows -> T {
        guard let stepTimer else { return try body() }
        let t = DispatchTime.now().uptimeNanoseconds, c = Profiling.processCPUSeconds()
        let result = try body()
        stepTimer(part, backward, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9, Profiling.processCPUSeconds() - c)
        return result
    }

    /// Clears every parameter gradient.
    public func zeroGradients() { for p in parameters { p.zeroGrad() } }

    /// A copy of all parameter values (for keeping the best weights).
    public func snapshot() -> [[Float]] { parameters.map(\.value) }

    /// Restores values taken by `snapshot()`.
    public func restore(_ values: [[Float]]) {
        for (p, v) in zip(parameters, values) { p.value = v }
    }
}
