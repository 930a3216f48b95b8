import Foundation

/// Cosine similarity between predicted and true vectors, per sample and averaged.
public struct CosineSimilarityResult: Equatable, Sendable {
    /// Cosine of each sample; NaN where either vector has zero length (the cosine does not exist).
    public let perSample: [Double]
    /// Mean over the samples whose cosine exists; `nil` when none does.
    public let mean: Double?
    /// Indices of samples whose cosine does not exist, so a report can say how many were left out.
    public let undefinedSamples: [Int]
}

/// How angles are given to ``Metrics/meanAbsoluteAngleError(predicted:actual:unit:)``.
public enum AngleUnit: Sendable {
    case degrees, radians
}

extension Metrics {
    /// Mean squared error over every element of every sample.
    public static func meanSquaredError(predicted: [[Double]], actual: [[Double]]) throws -> Double {
        let f = "meanSquaredError"
        try checkVectors(f, predicted: predicted, actual: actual)
        var sum = 0.0, count = 0
        for (p, a) in zip(predicted, actual) {
            for (x, y) in zip(p, a) { sum += (x - y) * (x - y) }
            count += a.count
        }
        return sum / Double(count)
    }

    /// Cosine of the angle between two vectors; `nil` when either has zero length.
    public static func cosineSimilarity(_ a: [Double], _ b: [Double]) throws -> Double? {
        let f = "cosineSimilarity"
        try Check.nonEmpty(f, "first vector", a.count)
        try Check.sameLength(f, "second vector", b.count, expected: a.count)
        var dot = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) {
            dot += x * y
            aa += x * x
            bb += y * y
        }
        guard aa > 0, bb > 0 else { return nil }
        // Rounding can push |cos| a hair above 1; clamp so acos and displays stay sane.
        return min(1, max(-1, dot / (aa.squareRoot() * bb.squareRoot())))
    }

    /// Cosine similarity of each predicted vector with its true vector, and the mean (the paper's AAM score).
    public static func cosineSimilarity(predicted: [[Double]], actual: [[Double]]) throws -> CosineSimilarityResult {
        try checkVectors("cosineSimilarity", predicted: predicted, actual: actual)
        var perSample: [Double] = [], undefined: [Int] = []
        for (i, (p, a)) in zip(predicted, actual).enumerated() {
            if let c = try cosineSimilarity(p, a) {
                perSample.append(c)
            } else {
                perSample.append(.nan)
                undefined.append(i)
            }
        }
        return CosineSimilarityResult(perSample: perSample, mean: meanOfDefined(perSample.map { $0.isNaN ? nil : $0 }),
                                      undefinedSamples: undefined)
    }

    /// Mean absolute difference between predicted and true angles, in degrees, wrapped to at most 180°.
    public static func meanAbsoluteAngleError(predicted: [Double], actual: [Double],
                                              unit: AngleUnit = .degrees) throws -> Double {
        let f = "meanAbsoluteAngleError"
        try Check.nonEmpty(f, "actual", actual.count)
        try Check.sameLength(f, "predicted", predicted.count, expected: actual.count)
        try Check.finite(f, "predicted", predicted)
        try Check.finite(f, "actual", actual)
        let toDegrees = unit == .degrees ? 1.0 : 180.0 / Double.pi
        var sum = 0.0
        for (p, a) in zip(predicted, actual) {
            // 350° and 10° are 20° apart, not 340°.
            let d = abs((p - a) * toDegrees).truncatingRemainder(dividingBy: 360)
            sum += min(d, 360 - d)
        }
        return sum / Double(actual.count)
    }

    /// Mean absolute angle error per column of `[N, axes]` angle rows (e.g. yaw and pitch), in degrees.
    public static func meanAbsoluteAngleErrorPerAxis(predicted: [[Double]], actual: [[Double]],
                                                     unit: AngleUnit = .degrees) throws -> [Double] {
        try checkVectors("meanAbsoluteAngleErrorPerAxis", predicted: predicted, actual: actual)
        return try (0..<actual[0].count).map { axis in
            try meanAbsoluteAngleError(predicted: predicted.map { $0[axis] }, actual: actual.map { $0[axis] }, unit: unit)
        }
    }

    /// Same sample count, same non-zero width everywhere, finite values.
    static func checkVectors(_ f: String, predicted: [[Double]], actual: [[Double]]) throws {
        let width = try Check.matrix(f, "actual", actual)
        try Check.sameLength(f, "predicted", predicted.count, expected: actual.count)
        try Check.rows(f, "predicted", predicted, width: width)
        for (i, row) in actual.enumerated() { try Check.finite(f, "actual[\(i)]", row) }
        for (i, row) in predicted.enumerated() { try Check.finite(f, "predicted[\(i)]", row) }
    }
}
