/// Contrast normalisation of single crops outside a data set (new photos at prediction time).
extension ContrastNormalisation {
    /// Normalises one N×N crop exactly as `FaceDataset.copyPixels` does: step 1 with these
    /// settings, then step 2 with `statistics` (the training split's μ and σ) when given.
    public func normalise(_ crop: [UInt8], statistics: PixelStatistics?, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count == crop.count, "normalise: output holds \(out.count) Floats, the crop has \(crop.count) pixels")
        crop.withUnsafeBufferPointer { normaliseImage($0, into: out) }
        statistics?.standardise(out)
    }
}
