/// Reading crops as contrast-normalised Floats.
extension FaceDataset {
    /// Writes the normalised pixels of the samples at `indices` into `buffer`
    /// (`indices.count × N × N` Floats, row-major, one channel): a mini-batch for the engine.
    public func copyPixels(_ indices: [Int], into buffer: UnsafeMutableBufferPointer<Float>) {
        let n = size * size
        precondition(buffer.count >= indices.count * n, "copyPixels: buffer holds \(buffer.count) Floats, needs \(indices.count * n)")
        for (row, index) in indices.enumerated() {
            let slot = UnsafeMutableBufferPointer(rebasing: buffer[(row * n)..<((row + 1) * n)])
            normalisation.normaliseImage(crops.crop(index), into: slot)
            statistics?.standardise(slot)
        }
    }

    /// The normalised pixels of the samples at `indices`, `indices.count × N × N` row-major.
    public func pixels(_ indices: [Int]) -> [Float] {
        [Float](unsafeUninitializedCapacity: indices.count * size * size) { buffer, initialised in
            copyPixels(indices, into: buffer)
            initialised = indices.count * size * size
        }
    }

    /// The normalised pixels of one split, `count × N × N` row-major.
    public func pixels(in split: Split) -> [Float] { pixels(indices(in: split)) }

    /// All normalised pixels, `count × N × N` row-major (materialises count·N²·4 bytes).
    public var pixels: [Float] { pixels(Array(0..<count)) }
}
