/// y = max(x, 0); the gradient passes where the output was positive.
public final class ReLU: Layer {
    public let inputShape: FeatureShape
    public var outputShape: FeatureShape { inputShape }
    public var spec: LayerSpec { .relu }
    private var output: Tensor?

    init(shape: FeatureShape) { inputShape = shape }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = x
        // `< 0`, not `!(> 0)`: a NaN must travel on so training can stop on it.
        y.data.withUnsafeMutableBufferPointer { p in for i in p.indices where p[i] < 0 { p[i] = 0 } }
        if training { output = y }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let y = output else { preconditionFailure("relu backward without a training forward") }
        var dx = dy
        dx.data.withUnsafeMutableBufferPointer { g in y.data.withUnsafeBufferPointer { o in
            for i in g.indices where !(o[i] > 0) { g[i] = 0 }
        } }
        return dx
    }
}
