import FacetRandom
import XCTest
@testable import FacetReport

final class WeightSimilarityTests: XCTestCase {
    func testHungarianMatchesBruteForceOnSeededMatrices() {
        var rng = SeededGenerator(seed: 7)
        for (rows, columns) in [(1, 1), (3, 3), (4, 6), (6, 4), (5, 5), (6, 6)] {
            let cost = (0..<rows).map { _ in (0..<columns).map { _ in rng.unitDouble() } }
            let assignment = Hungarian.minimumCostAssignment(cost)
            let used = assignment.compactMap { $0 }
            XCTAssertEqual(used.count, min(rows, columns), "\(rows)×\(columns): every row or column matched")
            XCTAssertEqual(Set(used).count, used.count, "\(rows)×\(columns): one-to-one")
            let total = assignment.enumerated().reduce(0.0) { sum, pair in sum + (pair.element.map { cost[pair.offset][$0] } ?? 0) }
            assertClose(total, bruteForceMinimum(cost), tolerance: 1e-12, "\(rows)×\(columns)")
        }
    }

    func testMatchedComparisonIgnoresFilterOrderButDirectDoesNot() throws {
        // Two 1×1×2 filters, the second model holds the same filters swapped.
        let a = try FilterBank(weights: [1, 0, 0, 1], filters: 2, channels: 1, height: 1, width: 2)
        let b = try FilterBank(weights: [0, 1, 1, 0], filters: 2, channels: 1, height: 1, width: 2)
        XCTAssertEqual(try WeightSimilarity.similarity(a, b, method: .matched), 1)
        XCTAssertEqual(try WeightSimilarity.similarity(a, b, method: .direct), 0)
    }

    func testMatchedComparisonHandWorked() throws {
        // A = {[1,0], [0,1]}, B = {[0,1], [1,1]}. Cosines: [1,0]·{0, 1/√2}, [0,1]·{1, 1/√2}.
        // Best one-to-one: [1,0]↔[1,1] (1/√2) and [0,1]↔[0,1] (1): mean (1 + 1/√2) / 2.
        let a = try FilterBank(weights: [1, 0, 0, 1], filters: 2, channels: 1, height: 1, width: 2)
        let b = try FilterBank(weights: [0, 1, 1, 1], filters: 2, channels: 1, height: 1, width: 2)
        assertClose(try WeightSimilarity.similarity(a, b), (1 + 1 / 2.0.squareRoot()) / 2, tolerance: 1e-7)
    }

    func testMatrixIsSymmetricWithRandomBaselineBelowRelatedModels() throws {
        let base = try FilterBank.random(filters: 16, channels: 1, height: 5, width: 5, seed: 1)
        // A related model: the same filters shuffled and slightly perturbed.
        var rng = SeededGenerator(seed: 2)
        let perm = (0..<16).reversed().map { $0 }
        let related = try FilterBank(weights: perm.flatMap { f in base.filter(f).map { Float($0 + 0.1 * Double(rng.normal())) } },
                                     filters: 16, channels: 1, height: 5, width: 5)
        let m = try WeightSimilarity.matrix(names: ["A", "B"], banks: [base, related], randomBaselineSeed: 99)
        XCTAssertEqual(m.names, ["A", "B", "Random"])
        for i in 0..<3 {
            XCTAssertEqual(m.values[i][i], 1)
            for j in 0..<3 { XCTAssertEqual(m.values[i][j], m.values[j][i]) }
        }
        XCTAssertGreaterThan(m.values[1][0], 0.95)
        XCTAssertLessThan(m.values[2][0], m.values[1][0] - 0.3, "matching alone must not make random look related")
        let again = try WeightSimilarity.matrix(names: ["A", "B"], banks: [base, related], randomBaselineSeed: 99)
        XCTAssertEqual(m, again, "seeded baseline is deterministic")
        let tri = m.lowerTriangle
        XCTAssertEqual(tri.rows, ["B", "Random"])
        XCTAssertEqual(tri.columns, ["A", "B"])
        XCTAssertNil(tri.values[0][1])
        XCTAssertEqual(tri.values[1][1], m.values[2][1])
    }

    func testUnrelatedRandomBanksScoreWellAboveZeroWhenMatched() throws {
        // The level docs/metrics.md quotes: why a random baseline must sit beside matched scores.
        let a = try FilterBank.random(filters: 64, channels: 1, height: 5, width: 5, seed: 0)
        let b = try FilterBank.random(filters: 64, channels: 1, height: 5, width: 5, seed: 1)
        let matched = try WeightSimilarity.similarity(a, b, method: .matched)
        XCTAssertEqual(matched, 0.43, accuracy: 0.01)
        XCTAssertEqual(try WeightSimilarity.similarity(a, b, method: .direct), 0, accuracy: 0.05)
    }

    func testSimilarityMatrixFromGivenValuesIsChecked() throws {
        XCTAssertNoThrow(try SimilarityMatrix(names: ["a", "b"], values: [[1, 0.5], [0.5, 1]]))
        assertThrowsReportError(try SimilarityMatrix(names: ["a", "b"], values: [[1, 0.5], [0.5]]),
                                containing: "values[1] has 1 elements, expected 2")
        assertThrowsReportError(try SimilarityMatrix(names: [], values: []), containing: "names is empty")
    }

    func testBadShapesThrow() throws {
        assertThrowsReportError(try FilterBank(weights: [1, 2, 3], filters: 2, channels: 1, height: 1, width: 2),
                                containing: "weights has 3 elements, expected 4")
        assertThrowsReportError(try FilterBank(weights: [], filters: 0, channels: 1, height: 1, width: 2),
                                containing: "non-positive size")
        let a = try FilterBank.random(filters: 2, channels: 1, height: 3, width: 3, seed: 1)
        let b = try FilterBank.random(filters: 2, channels: 1, height: 5, width: 5, seed: 1)
        assertThrowsReportError(try WeightSimilarity.similarity(a, b), containing: "must match")
        let c = try FilterBank.random(filters: 3, channels: 1, height: 3, width: 3, seed: 1)
        XCTAssertNoThrow(try WeightSimilarity.similarity(a, c, method: .matched))
        assertThrowsReportError(try WeightSimilarity.similarity(a, c, method: .direct), containing: "equal filter counts")
    }

    private func bruteForceMinimum(_ cost: [[Double]]) -> Double {
        let rows = cost.count, columns = cost[0].count
        if rows > columns { return bruteForceMinimum((0..<columns).map { j in cost.map { $0[j] } }) }
        var best = Double.infinity
        func search(_ row: Int, _ used: Set<Int>, _ sum: Double) {
            if row == rows { best = min(best, sum); return }
            for j in 0..<columns where !used.contains(j) { search(row + 1, used.union([j]), sum + cost[row][j]) }
        }
        search(0, [], 0)
        return best
    }
}
