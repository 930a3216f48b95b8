/// Cumulative true/false positive counts at each distinct score, highest score first.
///
/// Samples with equal scores form one group: a threshold cannot separate them, so the
/// curves move diagonally across a tie instead of guessing an order inside it.
struct RankedCounts {
    /// Distinct scores, descending. Point `i` classifies `score >= thresholds[i]` as positive.
    var thresholds: [Double] = []
    /// True positives with score `>= thresholds[i]`.
    var truePositives: [Int] = []
    /// False positives with score `>= thresholds[i]`.
    var falsePositives: [Int] = []
    var positives = 0
    var negatives = 0

    init(function: String, scores: [Double], positives isPositive: [Bool]) throws {
        try Check.nonEmpty(function, "scores", scores.count)
        try Check.sameLength(function, "positives", isPositive.count, expected: scores.count)
        try Check.finite(function, "scores", scores)
        // Index tie-break keeps the sort deterministic; it cannot affect the counts per group.
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var tp = 0, fp = 0
        var i = 0
        while i < order.count {
            let score = scores[order[i]]
            while i < order.count && scores[order[i]] == score {
                if isPositive[order[i]] { tp += 1 } else { fp += 1 }
                i += 1
            }
            thresholds.append(score)
            truePositives.append(tp)
            falsePositives.append(fp)
        }
        positives = tp
        negatives = fp
    }
}

extension Metrics {
    /// Splits a flat row-major score buffer (e.g. a network's `[N, K]` output) into rows of Double.
    public static func rows(flat: [Float], columns: Int) throws -> [[Double]] {
        try rows(flat: flat.map(Double.init), columns: columns)
    }

    /// Splits a flat row-major score buffer into rows of `columns` values.
    public static func rows(flat: [Double], columns: Int) throws -> [[Double]] {
        if columns <= 0 || flat.count % columns != 0 {
            throw ReportError.invalidArgument(
                function: "rows", message: "\(flat.count) values do not split into rows of \(columns)")
        }
        return stride(from: 0, to: flat.count, by: columns).map { Array(flat[$0..<$0 + columns]) }
    }

    /// Column `k` of a score matrix with the one-vs-rest positives for class `k`.
    static func oneVsRest(function: String, scores: [[Double]], labels: [Int])
        throws -> (classCount: Int, column: (Int) -> ([Double], [Bool]))
    {
        let classCount = try Check.matrix(function, "scores", scores)
        try Check.sameLength(function, "labels", labels.count, expected: scores.count)
        try Check.labels(function, "labels", labels, count: classCount)
        return (classCount, { k in (scores.map { $0[k] }, labels.map { $0 == k }) })
    }
}
