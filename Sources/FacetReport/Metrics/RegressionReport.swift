/// What a regression head (AAM vector plus pose angles) is judged by, as the paper reports it.
///
/// Columns named as angles (`yaw`, `pitch`, `roll`) are pose outputs in degrees: each gets its own
/// mean absolute error (wrapped, so 350° vs 10° is 20°). The other columns are the shape/appearance
/// vector: their quality is the mean cosine similarity of predicted and true vectors. The mean
/// squared error is over every column.
public struct RegressionReport: Equatable, Sendable {
    /// Names of the angle columns, in column order.
    public static let angleNames: Set<String> = ["yaw", "pitch", "roll"]

    /// Mean squared error over every output of every sample.
    public let meanSquaredError: Double
    /// Mean cosine similarity of the non-angle columns; nil when there are none, or when every
    /// sample's vector is zero (cosine undefined).
    public let cosine: Double?
    /// Whether any non-angle column exists (a report without one has no cosine at all).
    public let hasVectorColumns: Bool
    /// Mean absolute error in degrees of each angle column, in column order.
    public let angleErrors: [(name: String, degrees: Double)]

    /// Computes the report from `[N, K]` rows and the K column names.
    public init(predicted: [[Double]], actual: [[Double]], names: [String]) throws {
        let f = "RegressionReport"
        try Metrics.checkVectors(f, predicted: predicted, actual: actual)
        try Check.sameLength(f, "names", names.count, expected: actual[0].count)
        meanSquaredError = try Metrics.meanSquaredError(predicted: predicted, actual: actual)
        let angles = names.indices.filter { Self.angleNames.contains(names[$0]) }
        let vector = names.indices.filter { !Self.angleNames.contains(names[$0]) }
        hasVectorColumns = !vector.isEmpty
        cosine = vector.isEmpty ? nil : try Metrics.cosineSimilarity(predicted: predicted.map { r in vector.map { r[$0] } },
                                                                     actual: actual.map { r in vector.map { r[$0] } }).mean
        angleErrors = try angles.map { c in
            (names[c], try Metrics.meanAbsoluteAngleError(predicted: predicted.map { $0[c] }, actual: actual.map { $0[c] }))
        }
    }

    public static func == (a: RegressionReport, b: RegressionReport) -> Bool {
        a.meanSquaredError == b.meanSquaredError && a.cosine == b.cosine && a.hasVectorColumns == b.hasVectorColumns
            && a.angleErrors.map(\.name) == b.angleErrors.map(\.name) && a.angleErrors.map(\.degrees) == b.angleErrors.map(\.degrees)
    }
}
