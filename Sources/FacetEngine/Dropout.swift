import FacetRandom
/// Inverted dropout: while training each value is zeroed with probability `rate` and the
/// survivors scaled by 1/(1−rate), so evaluation is the identity and needs no rescaling.
public final class Dropout: Layer {
    public let inputShape: FeatureShape
    public var outputShape: FeatureShape { inputShape }
    public let rate: Float
    public var spec: LayerSpec { .dropout(rate: Double(rate)) }
    private var rng: SeededGenerator
    private var mask: [Float] = []   // 0 or 1/(1−rate) per value

    init(shape: FeatureShape, rate: Float, rng: SeededGenerator) {
        inputShape = shape; self.rate = rate; self.rng = rng
    }

    /// Restarts the mask stream (the trainer reseeds per run so runs repeat bit for bit).
    public func reseed(_ seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// The mask stream's position, saved in checkpoints so a resumed run draws the same masks.
    public var generatorState: UInt64 {
        get { rng.state }
        set { rng.state = newValue }
    }

    /// Draws and drops the masks of `samples` samples (one draw per value, as `forward` does).
    func skip(samples: Int) {
        guard rate > 0 else { return }
        rng = rng.advanced(by: samples * inputShape.count)
    }

    /// Value i's mask is the stream's draw i, whichever thread draws it: the values are cut into
    /// ranges over the engine's threads, each starting its own copy of the generator at its first
    /// index (`advanced(by:)`), so masks and the stream's position after them are those of one
    /// serial pass. Mask and output are written in the same pass.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training, rate > 0 else { mask = []; return x }
        let keep = 1 / (1 - rate), rate = self.rate, start = rng, count = x.count
        var m = uninitializedFloats(count), y = Tensor(shape: x.shape, data: uninitializedFloats(count))
        x.data.withUnsafeBufferPointer { px in m.withUnsafeMutableBufferPointer { pm in
        y.data.withUnsafeMutableBufferPointer { py in
            parallelRanges(count) { lo, hi in
                var g = start.advanced(by: lo)
                for i in lo..<hi {
                    let k: Float = g.unit() < rate ? 0 : keep
                    pm[i] = k
                    py[i] = px[i] * k
                }
            }
        } } }
        rng = start.advanced(by: count)
        mask = m
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard !mask.isEmpty else { return dy }
        precondition(mask.count == dy.count, "dropout backward without a matching training forward")
        defer { mask = [] }   // see `Layer.backward`
        var dx = dy
        dx.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= mask[i] } }
        return dx
    }
}

// MARK: Rule

extension Dropout {
    /// `dropout`: keeps the shape, one operation per value (see `LayerRule`).
    static func rule(rate: Double) -> LayerRule {
        LayerRule(kind: "dropout", text: "dropout \(formatNumber(rate))", outputShape: { x in
            guard rate >= 0, rate < 1 else { throw ShapeError("dropout rate must be in [0, 1), got \(formatNumber(rate))") }
            return x
        }, flops: { x, _ in Double(x.count) }, kept: { _, y in
            2 * Double(y.count)   // the mask and the masked copy
        }, make: { x, rng in Dropout(shape: x, rate: Float(rate), rng: rng.split()) })
    }
}
