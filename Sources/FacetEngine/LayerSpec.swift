import Foundation

/// The shape of one sample as it flows through a network: channels × height × width.
/// Dense layers and heads produce `[units, 1, 1]`.
public struct FeatureShape: Equatable, Hashable, Codable, CustomStringConvertible, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels; self.height = height; self.width = width
    }

    /// Number of Float32 values per sample.
    public var count: Int { channels * height * width }

    /// `48x48x1` for images, `3072` for vectors — the notation of the language's `input` statement.
    public var description: String {
        height == 1 && width == 1 ? "\(channels)" : "\(height)x\(width)x\(channels)"
    }
}

/// Why a layer cannot take the shape it was given. The language adds the source location.
public struct ShapeError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A layer's description, independent of its weights: what the language compiles to and
/// what `Network(spec:)` instantiates, and what model files store (as JSON). Shape inference,
/// parameter and FLOP counts come from each kind's `LayerRule`, kept in the layer's own file,
/// so that a net can be checked before any memory is allocated.
public enum LayerSpec: Equatable, Hashable, Codable, Sendable {
    /// 2-D convolution with `maps` output channels, zero padding on every side.
    case conv(maps: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int)
    /// Local contrast normalisation (Jarrett et al. 2009) with a `size`×`size` Gaussian window.
    case lcn(size: Int)
    /// Max-pooling, square window; `ceil` keeps a partial window at the border (paper: 44 → 22).
    case maxpool(size: Int, stride: Int, ceil: Bool)
    case relu
    /// Inverted dropout: drops with probability `rate` while training, identity in evaluation.
    case dropout(rate: Double)
    /// Fully connected; flattens its input.
    case dense(units: Int)
    case flatten

    /// The rules of this layer's kind, bound to its arguments. The one switch over the cases:
    /// a new layer adds a case here and its rule in its own file.
    var rule: LayerRule {
        switch self {
        case let .conv(maps, kh, kw, stride, pad):
            return Conv2D.rule(maps: maps, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: pad)
        case let .lcn(size): return LocalContrastNorm.rule(size: size)
        case let .maxpool(size, stride, ceil): return MaxPool2D.rule(size: size, stride: stride, ceil: ceil)
        case .relu: return ReLU.rule
        case let .dropout(rate): return Dropout.rule(rate: rate)
        case let .dense(units): return Dense.rule(units: units)
        case .flatten: return Flatten.rule
        }
    }

    /// The layer's keyword in the language and in summaries.
    public var kind: String { rule.kind }

    /// Canonical text, as the language prints it back.
    public var text: String { rule.text }

    /// Output shape for one sample, or why the input does not fit.
    public func outputShape(_ x: FeatureShape) throws -> FeatureShape { try rule.outputShape(x) }

    /// Output shape, trainable values and forward FLOPs per sample for input `x`. Arguments and
    /// outputs too large for exact arithmetic are a `ShapeError`, so a model file's spec (which
    /// the language's checker never saw) cannot make the shape rules overflow.
    public func counts(_ x: FeatureShape) throws -> LayerCounts {
        let rule = self.rule
        if let bad = integerArguments.first(where: { $0 > Self.argumentLimit || $0 < -Self.argumentLimit }) {
            throw ShapeError("\(rule.kind) argument \(bad) is out of range (at most \(Self.argumentLimit))")
        }
        let y = try rule.outputShape(x)
        guard isCountable(y) else { throw ShapeError("\(rule.kind) output \(y) is too large to count") }
        return LayerCounts(output: y, parameters: rule.parameters(x), flops: rule.flops(x, y))
    }

    /// The language allows at most 2^20; this bound keeps every product of three arguments exact.
    static let argumentLimit = 1 << 24

    private var integerArguments: [Int] {
        switch self {
        case let .conv(maps, kh, kw, stride, pad): return [maps, kh, kw, stride, pad]
        case let .lcn(size): return [size]
        case let .maxpool(size, stride, _): return [size, stride]
        case let .dense(units): return [units]
        case .relu, .dropout, .flatten: return []
        }
    }
}

/// True when a shape's value count is exact in a Double, so `count` and sums of counts cannot overflow.
func isCountable(_ x: FeatureShape) -> Bool {
    x.channels >= 0 && x.height >= 0 && x.width >= 0 && Double(x.channels) * Double(x.height) * Double(x.width) < 0x1p53
}

/// Output extent of pooling. Ceil mode keeps a last partial window but never one that
/// starts past the input (the Caffe/pylearn2 rule).
func poolExtent(_ n: Int, _ size: Int, _ stride: Int, _ ceil: Bool) -> Int {
    if !ceil { return (n - size) / stride + 1 }
    var out = (n - size + stride - 1) / stride + 1
    if (out - 1) * stride >= n { out -= 1 }
    return out
}

/// `0.2` not `0.2000000001`; integers without a decimal point.
public func formatNumber(_ v: Double) -> String {
    if v == v.rounded(), abs(v) <= 9_007_199_254_740_992 { return String(Int(v)) }   // whole up to 2^53: 1e15 reads 1000000000000000
    var s = String(format: "%.6g", v)
    if s.contains("e") { return s }
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
