/// Namespace for the metrics: pure functions over arrays of labels, scores and vectors.
public enum Metrics {}

// MARK: - Labels

extension Metrics {
    /// Fraction of samples whose predicted class equals the actual class (the paper's "total accuracy").
    public static func accuracy(predicted: [Int], actual: [Int]) throws -> Double {
        try toleranceAccuracy(predicted: predicted, actual: actual, tolerance: 0)
    }

    /// Fraction of samples with `|predicted - actual| <= tolerance`, for ordinal labels such as age bands.
    ///
    /// With five-year age bands, tolerance 0 is the paper's "±2.5 years" and tolerance 1 its "±5 years".
    public static func toleranceAccuracy(predicted: [Int], actual: [Int], tolerance: Int) throws -> Double {
        let f = "toleranceAccuracy"
        try Check.nonEmpty(f, "actual", actual.count)
        try Check.sameLength(f, "predicted", predicted.count, expected: actual.count)
        if tolerance < 0 {
            throw ReportError.invalidArgument(function: f, message: "tolerance \(tolerance) is negative")
        }
        var hits = 0
        for (p, a) in zip(predicted, actual) where abs(p - a) <= tolerance { hits += 1 }
        return Double(hits) / Double(actual.count)
    }

    /// Index of the largest score in each row (first one on ties): turns class scores into predicted labels.
    public static func argmax(scores: [[Double]]) throws -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(scores.count)
        for (i, row) in scores.enumerated() {
            if row.isEmpty { throw ReportError.empty(function: "argmax", what: "scores[\(i)]") }
            var best = 0
            for k in 1..<row.count where row[k] > row[best] { best = k }
            out.append(best)
        }
        return out
    }

    /// Per-class precision `TP / (TP + FP)`; `nil` for a class that is never predicted.
    public static func precision(predicted: [Int], actual: [Int], classCount: Int) throws -> [Double?] {
        try ConfusionMatrix(predicted: predicted, actual: actual, classCount: classCount).precisions
    }

    /// Per-class recall `TP / (TP + FN)`; `nil` for a class with no samples.
    public static func recall(predicted: [Int], actual: [Int], classCount: Int) throws -> [Double?] {
        try ConfusionMatrix(predicted: predicted, actual: actual, classCount: classCount).recalls
    }

    /// The paper's "average precision per class": the mean of the per-class precisions.
    ///
    /// Classes that are never predicted have no precision and are left out of the mean;
    /// `nil` when no class is ever predicted. Not to be confused with ``averagePrecision(scores:positives:)``.
    public static func meanPrecisionPerClass(predicted: [Int], actual: [Int], classCount: Int) throws -> Double? {
        try ConfusionMatrix(predicted: predicted, actual: actual, classCount: classCount).meanPrecisionPerClass
    }

    /// Mean of the defined values, or `nil` when none is defined.
    static func meanOfDefined(_ values: [Double?]) -> Double? {
        let defined = values.compactMap { $0 }
        return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
    }
}
