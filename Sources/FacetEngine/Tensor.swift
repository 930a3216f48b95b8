/// A dense Float32 array with a shape; batches are NCHW and contiguous (row-major).
/// A value type: copies share storage until one is written (Swift arrays' copy-on-write).
public struct Tensor: Equatable, Sendable {
    public private(set) var shape: [Int]
    public var data: [Float]

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor over existing values; `data.count` must equal the product of `shape`.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count,
                     "tensor shape \(shape) holds \(shape.reduce(1, *)) values, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// A batch of `n` samples of shape `sample`.
    public init(batch n: Int, _ sample: FeatureShape, repeating value: Float = 0) {
        self.init(shape: [n, sample.channels, sample.height, sample.width], repeating: value)
    }

    public var count: Int { data.count }
    /// Size of the leading (batch) dimension.
    public var batchSize: Int { shape.first ?? 0 }
    /// Values per sample (everything but the batch dimension).
    public var sampleCount: Int { shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1 }

    /// The same values under a new shape with the same number of elements.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }

    /// Samples `range` of the batch dimension, as a new tensor.
    public func samples(_ range: Range<Int>) -> Tensor {
        let per = sampleCount
        var s = shape; s[0] = range.count
        return Tensor(shape: s, data: Array(data[(range.lowerBound * per)..<(range.upperBound * per)]))
    }

    /// Samples at `indices` (in that order), gathered into a new batch.
    public func gather(_ indices: [Int]) -> Tensor {
        let per = sampleCount
        var out = [Float](repeating: 0, count: indices.count * per)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (j, i) in indices.enumerated() {
                    precondition(i >= 0 && i < batchSize, "sample index \(i) outside batch of \(batchSize)")
                    (dst.baseAddress! + j * per).update(from: src.baseAddress! + i * per, count: per)
                }
            }
        }
        var s = shape; s[0] = indices.count
        return Tensor(shape: s, data: out)
    }

    /// True when every value is finite.
    public var isFinite: Bool { data.allSatisfy { $0.isFinite } }
}

/// A Float array of `count` whose contents are unspecified, for scratch buffers that are written
/// in full before being read (skips the zero-fill of `[Float](repeating:count:)`).
@inline(__always)
func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
}
