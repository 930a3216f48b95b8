import FacetRandom
import Foundation

/// The first-layer convolution weights of one model: `weights` laid out as `[filters, channels, height, width]`.
public struct FilterBank: Equatable, Sendable {
    /// Row-major weights, `filters · channels · height · width` values.
    public let weights: [Float]
    public let filters: Int
    public let channels: Int
    public let height: Int
    public let width: Int

    /// Wraps a weight buffer, checking that its length matches the shape.
    public init(weights: [Float], filters: Int, channels: Int, height: Int, width: Int) throws {
        let shape = [filters, channels, height, width]
        if shape.contains(where: { $0 <= 0 }) {
            throw ReportError.invalidArgument(function: "FilterBank", message: "shape \(shape) has a non-positive size")
        }
        try Check.sameLength("FilterBank", "weights", weights.count, expected: shape.reduce(1, *))
        for (i, w) in weights.enumerated() where !w.isFinite {
            throw ReportError.nonFinite(function: "FilterBank", what: "weights", index: i)
        }
        self.weights = weights
        self.filters = filters
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per filter: `channels · height · width`.
    public var filterSize: Int { channels * height * width }

    /// Filter `f` as one flat vector of Double.
    public func filter(_ f: Int) -> [Double] {
        weights[f * filterSize..<(f + 1) * filterSize].map(Double.init)
    }

    /// Untrained weights of the same shape drawn from a standard normal distribution with `seed`.
    ///
    /// The scale does not matter to cosine similarity; only the symmetric, independent draw does.
    public static func random(filters: Int, channels: Int, height: Int, width: Int, seed: UInt64) throws -> FilterBank {
        var rng = SeededGenerator(seed: seed)
        let count = max(0, filters * channels * height * width)
        let weights = (0..<count).map { _ in Float(rng.normal()) }
        return try FilterBank(weights: weights, filters: filters, channels: channels, height: height, width: width)
    }
}
