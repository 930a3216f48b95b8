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
/// what `Network(spec:)` instantiates. Shape inference, parameter and FLOP counts live here
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

    /// The layer's keyword in the language and in summaries.
    public var kind: String {
        switch self {
        case .conv: return "conv"
        case .lcn: return "lcn"
        case .maxpool: return "maxpool"
        case .relu: return "relu"
        case .dropout: return "dropout"
        case .dense: return "dense"
        case .flatten: return "flatten"
        }
    }

    /// Canonical text, as the language prints it back.
    public var text: String {
        switch self {
        case let .conv(m, kh, kw, s, p):
            var t = "conv \(m) \(kh)x\(kw)"
            if s != 1 { t += " stride \(s)" }
            if p != 0 { t += " pad \(p)" }
            return t
        case let .lcn(size): return "lcn \(size)"
        case let .maxpool(size, stride, ceil):
            return "maxpool \(size)x\(size) stride \(stride)" + (ceil ? "" : " floor")
        case .relu: return "relu"
        case let .dropout(rate): return "dropout \(formatNumber(rate))"
        case let .dense(units): return "dense \(units)"
        case .flatten: return "flatten"
        }
    }

    /// Output shape for one sample, or why the input does not fit.
    public func outputShape(_ x: FeatureShape) throws -> FeatureShape {
        switch self {
        case let .conv(maps, kh, kw, stride, pad):
            guard maps > 0 else { throw ShapeError("conv needs at least 1 output map, got \(maps)") }
            guard kh > 0, kw > 0 else { throw ShapeError("conv kernel must be positive, got \(kh)x\(kw)") }
            guard stride > 0 else { throw ShapeError("conv stride must be positive, got \(stride)") }
            guard pad >= 0 else { throw ShapeError("conv padding must not be negative, got \(pad)") }
            let h = x.height + 2 * pad, w = x.width + 2 * pad
            guard h >= kh, w >= kw else {
                throw ShapeError("conv \(kh)x\(kw) needs at least \(kh)x\(kw) input, got \(x.height)x\(x.width)"
                    + (pad > 0 ? " (\(h)x\(w) padded)" : ""))
            }
            return FeatureShape(channels: maps, height: (h - kh) / stride + 1, width: (w - kw) / stride + 1)
        case let .lcn(size):
            guard size > 0, size % 2 == 1 else { throw ShapeError("lcn window must be a positive odd size, got \(size)") }
            return x
        case let .maxpool(size, stride, ceil):
            guard size > 0 else { throw ShapeError("maxpool window must be positive, got \(size)") }
            guard stride > 0 else { throw ShapeError("maxpool stride must be positive, got \(stride)") }
            guard x.height >= size, x.width >= size else {
                throw ShapeError("maxpool \(size)x\(size) needs at least \(size)x\(size) input, got \(x.height)x\(x.width)")
            }
            return FeatureShape(channels: x.channels,
                                height: poolExtent(x.height, size, stride, ceil),
                                width: poolExtent(x.width, size, stride, ceil))
        case .relu: return x
        case let .dropout(rate):
            guard rate >= 0, rate < 1 else { throw ShapeError("dropout rate must be in [0, 1), got \(formatNumber(rate))") }
            return x
        case let .dense(units):
            guard units > 0 else { throw ShapeError("dense needs at least 1 unit, got \(units)") }
            return FeatureShape(channels: units, height: 1, width: 1)
        case .flatten:
            return FeatureShape(channels: x.count, height: 1, width: 1)
        }
    }

    /// Trainable values (weights and biases) for the given input shape.
    public func parameterCount(_ x: FeatureShape) -> Int {
        switch self {
        case let .conv(maps, kh, kw, _, _): return maps * (x.channels * kh * kw + 1)
        case let .dense(units): return units * (x.count + 1)
        default: return 0
        }
    }

    /// Forward floating-point operations per sample (a multiply-add counts as 2).
    public func flops(_ x: FeatureShape) -> Int {
        guard let y = try? outputShape(x) else { return 0 }
        switch self {
        case let .conv(_, kh, kw, _, _): return 2 * y.count * x.channels * kh * kw
        case let .dense(units): return 2 * units * x.count
        // Two separable blurs for the mean and two for the variance, plus the pointwise work.
        case let .lcn(size): return x.count * (4 * size + 8)
        case let .maxpool(size, _, _): return y.count * size * size
        case .relu, .dropout: return x.count
        case .flatten: return 0
        }
    }
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
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    var s = String(format: "%.6g", v)
    if s.contains("e") { return s }
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
