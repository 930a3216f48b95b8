/// A receiver operating characteristic curve for one binary (or one-vs-rest) problem.
public struct ROCCurve: Equatable, Sendable {
    /// False positive rate at each point, from 0 to 1; empty when the curve is undefined.
    public let falsePositiveRates: [Double]
    /// True positive rate at each point, from 0 to 1; empty when the curve is undefined.
    public let truePositiveRates: [Double]
    /// Score cut of each point (`score >= t` is positive); the first point, (0, 0), has `+infinity`.
    public let thresholds: [Double]
    /// Number of positive samples.
    public let positives: Int
    /// Number of negative samples.
    public let negatives: Int
    /// Area under the curve, equal to the Mann-Whitney U / (P·N); `nil` without both positives and negatives.
    public let auc: Double?

    /// Whether the curve exists (there are both positive and negative samples).
    public var isDefined: Bool { auc != nil }
}

extension Metrics {
    /// ROC curve of `scores` against binary `positives`, with one point per distinct score.
    ///
    /// Tied scores form one step that moves diagonally, so the trapezoidal AUC counts a tied
    /// positive/negative pair as one half: exactly the Mann-Whitney statistic.
    public static func roc(scores: [Double], positives: [Bool]) throws -> ROCCurve {
        let r = try RankedCounts(function: "roc", scores: scores, positives: positives)
        guard r.positives > 0, r.negatives > 0 else {
            return ROCCurve(falsePositiveRates: [], truePositiveRates: [], thresholds: [],
                            positives: r.positives, negatives: r.negatives, auc: nil)
        }
        let p = Double(r.positives), n = Double(r.negatives)
        var fpr = [0.0], tpr = [0.0], thresholds = [Double.infinity]
        // Twice the area in units of one (positive, negative) pair, summed in integers: exact.
        var doubledPairs = 0
        var tpBefore = 0, fpBefore = 0
        for i in r.thresholds.indices {
            let tp = r.truePositives[i], fp = r.falsePositives[i]
            doubledPairs += (fp - fpBefore) * (tpBefore + tp)
            tpBefore = tp
            fpBefore = fp
            fpr.append(Double(fp) / n)
            tpr.append(Double(tp) / p)
            thresholds.append(r.thresholds[i])
        }
        let auc = Double(doubledPairs) / (2 * p * n)
        return ROCCurve(falsePositiveRates: fpr, truePositiveRates: tpr, thresholds: thresholds,
                        positives: r.positives, negatives: r.negatives, auc: auc)
    }

    /// One-vs-rest ROC curves, one per class: `scores[i][k]` is sample `i`'s score for class `k`.
    public static func roc(scores: [[Double]], labels: [Int]) throws -> [ROCCurve] {
        let ovr = try oneVsRest(function: "roc", scores: scores, labels: labels)
        return try (0..<ovr.classCount).map { k in
            let (column, positives) = ovr.column(k)
            return try roc(scores: column, positives: positives)
        }
    }

    /// Area under the ROC curve; `nil` when there are no positives or no negatives.
    public static func auc(scores: [Double], positives: [Bool]) throws -> Double? {
        try roc(scores: scores, positives: positives).auc
    }

    /// Mean of the defined per-class AUCs (macro average); `nil` when none is defined.
    public static func macroAUC(_ curves: [ROCCurve]) -> Double? {
        meanOfDefined(curves.map(\.auc))
    }
}
