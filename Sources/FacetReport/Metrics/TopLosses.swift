import Foundation

/// One sample's loss under a classifier: its position, the true and predicted class, the
/// probability of the predicted class and −log p(true class).
public struct ClassificationLoss: Equatable, Sendable {
    public let index: Int
    public let actual: Int
    public let predicted: Int
    public let probability: Double
    public let loss: Double
}

/// One sample's loss under a regression head: its position, the squared error averaged over the
/// present targets (the training loss of that sample) and its square root (the RMS error).
public struct RegressionLoss: Equatable, Sendable {
    public let index: Int
    public let loss: Double
    public var error: Double { loss.squareRoot() }
}

/// A class pair the classifier mixes up: `count` samples of `actual` predicted as `predicted`.
public struct ConfusedPair: Equatable, Sendable {
    public let actual: Int
    public let predicted: Int
    public let count: Int
}

extension Metrics {
    /// Every labelled sample's loss, highest first (ties: lower index first). `probabilities[i]`
    /// is sample i's class distribution; a label below 0 is missing and the sample is left out.
    /// The predicted class is the first of the highest probabilities; p = 0 counts as the smallest
    /// positive Float, so a loss is finite.
    public static func classificationLosses(probabilities: [[Double]], labels: [Int]) throws -> [ClassificationLoss] {
        let f = "classificationLosses"
        try Check.sameLength(f, "labels", labels.count, expected: probabilities.count)
        var out: [ClassificationLoss] = []
        for (i, p) in probabilities.enumerated() where labels[i] >= 0 {
            guard labels[i] < p.count else {
                throw ReportError.invalidArgument(function: f, message: "label \(labels[i]) of sample \(i) is not below its \(p.count) classes")
            }
            let predicted = p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
            let loss = -log(max(p[labels[i]], Double(Float.leastNonzeroMagnitude)))
            out.append(ClassificationLoss(index: i, actual: labels[i], predicted: predicted, probability: p[predicted], loss: loss))
        }
        return out.sorted { $0.loss != $1.loss ? $0.loss > $1.loss : $0.index < $1.index }
    }

    /// Every sample's mean squared error over its present (non-NaN) targets, highest first (ties:
    /// lower index first); a sample with no present target is left out.
    public static func regressionLosses(predicted: [[Double]], actual: [[Double]]) throws -> [RegressionLoss] {
        try Check.sameLength("regressionLosses", "actual", actual.count, expected: predicted.count)
        var out: [RegressionLoss] = []
        for (i, (p, a)) in zip(predicted, actual).enumerated() {
            let present = zip(p, a).filter { !$0.1.isNaN }
            guard !present.isEmpty else { continue }
            let loss = present.reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(present.count)
            out.append(RegressionLoss(index: i, loss: loss))
        }
        return out.sorted { $0.loss != $1.loss ? $0.loss > $1.loss : $0.index < $1.index }
    }
}

extension ConfusionMatrix {
    /// Off-diagonal cells with at least `minimum` samples, most frequent first, then by actual and
    /// predicted class name.
    public func mostConfused(minimum: Int = 1) -> [ConfusedPair] {
        var pairs: [ConfusedPair] = []
        for a in 0..<classCount {
            for p in 0..<classCount where p != a && counts[a][p] >= max(1, minimum) {
                pairs.append(ConfusedPair(actual: a, predicted: p, count: counts[a][p]))
            }
        }
        return pairs.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if classes[$0.actual] != classes[$1.actual] { return classes[$0.actual] < classes[$1.actual] }
            return classes[$0.predicted] < classes[$1.predicted]
        }
    }
}
