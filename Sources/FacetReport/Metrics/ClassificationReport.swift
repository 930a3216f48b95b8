/// Everything a report says about one softmax head on one test set, computed in one call.
///
/// ```swift
/// let r = try ClassificationReport(scores: probabilities, labels: truth, classes: ["angry", "happy"])
/// print(r.table().render(), r.accuracy)
/// let svg = try SVG.rocCurves(r.roc, classes: r.classes)
/// ```
public struct ClassificationReport: Equatable, Sendable {
    /// Class names, in label order.
    public let classes: [String]
    /// Predicted class of each sample: the arg-max of its scores.
    public let predicted: [Int]
    /// Actual class of each sample, as given.
    public let actual: [Int]
    /// Confusion of predicted (arg-max) against actual labels.
    public let confusion: ConfusionMatrix
    /// One-vs-rest ROC curve per class.
    public let roc: [ROCCurve]
    /// One-vs-rest average precision (area under the precision-recall curve) per class.
    public let averagePrecision: [Double?]

    /// Scores are `[N][K]` (one row per sample, one column per class); labels are `0..<K`.
    public init(scores: [[Double]], labels: [Int], classes: [String]) throws {
        let f = "ClassificationReport"
        try Check.nonEmpty(f, "scores", scores.count)
        try Check.sameLength(f, "classes", classes.count, expected: scores[0].count)
        self.classes = classes
        roc = try Metrics.roc(scores: scores, labels: labels)
        averagePrecision = try Metrics.averagePrecision(scores: scores, labels: labels)
        predicted = try Metrics.argmax(scores: scores)
        actual = labels
        confusion = try ConfusionMatrix(predicted: predicted, actual: labels, classes: classes)
    }

    /// Total accuracy of the arg-max predictions.
    public var accuracy: Double { confusion.accuracy ?? 0 }
    /// The paper's "average precision per class" (mean of per-class precisions).
    public var meanPrecisionPerClass: Double? { confusion.meanPrecisionPerClass }
    /// Per-class AUC; `nil` for a class without positives or negatives.
    public var auc: [Double?] { roc.map(\.auc) }
    /// Mean of the defined per-class AUCs.
    public var macroAUC: Double? { Metrics.macroAUC(roc) }

    /// Fraction of samples within `tolerance` classes of the truth, for ordinal classes (e.g. age bands).
    public func toleranceAccuracy(_ tolerance: Int) throws -> Double {
        try Metrics.toleranceAccuracy(predicted: predicted, actual: actual, tolerance: tolerance)
    }

    /// Per-class support, precision, recall, AUC and AP with a macro-mean row.
    public func table() throws -> MarkdownTable {
        try MarkdownTable.classification(confusion, auc: auc, averagePrecision: averagePrecision)
    }
}
