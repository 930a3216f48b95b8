extension Metrics {
    /// Per-attribute accuracy of a joint multi-label (sigmoid) output, read back as attributes.
    ///
    /// The joint output lays attributes side by side in blocks: a block of width 1 is a yes/no
    /// attribute (score ≥ 0.5 means class 1), a wider block holds one score per class and its
    /// highest score is the guess (the first of equal highest). `labels[b][i]` is sample `i`'s
    /// class for block `b`, or −1 when missing (not counted).
    ///
    ///     scores [[0.7, 0.1, 0.8, 0.1]], blockWidths [1, 3], labels [[1], [1]]  →  [1.0, 0.0]
    ///
    /// Returns one accuracy per block; `nil` for a block without a labelled sample.
    public static func jointAccuracy(scores: [[Double]], blockWidths: [Int], labels: [[Int]]) throws -> [Double?] {
        try jointAnswers(scores: scores, blockWidths: blockWidths, labels: labels).map { right in
            right.isEmpty ? nil : right.reduce(0, +) / Double(right.count)
        }
    }

    /// Per block, 1 for each labelled sample whose guess is right and 0 for each wrong one, in
    /// sample order (the per-item terms of ``jointAccuracy``).
    public static func jointAnswers(scores: [[Double]], blockWidths: [Int], labels: [[Int]]) throws -> [[Double]] {
        let f = "jointAccuracy"
        let width = blockWidths.reduce(0, +)
        try Check.rows(f, "scores", scores, width: width)
        try Check.sameLength(f, "labels", labels.count, expected: blockWidths.count)
        var result: [[Double]] = []
        var offset = 0
        for (b, w) in blockWidths.enumerated() {
            guard w >= 1 else { throw ReportError.invalidArgument(function: f, message: "block \(b) has width \(w); widths are ≥ 1") }
            try Check.sameLength(f, "labels[\(b)]", labels[b].count, expected: scores.count)
            var right: [Double] = []
            for (i, y) in labels[b].enumerated() where y >= 0 {
                guard y < max(w, 2) else {
                    throw ReportError.labelOutOfRange(function: f, what: "labels[\(b)]", index: i, label: y, count: max(w, 2))
                }
                let block = scores[i][offset..<(offset + w)]
                let guess = w == 1 ? (block[offset] >= 0.5 ? 1 : 0) : block.indices.max { block[$0] < block[$1] }! - offset
                right.append(guess == y ? 1 : 0)
            }
            result.append(right)
            offset += w
        }
        return result
    }
}
