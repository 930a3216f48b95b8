/// A precision-recall curve for one binary (or one-vs-rest) problem.
public struct PrecisionRecallCurve: Equatable, Sendable {
    /// Precision `TP / (TP + FP)` at each distinct score, highest score first.
    public let precisions: [Double]
    /// Recall `TP / P` at each distinct score, highest score first.
    public let recalls: [Double]
    /// Score cut of each point (`score >= t` is positive).
    public let thresholds: [Double]
    /// Area under the step curve, `Σ (Rₙ − Rₙ₋₁) · Pₙ` with `R₀ = 0`; `nil` when there are no positives.
    public let averagePrecision: Double?
}

extension Metrics {
    /// Precision-recall curve of `scores` against binary `positives`, one point per distinct score.
    ///
    /// Average precision follows scikit-learn's `average_precision_score`: the step-wise area
    /// with no interpolation, tied scores taken as one step.
    public static func precisionRecall(scores: [Double], positives: [Bool]) throws -> PrecisionRecallCurve {
        let r = try RankedCounts(function: "precisionRecall", scores: scores, positives: positives)
        guard r.positives > 0 else {
            return PrecisionRecallCurve(precisions: [], recalls: [], thresholds: [], averagePrecision: nil)
        }
        var precisions: [Double] = [], recalls: [Double] = []
        var ap = 0.0, previousRecall = 0.0
        for i in r.thresholds.indices {
            let tp = r.truePositives[i], fp = r.falsePositives[i]
            let precision = Double(tp) / Double(tp + fp)
            let recall = Double(tp) / Double(r.positives)
            ap += (recall - previousRecall) * precision
            previousRecall = recall
            precisions.append(precision)
            recalls.append(recall)
        }
        return PrecisionRecallCurve(precisions: precisions, recalls: recalls,
                                    thresholds: r.thresholds, averagePrecision: ap)
    }

    /// Average precision: the area under the precision-recall curve; `nil` when there are no positives.
    public static func averagePrecision(scores: [Double], positives: [Bool]) throws -> Double? {
        try precisionRecall(scores: scores, positives: positives).averagePrecision
    }

    /// One-vs-rest average precision per class: `scores[i][k]` is sample `i`'s score for class `k`.
    public static func averagePrecision(scores: [[Double]], labels: [Int]) throws -> [Double?] {
        let ovr = try oneVsRest(function: "averagePrecision", scores: scores, labels: labels)
        return try (0..<ovr.classCount).map { k in
            let (column, positives) = ovr.column(k)
            return try averagePrecision(scores: column, positives: positives)
        }
    }
}
