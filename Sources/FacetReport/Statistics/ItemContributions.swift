import Foundation

/// Per-test-item contributions of a metric: values whose mean is the metric, so that their spread
/// gives the test set's sampling error (``TestSample``). For a mean over items (accuracy, an
/// angle error) they are the items' own terms; for a ratio (precision, recall) they are its
/// linearisation — the metric plus each item's influence (the delta method: for R = Σy/Σx,
/// Rᵢ = R + (yᵢ − R·xᵢ) / x̄), whose mean is R and whose s²/N is the ratio's approximate variance.
public enum ItemContributions {
    /// 1 for each right answer, 0 for each wrong one (within `tolerance` classes when given).
    public static func correct(predicted: [Int], actual: [Int], tolerance: Int = 0) -> [Double] {
        zip(predicted, actual).map { abs($0 - $1) <= tolerance ? 1 : 0 }
    }

    /// Precision of class k: among items predicted k, the share that are k; nil when none is
    /// predicted k (precision undefined).
    public static func precision(_ k: Int, predicted: [Int], actual: [Int]) -> [Double]? {
        ratio(numerator: zip(predicted, actual).map { $0 == k && $1 == k ? 1 : 0 }, denominator: predicted.map { $0 == k ? 1 : 0 })
    }

    /// Recall of class k: among items that are k, the share predicted k; nil without such items.
    public static func recall(_ k: Int, predicted: [Int], actual: [Int]) -> [Double]? {
        ratio(numerator: zip(predicted, actual).map { $0 == k && $1 == k ? 1 : 0 }, denominator: actual.map { $0 == k ? 1 : 0 })
    }

    /// The mean of the per-class precisions that are defined (the paper's "average precision per
    /// class"); nil when none is.
    public static func meanPrecision(classes: Int, predicted: [Int], actual: [Int]) -> [Double]? {
        let parts = (0..<classes).compactMap { precision($0, predicted: predicted, actual: actual) }
        guard !parts.isEmpty else { return nil }
        return (0..<predicted.count).map { i in parts.reduce(0) { $0 + $1[i] } / Double(parts.count) }
    }

    /// Σyᵢ/Σxᵢ linearised: R + (yᵢ − R·xᵢ)/x̄.
    public static func ratio(numerator y: [Double], denominator x: [Double]) -> [Double]? {
        let sx = x.reduce(0, +)
        guard sx > 0, !x.isEmpty else { return nil }
        let r = y.reduce(0, +) / sx, xbar = sx / Double(x.count)
        return zip(y, x).map { r + ($0 - r * $1) / xbar }
    }

    /// Each row's mean squared error over its outputs.
    public static func squaredError(predicted: [[Double]], actual: [[Double]]) -> [Double] {
        zip(predicted, actual).map { p, a -> Double in
            var sum = 0.0
            for (x, y) in zip(p, a) { sum += (x - y) * (x - y) }
            return sum / Double(max(a.count, 1))
        }
    }

    /// Each row's cosine similarity of the chosen columns; rows where it is undefined (a zero
    /// vector) take the mean of the others, so they add no spread and the mean is unchanged.
    public static func cosine(predicted: [[Double]], actual: [[Double]], columns: [Int]) throws -> [Double] {
        let c = try predicted.indices.map { i in try Metrics.cosineSimilarity(columns.map { predicted[i][$0] }, columns.map { actual[i][$0] }) }
        let defined = c.compactMap { $0 }
        let mean = defined.isEmpty ? 0 : defined.reduce(0, +) / Double(defined.count)
        return c.map { $0 ?? mean }
    }

    /// Each row's absolute angle error in degrees (wrapped: 350° against 10° is 20°).
    public static func angleError(predicted: [Double], actual: [Double]) -> [Double] {
        zip(predicted, actual).map { p, a in
            let d = abs(p - a).truncatingRemainder(dividingBy: 360)
            return min(d, 360 - d)
        }
    }
}
