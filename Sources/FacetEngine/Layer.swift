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
