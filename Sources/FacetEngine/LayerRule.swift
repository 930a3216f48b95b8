import FacetRandom

/// What one layer kind knows before any weights exist, bound to a spec's arguments: its keyword,
/// canonical text, shape rule, parameter and FLOP counts, and how to build it. Each layer's file
/// defines its own (`Conv2D.rule(...)`) beside its forward and backward, so a layer is described
/// in one place; `LayerSpec.rule` is the one switch from the (Codable, saved in model files) enum
/// to these.
struct LayerRule {
    /// The keyword in the language and in summaries (`conv`).
    var kind: String
    /// Canonical text, as the language prints it back (`conv 64 5x5 stride 2`).
    var text: String
    /// Output shape for one sample, or why the input does not fit.
    var outputShape: (FeatureShape) throws -> FeatureShape
    /// Trainable values for input `x`. Counts are Doubles so that a net too large to count gives a
    /// large number instead of an overflow trap; they are exact below 2^53, far above the 10^15
    /// the language's checker lets through.
    var parameters: (_ x: FeatureShape) -> Double
    /// Forward operations per sample for input `x` and output `y` (a multiply-add counts as 2).
    var flops: (_ x: FeatureShape, _ y: FeatureShape) -> Double
    /// Float32 values per sample that a training forward allocates and keeps until backward: its
    /// output (a layer that only reshapes keeps nothing new) and its own caches (masks, argmax).
    /// What backward reads from the layer before it is the previous output, already counted there.
    var kept: (_ x: FeatureShape, _ y: FeatureShape) -> Double
    /// Float32 scratch a forward or backward over `batch` samples holds while it runs and frees on
    /// return (conv's im2col buffers); only one layer's scratch is alive at a time.
    var scratch: (_ x: FeatureShape, _ y: FeatureShape, _ batch: Int) -> Double
    /// The layer itself, for an input shape the shape rule accepted.
    var make: (_ x: FeatureShape, _ rng: inout SeededGenerator) -> Layer

    init(kind: String, text: String? = nil, outputShape: @escaping (FeatureShape) throws -> FeatureShape = { $0 },
         parameters: @escaping (FeatureShape) -> Double = { _ in 0 },
         flops: @escaping (FeatureShape, FeatureShape) -> Double,
         kept: @escaping (FeatureShape, FeatureShape) -> Double = { _, y in Double(y.count) },
         scratch: @escaping (FeatureShape, FeatureShape, Int) -> Double = { _, _, _ in 0 },
         make: @escaping (FeatureShape, inout SeededGenerator) -> Layer) {
        self.kind = kind; self.text = text ?? kind; self.outputShape = outputShape
        self.parameters = parameters; self.flops = flops; self.kept = kept; self.scratch = scratch; self.make = make
    }
}

/// The size and cost of one row of a net — its input, a trunk layer or a head — per sample.
/// The one place summaries, `params`, `flops`, the checker's size limit and `facet bench` read.
public struct LayerCounts: Equatable, Sendable {
    public var output: FeatureShape
    /// Trainable values (weights and biases).
    public var parameters: Int
    /// Forward floating-point operations (a multiply-add counts as 2).
    public var flops: Int
    /// Bytes of Float32 activations this row outputs.
    public var memory: Int { 4 * output.count }

    public init(output: FeatureShape, parameters: Int = 0, flops: Int = 0) {
        self.output = output; self.parameters = parameters; self.flops = flops
    }

    /// Counts from a rule's Doubles; a count past `Int.max` saturates rather than traps.
    init(output: FeatureShape, parameters: Double, flops: Double) {
        func saturating(_ v: Double) -> Int { v < 0x1p63 ? Int(v) : Int.max }
        self.init(output: output, parameters: saturating(parameters), flops: saturating(flops))
    }
}
