/// y = max(x, 0); the gradient passes where the output was positive.
public final class ReLU: Layer {
    public let inputShape: FeatureShape
    public var outputShape: FeatureShape { inputShape }
    public var spec: LayerSpec { .relu }
    private var output: Tensor?

    init(shape: FeatureShape) { inputShape = shape }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        // Written into a fresh buffer with a select (not `var y = x` and a branchy in-place loop,
        // which copied the input first and did not vectorise).
        // `< 0`, not `!(> 0)`: a NaN must travel on so training can stop on it.
        let data = [Float](unsafeUninitializedCapacity: x.count) { out, initialised in
            x.data.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, d = out.baseAddress!
                parallelRanges(x.count) { lo, hi in
                    var i = lo
                    while i + 8 <= hi {   // explicit SIMD: the scalar select did not vectorise
                        let v = UnsafeRawPointer(s + i).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(d + i).storeBytes(of: v.replacing(with: 0, where: v .< 0),
                                                                  as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < hi { d[i] = s[i] < 0 ? 0 : s[i]; i += 1 }
                }
            }
            initialised = x.count
        }
        let y = Tensor(shape: x.shape, data: data)
        if training { output = y }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let y = output else { preconditionFailure("relu backward without a training forward") }
        defer { output = nil }   // see `Layer.backward`: caches go once backward has used them
        precondition(y.count == dy.count, "relu backward: gradient \(dy.shape) vs output \(y.shape)")
        let data = [Float](unsafeUninitializedCapacity: dy.count) { out, initialised in
            dy.data.withUnsafeBufferPointer { g in y.data.withUnsafeBufferPointer { o in
                let g = g.baseAddress!, o = o.baseAddress!, dst = out.baseAddress!
                parallelRanges(dy.count) { lo, hi in
                    var i = lo
                    while i + 8 <= hi {
                        let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
                        let ov = UnsafeRawPointer(o + i).loadUnaligned(as: SIMD8<Float>.self)
                        // !(o > 0) also zeroes where the output was NaN, as the scalar rule does
                        let keep = ov .> 0
                        UnsafeMutableRawPointer(dst + i).storeBytes(of: SIMD8<Float>(repeating: 0).replacing(with: gv, where: keep),
                                                                    as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < hi { dst[i] = o[i] > 0 ? g[i] : 0; i += 1 }
                }
            } }
            initialised = dy.count
        }
        return Tensor(shape: dy.shape, data: data)
    }
}

// MARK: Rule

extension ReLU {
    /// `relu`: keeps the shape, one operation per value (see `LayerRule`).
    static var rule: LayerRule { LayerRule(kind: "relu", flops: { x, _ in Double(x.count) }, make: { x, _ in ReLU(shape: x) }) }
}
