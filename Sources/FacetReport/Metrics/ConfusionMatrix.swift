/// Counts of (actual, predicted) class pairs, with per-class precision and recall derived from them.
public struct ConfusionMatrix: Equatable, Sendable {
    /// Class names, in label order.
    public let classes: [String]
    /// `counts[actual][predicted]`: number of samples of class `actual` predicted as `predicted`.
    public let counts: [[Int]]

    /// Tallies predictions against actual labels; labels are indices into `classes`.
    public init(predicted: [Int], actual: [Int], classes: [String]) throws {
        let f = "ConfusionMatrix"
        try Check.nonEmpty(f, "classes", classes.count)
        try Check.sameLength(f, "predicted", predicted.count, expected: actual.count)
        try Check.labels(f, "actual", actual, count: classes.count)
        try Check.labels(f, "predicted", predicted, count: classes.count)
        var counts = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
        for (p, a) in zip(predicted, actual) { counts[a][p] += 1 }
        self.classes = classes
        self.counts = counts
    }

    /// Tallies with classes named "0", "1", ... when no names are at hand.
    public init(predicted: [Int], actual: [Int], classCount: Int) throws {
        if classCount <= 0 {
            throw ReportError.invalidArgument(function: "ConfusionMatrix", message: "classCount \(classCount) must be positive")
        }
        try self.init(predicted: predicted, actual: actual, classes: (0..<classCount).map(String.init))
    }

    /// Number of classes.
    public var classCount: Int { classes.count }

    /// Number of samples tallied.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Fraction of samples on the diagonal; `nil` when there are no samples.
    public var accuracy: Double? {
        let n = total
        guard n > 0 else { return nil }
        return Double((0..<classCount).reduce(0) { $0 + counts[$1][$1] }) / Double(n)
    }

    /// Each row divided by its sum (so a row is the distribution of predictions for that actual class);
    /// `nil` for a class with no samples.
    public var rowNormalised: [[Double]?] {
        counts.map { row in
            let sum = row.reduce(0, +)
            return sum == 0 ? nil : row.map { Double($0) / Double(sum) }
        }
    }

    /// Per-class precision `TP / (TP + FP)`; `nil` for a class that is never predicted.
    public var precisions: [Double?] {
        (0..<classCount).map { k in
            let predictedAsK = (0..<classCount).reduce(0) { $0 + counts[$1][k] }
            return predictedAsK == 0 ? nil : Double(counts[k][k]) / Double(predictedAsK)
        }
    }

    /// Per-class recall `TP / (TP + FN)`; `nil` for a class with no samples.
    public var recalls: [Double?] {
        (0..<classCount).map { k in
            let actualK = counts[k].reduce(0, +)
            return actualK == 0 ? nil : Double(counts[k][k]) / Double(actualK)
        }
    }

    /// The paper's "average precision per class": the mean of the per-class precisions. A class
    /// that has samples but is never predicted counts as 0 (scikit-learn's macro precision with
    /// `zero_division=0`): leaving it out would let a net that ignores the rare classes score
    /// higher than one that tries them. A class with neither samples nor predictions is left out.
    public var meanPrecisionPerClass: Double? {
        let support = self.support
        let counted = precisions.enumerated().compactMap { k, p -> Double? in
            p ?? (support[k] > 0 ? 0 : nil)
        }
        return counted.isEmpty ? nil : counted.reduce(0, +) / Double(counted.count)
    }

    /// Number of samples of each actual class.
    public var support: [Int] { counts.map { $0.reduce(0, +) } }
}
