/// Cosine similarity between the first-layer weights of several models (the paper's Figure 16).
public enum WeightSimilarity {
    /// How two filter banks are compared.
    public enum Method: Sendable {
        /// Match each filter of one model to a distinct filter of the other so the summed cosine is
        /// largest (Hungarian algorithm), then average the matched cosines. Fair: filter order is arbitrary.
        case matched
        /// Cosine of the two weight tensors flattened in stored order. Depends on the arbitrary filter
        /// order, so two models that learnt the same filters in a different order score near 0.
        /// An all-zero tensor has no direction and scores 0.
        case direct
    }

    /// Similarity of two filter banks; filter sizes must agree (filter counts may differ for `.matched`).
    public static func similarity(_ a: FilterBank, _ b: FilterBank, method: Method = .matched) throws -> Double {
        let f = "WeightSimilarity.similarity"
        if a.filterSize != b.filterSize {
            throw ReportError.invalidArgument(function: f, message:
                "filters have \(a.channels)×\(a.height)×\(a.width) and \(b.channels)×\(b.height)×\(b.width) weights; they must match")
        }
        switch method {
        case .direct:
            if a.filters != b.filters {
                throw ReportError.invalidArgument(function: f, message:
                    "direct comparison needs equal filter counts, got \(a.filters) and \(b.filters)")
            }
            return try Metrics.cosineSimilarity(a.weights.map(Double.init), b.weights.map(Double.init)) ?? 0
        case .matched:
            let cosines = try filterCosines(a, b)
            // Minimising −cos maximises the summed cosine of the matched pairs.
            let assignment = Hungarian.minimumCostAssignment(cosines.map { $0.map { -$0 } })
            let matched = assignment.enumerated().compactMap { i, j in j.map { cosines[i][$0] } }
            return matched.reduce(0, +) / Double(matched.count)
        }
    }

    /// `cos[i][j]`: cosine between filter `i` of `a` and filter `j` of `b`; 0 where a filter is all zeros.
    public static func filterCosines(_ a: FilterBank, _ b: FilterBank) throws -> [[Double]] {
        let fa = (0..<a.filters).map(a.filter), fb = (0..<b.filters).map(b.filter)
        return try fa.map { x in try fb.map { y in try Metrics.cosineSimilarity(x, y) ?? 0 } }
    }

    /// Symmetric similarity matrix of named models, optionally with an untrained random model appended
    /// (drawn with `randomBaselineSeed`, shaped like the first model) as the chance baseline.
    public static func matrix(names: [String], banks: [FilterBank], method: Method = .matched,
                              randomBaselineSeed: UInt64? = nil) throws -> SimilarityMatrix {
        try Check.nonEmpty("WeightSimilarity.matrix", "banks", banks.count)
        try Check.sameLength("WeightSimilarity.matrix", "names", names.count, expected: banks.count)
        var names = names, banks = banks
        if let seed = randomBaselineSeed {
            let s = banks[0]
            banks.append(try FilterBank.random(filters: s.filters, channels: s.channels, height: s.height,
                                               width: s.width, seed: seed))
            names.append("Random")
        }
        var values = Array(repeating: Array(repeating: 1.0, count: banks.count), count: banks.count)
        for i in banks.indices {
            for j in 0..<i {
                let s = try similarity(banks[i], banks[j], method: method)
                values[i][j] = s
                values[j][i] = s
            }
        }
        return SimilarityMatrix(checkedNames: names, values: values)
    }
}

/// A symmetric matrix of similarity scores between named items.
public struct SimilarityMatrix: Equatable, Sendable {
    /// Item names, in row (and column) order.
    public let names: [String]
    /// `values[i][j]`: similarity of item `i` and item `j`.
    public let values: [[Double]]

    /// A matrix from given values (e.g. a published table); it must be square with one row per name.
    public init(names: [String], values: [[Double]]) throws {
        let f = "SimilarityMatrix"
        try Check.nonEmpty(f, "names", names.count)
        try Check.sameLength(f, "values", values.count, expected: names.count)
        try Check.rows(f, "values", values, width: names.count)
        self.init(checkedNames: names, values: values)
    }

    init(checkedNames names: [String], values: [[Double]]) {
        self.names = names
        self.values = values
    }

    /// Strict lower triangle as the paper prints it: rows from the second name, columns up to the
    /// second-to-last; cells on or above the diagonal are `nil`.
    public var lowerTriangle: (rows: [String], columns: [String], values: [[Double?]]) {
        let n = names.count
        let rows = Array(names.dropFirst()), columns = Array(names.dropLast())
        let cells = (1..<max(n, 1)).map { i in (0..<(n - 1)).map { j in j < i ? values[i][j] : nil } }
        return (rows, columns, cells)
    }
}
