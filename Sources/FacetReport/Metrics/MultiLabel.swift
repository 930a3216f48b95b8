/// Per-label results of a multi-label (sigmoid) head.
public struct MultiLabelResult: Equatable, Sendable {
    /// Fraction of samples where `score >= threshold` agrees with the target, per label.
    public let accuracy: [Double]
    /// ROC AUC per label; `nil` for a label whose targets are all positive or all negative.
    public let auc: [Double?]
    /// Number of positive targets per label.
    public let positives: [Int]
    /// Mean of the per-label accuracies.
    public var meanAccuracy: Double { accuracy.reduce(0, +) / Double(accuracy.count) }
    /// Mean of the defined per-label AUCs; `nil` when none is defined.
    public var meanAUC: Double? { Metrics.meanOfDefined(auc) }
}

extension Metrics {
    /// Per-label accuracy and AUC for independent sigmoid outputs: `scores[i][l]` is the probability
    /// that sample `i` has label `l`, and `targets[i][l]` whether it does.
    public static func multiLabel(scores: [[Double]], targets: [[Bool]], threshold: Double = 0.5) throws -> MultiLabelResult {
        let f = "multiLabel"
        try Check.nonEmpty(f, "scores", scores.count)
        try Check.sameLength(f, "targets", targets.count, expected: scores.count)
        let labelCount = scores[0].count
        try Check.nonEmpty(f, "scores[0]", labelCount)
        try Check.rows(f, "scores", scores, width: labelCount)
        for (i, row) in targets.enumerated() where row.count != labelCount {
            throw ReportError.lengthMismatch(function: f, what: "targets[\(i)]", expected: labelCount, got: row.count)
        }
        var accuracy: [Double] = [], auc: [Double?] = [], positives: [Int] = []
        for l in 0..<labelCount {
            let column = scores.map { $0[l] }
            let truth = targets.map { $0[l] }
            let hits = zip(column, truth).reduce(0) { $0 + (($1.0 >= threshold) == $1.1 ? 1 : 0) }
            accuracy.append(Double(hits) / Double(column.count))
            auc.append(try Metrics.auc(scores: column, positives: truth))
            positives.append(truth.reduce(0) { $0 + ($1 ? 1 : 0) })
        }
        return MultiLabelResult(accuracy: accuracy, auc: auc, positives: positives)
    }
}
