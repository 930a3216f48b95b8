import Foundation

/// Did a trained network learn anything on the data it was evaluated on? A net that answers the
/// commonest class for nearly every face scores the majority-class rate and varies least from seed
/// to seed, so without this check it would make the most decisive-looking comparisons.
///
/// Rule (docs/metrics.md, "Learning checks"):
/// - classification: learned when accuracy ≥ majority rate + max(2 points, 2·√(m(1−m)/n)) — a
///   clear margin over always answering the commonest class m, at least two binomial standard
///   errors of that rate on n faces — and the net does not collapse onto one answer (≥ 90 % of
///   its predictions in one class, the others predicted less than a quarter as often as they occur);
/// - multi-label (a joint sigmoid head): the same margin on the mean over attributes of accuracy
///   against the mean majority rate, the standard error averaged over the attributes;
/// - regression: learned when the mean squared error is at most 90 % of predicting the training
///   mean for every sample (the net explains at least a tenth of the variance around it).
public struct LearningCheck: Equatable, Sendable {
    public enum Kind: String, Sendable { case classification, multiLabel = "multi-label", regression }

    public static let marginFloor = 0.02
    public static let standardErrors = 2.0
    public static let collapseShare = 0.9
    public static let collapseOthers = 0.25
    public static let regressionRatio = 0.9

    public let kind: Kind
    /// Evaluated samples (faces with a label).
    public let samples: Int
    /// Accuracy (classification, multi-label) or mean squared error (regression).
    public let score: Double
    /// The majority-class rate of the evaluated data, or the mean squared error of the training mean.
    public let baseline: Double
    /// What the score must reach (at least) or stay under (regression) to count as learned.
    public let threshold: Double
    /// Classification: the most-predicted class, its share of the predictions and of the data.
    public let topPredicted: (name: String, predictedShare: Double, dataShare: Double)?
    /// Classification: the commonest class of the data.
    public let majorityClass: String?
    public let learned: Bool

    public static func == (a: LearningCheck, b: LearningCheck) -> Bool {
        a.kind == b.kind && a.samples == b.samples && a.score == b.score && a.baseline == b.baseline
            && a.threshold == b.threshold && a.learned == b.learned && a.majorityClass == b.majorityClass
            && a.topPredicted?.name == b.topPredicted?.name && a.topPredicted?.predictedShare == b.topPredicted?.predictedShare
            && a.topPredicted?.dataShare == b.topPredicted?.dataShare
    }

    /// Collapse onto one answer: ≥ 90 % of the predictions in one class, the other classes
    /// predicted less than a quarter as often as they occur (a class that is 80 % of the data may
    /// get 91 % of the predictions from a net that learned; one that is 23 % may not get 90 %).
    public static func isCollapse(predictedShare: Double, dataShare: Double) -> Bool {
        predictedShare >= collapseShare && 1 - predictedShare < collapseOthers * (1 - dataShare)
    }

    /// The margin a rate `m` over `n` samples must be beaten by.
    public static func margin(majority m: Double, samples n: Int) -> Double {
        max(marginFloor, standardErrors * (m * (1 - m) / Double(max(n, 1))).squareRoot())
    }

    /// A softmax head's check from its predicted and actual classes.
    public static func classification(predicted: [Int], actual: [Int], classes: [String]) throws -> LearningCheck {
        let f = "LearningCheck.classification"
        try Check.nonEmpty(f, "actual", actual.count)
        try Check.sameLength(f, "predicted", predicted.count, expected: actual.count)
        try Check.labels(f, "actual", actual, count: classes.count)
        try Check.labels(f, "predicted", predicted, count: classes.count)
        let n = Double(actual.count)
        var truth = [Int](repeating: 0, count: classes.count), guessed = truth
        for y in actual { truth[y] += 1 }
        for p in predicted { guessed[p] += 1 }
        let accuracy = Double(zip(predicted, actual).filter { $0 == $1 }.count) / n
        let majority = truth.indices.max { truth[$0] < truth[$1] || (truth[$0] == truth[$1] && $0 > $1) }!
        let top = guessed.indices.max { guessed[$0] < guessed[$1] || (guessed[$0] == guessed[$1] && $0 > $1) }!
        let m = Double(truth[majority]) / n
        let threshold = m + margin(majority: m, samples: actual.count)
        let topShare = Double(guessed[top]) / n, topData = Double(truth[top]) / n
        let collapsed = isCollapse(predictedShare: topShare, dataShare: topData)
        return LearningCheck(kind: .classification, samples: actual.count, score: accuracy, baseline: m, threshold: threshold,
                             topPredicted: (classes[top], topShare, topData), majorityClass: classes[majority],
                             learned: accuracy >= threshold - 1e-12 && !collapsed)
    }

    /// A joint multi-label head: per attribute block, the accuracy and the majority rate over its
    /// labelled samples; the check is on their means.
    public static func multiLabel(accuracies: [Double], majorityRates: [Double], samples: [Int]) throws -> LearningCheck {
        let f = "LearningCheck.multiLabel"
        try Check.nonEmpty(f, "accuracies", accuracies.count)
        try Check.sameLength(f, "majorityRates", majorityRates.count, expected: accuracies.count)
        try Check.sameLength(f, "samples", samples.count, expected: accuracies.count)
        let k = Double(accuracies.count)
        let score = accuracies.reduce(0, +) / k, m = majorityRates.reduce(0, +) / k
        let variance = zip(majorityRates, samples).reduce(0) { $0 + $1.0 * (1 - $1.0) / Double(max($1.1, 1)) } / (k * k)
        let threshold = m + max(marginFloor, standardErrors * variance.squareRoot())
        return LearningCheck(kind: .multiLabel, samples: samples.max() ?? 0, score: score, baseline: m, threshold: threshold,
                             topPredicted: nil, majorityClass: nil, learned: score >= threshold - 1e-12)
    }

    /// A regression head: its mean squared error against that of predicting `trainingMean` (one
    /// value per output) for every sample.
    public static func regression(predicted: [[Double]], actual: [[Double]], trainingMean: [Double]) throws -> LearningCheck {
        let f = "LearningCheck.regression"
        try Metrics.checkVectors(f, predicted: predicted, actual: actual)
        try Check.sameLength(f, "trainingMean", trainingMean.count, expected: actual[0].count)
        let mse = try Metrics.meanSquaredError(predicted: predicted, actual: actual)
        let baseline = try Metrics.meanSquaredError(predicted: actual.map { _ in trainingMean }, actual: actual)
        let threshold = regressionRatio * baseline
        return LearningCheck(kind: .regression, samples: actual.count, score: mse, baseline: baseline, threshold: threshold,
                             topPredicted: nil, majorityClass: nil, learned: mse <= threshold)
    }

    /// One sentence: "learned: accuracy 45.0 % against the majority rate 23.2 % ('happy'; needs ≥ 30.1 %)".
    public var sentence: String {
        func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
        switch kind {
        case .classification, .multiLabel:
            let who = majorityClass.map { " ('\($0)')" } ?? ""
            var s = (learned ? "learned" : "did not learn") + ": accuracy \(pct(score)) against the majority-class rate "
                + "\(pct(baseline))\(who), needs ≥ \(pct(threshold))"
            if let t = topPredicted {
                s += "; \(pct(t.predictedShare)) of its predictions are '\(t.name)' (\(pct(t.dataShare)) of the data)"
                if Self.isCollapse(predictedShare: t.predictedShare, dataShare: t.dataShare) { s += ": collapsed onto one class" }
            }
            return s + " (\(samples) samples)"
        case .regression:
            return (learned ? "learned" : "did not learn")
                + String(format: ": mean squared error %.4g against %.4g for predicting the training mean, needs ≤ %.4g (%d samples)",
                         score, baseline, threshold, samples)
        }
    }
}
