/// Global contrast normalisation (paper section 3.3), applied when pixels are read as Float:
///  1. per image: x ← x − mean(x);  x ← x · norm / ‖x‖₂   (norm = 100; a flat image stays all zeros)
///  2. per pixel position j: x_j ← (x_j − μ_j) / σ_j, with μ and σ fitted on the training split only
///     (after step 1) and applied unchanged to validation and test; σ_j < 1e-6 is treated as 1.
/// Either step can be switched off. With both off, pixels are the raw bytes 0...255 as Float.
public struct ContrastNormalisation: Codable, Hashable, Sendable {
    /// Step 1: subtract each image's mean and scale it to norm `norm`.
    public var perImage: Bool = true
    /// The L2 norm every image is scaled to in step 1.
    public var norm: Float = 100
    /// Step 2: standardise each pixel position with training-split statistics.
    public var perPixel: Bool = true
    /// Step 0: raw pixel values (0–255) times this factor; 1/255 gives [0, 1], the plain scaling a
    /// pipeline without contrast normalisation uses. (Steps 1 and 2 undo any factor.)
    public var scale: Float = 1

    /// Both steps on (the paper's setting).
    public init(perImage: Bool = true, norm: Float = 100, perPixel: Bool = true, scale: Float = 1) {
        (self.perImage, self.norm, self.perPixel, self.scale) = (perImage, norm, perPixel, scale)
    }

    private enum CodingKeys: String, CodingKey { case perImage, norm, perPixel, scale }

    // `scale` is written only when it is not 1, so models and cache keys from before it stay the same.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        perImage = try c.decode(Bool.self, forKey: .perImage)
        norm = try c.decode(Float.self, forKey: .norm)
        perPixel = try c.decode(Bool.self, forKey: .perPixel)
        scale = try c.decodeIfPresent(Float.self, forKey: .scale) ?? 1
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(perImage, forKey: .perImage)
        try c.encode(norm, forKey: .norm)
        try c.encode(perPixel, forKey: .perPixel)
        if scale != 1 { try c.encode(scale, forKey: .scale) }
    }

    /// No normalisation: raw pixel values.
    public static let none = ContrastNormalisation(perImage: false, perPixel: false)

    /// Step 1 on one image of bytes, into `out` (same length).
    func normaliseImage(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Float>) {
        let n = bytes.count
        var sum: Float = 0
        for j in 0..<n {
            out[j] = Float(bytes[j]) * scale
            sum += out[j]
        }
        guard perImage else { return }
        let mean = sum / Float(n)
        var squares: Float = 0
        for j in 0..<n {
            out[j] -= mean
            squares += out[j] * out[j]
        }
        let length = squares.squareRoot()
        let factor: Float = length > 1e-6 ? norm / length : 0
        for j in 0..<n { out[j] *= factor }
    }
}

/// Per-pixel mean and standard deviation fitted on the training split (step 2 of GCN).
public struct PixelStatistics: Codable, Sendable, Equatable {
    /// μ_j for each of the N×N pixel positions.
    public var mean: [Float]
    /// σ_j for each pixel position (before the 1e-6 floor).
    public var std: [Float]
    /// Number of training images they were fitted on.
    public var samples: Int

    /// Fits μ and σ on the crops at `indices` after step 1 of `settings`.
    init(fitting crops: CropStore, indices: [Int], settings: ContrastNormalisation) throws {
        guard !indices.isEmpty else {
            throw VisionError("contrast normalisation: the training split is empty, so per-pixel statistics cannot be fitted")
        }
        let n = crops.size * crops.size
        var sum = [Double](repeating: 0, count: n), squares = [Double](repeating: 0, count: n)
        var image = [Float](repeating: 0, count: n)
        for index in indices {
            image.withUnsafeMutableBufferPointer { settings.normaliseImage(crops.crop(index), into: $0) }
            for j in 0..<n {
                let x = Double(image[j])
                sum[j] += x
                squares[j] += x * x
            }
        }
        let count = Double(indices.count)
        mean = sum.map { Float($0 / count) }
        std = (0..<n).map { j in
            let m = sum[j] / count
            return Float(max(0, squares[j] / count - m * m).squareRoot())
        }
        samples = indices.count
    }

    /// Step 2 on one image in place.
    func standardise(_ x: UnsafeMutableBufferPointer<Float>) {
        for j in 0..<x.count {
            let s = std[j] < 1e-6 ? 1 : std[j]
            x[j] = (x[j] - mean[j]) / s
        }
    }
}
