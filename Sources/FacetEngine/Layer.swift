import FacetRandom
/// Trainable values and the gradient that backward passes add into.
/// Optimisers read `grad`, update `value`, then clear `grad`.
public final class Parameter {
    public let name: String
    public let shape: [Int]
    public var value: [Float]
    public var grad: [Float]

    public init(name: String, shape: [Int], value: [Float]) {
        precondition(shape.reduce(1, *) == value.count, "parameter \(name): shape \(shape) vs \(value.count) values")
        self.name = name; self.shape = shape; self.value = value
        self.grad = [Float](repeating: 0, count: value.count)
    }

    public func zeroGrad() {
        grad.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

/// One trunk layer: forward caches what backward needs; backward returns the input gradient
/// and adds parameter gradients into `parameters[i].grad`.
public protocol Layer: AnyObject {
    var spec: LayerSpec { get }
    var inputShape: FeatureShape { get }
    var outputShape: FeatureShape { get }
    var parameters: [Parameter] { get }
    /// x: [N, C, H, W] → y: [N, C', H', W'].
    func forward(_ x: Tensor, training: Bool) -> Tensor
    /// dy: [N, C', H', W'] → dx: [N, C, H, W]. Must follow a `forward` with `training: true`.
    func backward(_ dy: Tensor) -> Tensor
}

extension Layer {
    public var parameters: [Parameter] { [] }
}

/// Builds a layer from its spec. The single place that maps specs to implementations.
func makeLayer(_ spec: LayerSpec, input: FeatureShape, rng: inout SeededGenerator) throws -> Layer {
    let output = try spec.outputShape(input)
    switch spec {
    case let .conv(maps, kh, kw, stride, pad):
        return Conv2D(input: input, maps: maps, kernelHeight: kh, kernelWidth: kw,
                      stride: stride, padding: pad, rng: &rng)
    case let .lcn(size): return LocalContrastNorm(shape: input, size: size)
    case let .maxpool(size, stride, ceil): return MaxPool2D(input: input, size: size, stride: stride, ceil: ceil)
    case .relu: return ReLU(shape: input)
    case let .dropout(rate): return Dropout(shape: input, rate: Float(rate), rng: rng.split())
    case let .dense(units): return Dense(input: input, units: units, rng: &rng)
    case .flatten: return Flatten(input: input, output: output)
    }
}

/// He-normal initialisation (suits ReLU): N(0, 2 / fanIn).
func heNormal(count: Int, fanIn: Int, rng: inout SeededGenerator) -> [Float] {
    let std = (2.0 / Float(max(fanIn, 1))).squareRoot()
    return (0..<count).map { _ in rng.normal() * std }
}
