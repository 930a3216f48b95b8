/// [N, C, H, W] → [N, C·H·W, 1, 1]. Data are contiguous, so only the shape changes.
public final class Flatten: Layer {
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    public var spec: LayerSpec { .flatten }

    init(input: FeatureShape, output: FeatureShape) { inputShape = input; outputShape = output }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        x.reshaped([x.batchSize, outputShape.channels, 1, 1])
    }

    public func backward(_ dy: Tensor) -> Tensor {
        dy.reshaped([dy.batchSize, inputShape.channels, inputShape.height, inputShape.width])
    }
}

// MARK: Rule

extension Flatten {
    /// `flatten`: [C, H, W] → [C·H·W, 1, 1], no work and no new memory (a reshape shares the data).
    static var rule: LayerRule {
        LayerRule(kind: "flatten", outputShape: { x in
            FeatureShape(channels: x.count, height: 1, width: 1)
        }, flops: { _, _ in 0 }, kept: { _, _ in 0 }, make: { x, _ in
            Flatten(input: x, output: FeatureShape(channels: x.count, height: 1, width: 1))
        })
    }
}
