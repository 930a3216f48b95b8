import FacetRandom
import XCTest
@testable import FacetReport

final class RankingTests: XCTestCase {
    // Hand-worked example with ties: P = 4, N = 2.
    //   score   0.9  0.8  0.8  0.6  0.4  0.4
    //   label    +    +    −    +    −    +
    let scores = [0.9, 0.8, 0.8, 0.6, 0.4, 0.4]
    let positives = [true, true, false, true, false, true]

    func testROCPointsStepDiagonallyAcrossTies() throws {
        let roc = try Metrics.roc(scores: scores, positives: positives)
        XCTAssertEqual(roc.falsePositiveRates, [0, 0, 0.5, 0.5, 1])
        XCTAssertEqual(roc.truePositiveRates, [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(roc.thresholds, [.infinity, 0.9, 0.8, 0.6, 0.4])
        XCTAssertEqual(roc.positives, 4)
        XCTAssertEqual(roc.negatives, 2)
    }

    func testAUCIsMannWhitneyWithHalfCreditForTies() throws {
        // Negative 0.8: beaten by 0.9, tied with 0.8 → 1.5. Negative 0.4: beaten by 0.9, 0.8, 0.6, tied → 3.5.
        // (1.5 + 3.5) / (4 · 2) = 0.625.
        XCTAssertEqual(try Metrics.auc(scores: scores, positives: positives), 0.625)
    }

    func testAUCMatchesNaivePairCountOnSeededRandomData() throws {
        var rng = SeededGenerator(seed: 42)
        for trial in 0..<20 {
            let n = 30 + trial * 7
            // Scores on a coarse grid so ties are frequent.
            let scores = (0..<n).map { _ in Double(rng.next() % 12) / 12 }
            let positives = (0..<n).map { _ in rng.next() % 3 == 0 }
            assertClose(try Metrics.auc(scores: scores, positives: positives),
                        naiveMannWhitney(scores, positives), "trial \(trial)")
        }
    }

    func testAveragePrecisionHandWorked() throws {
        // Steps: (R, P) = (1/4, 1), (1/2, 2/3), (3/4, 3/4), (1, 4/6) → AP = (1 + 2/3 + 3/4 + 2/3) / 4 = 37/48.
        let pr = try Metrics.precisionRecall(scores: scores, positives: positives)
        assertClose(pr.recalls, [0.25, 0.5, 0.75, 1])
        assertClose(pr.precisions, [1, 2.0 / 3, 0.75, 4.0 / 6])
        assertClose(pr.averagePrecision, 37.0 / 48)
    }

    func testPerfectAndReversedRankings() throws {
        XCTAssertEqual(try Metrics.auc(scores: [3, 2, 1, 0], positives: [true, true, false, false]), 1)
        XCTAssertEqual(try Metrics.auc(scores: [0, 1, 2, 3], positives: [true, true, false, false]), 0)
        XCTAssertEqual(try Metrics.auc(scores: [1, 1, 1, 1], positives: [true, false, true, false]), 0.5)
        XCTAssertEqual(try Metrics.averagePrecision(scores: [3, 2, 1, 0], positives: [true, true, false, false]), 1)
    }

    func testClassWithoutPositivesOrNegativesIsUndefinedNotACrash() throws {
        let none = try Metrics.roc(scores: [0.2, 0.4], positives: [false, false])
        XCTAssertNil(none.auc)
        XCTAssertFalse(none.isDefined)
        XCTAssertTrue(none.falsePositiveRates.isEmpty)
        XCTAssertNil(try Metrics.auc(scores: [0.2, 0.4], positives: [true, true]))
        XCTAssertNil(try Metrics.averagePrecision(scores: [0.2, 0.4], positives: [false, false]))
        // All-positive AP exists: every threshold has precision 1.
        XCTAssertEqual(try Metrics.averagePrecision(scores: [0.2, 0.4], positives: [true, true]), 1)
    }

    func testOneVsRestGivesOneCurvePerClass() throws {
        let scores: [[Double]] = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]]
        let curves = try Metrics.roc(scores: scores, labels: [0, 1, 0, 1])
        XCTAssertEqual(curves.count, 3)
        // Class 0: positives 0.7, 0.3 vs negatives 0.1, 0.6 → (1 + 1) + (1 + 0) = 3 of 4.
        XCTAssertEqual(curves[0].auc, 0.75)
        XCTAssertNil(curves[2].auc, "class 2 has no samples")
        assertClose(Metrics.macroAUC(curves), (0.75 + curves[1].auc!) / 2)
        let ap = try Metrics.averagePrecision(scores: scores, labels: [0, 1, 0, 1])
        XCTAssertNil(ap[2])
    }

    func testBadInputThrows() {
        assertThrowsReportError(try Metrics.roc(scores: [], positives: []), containing: "roc: scores is empty")
        assertThrowsReportError(try Metrics.roc(scores: [1, 2], positives: [true]), containing: "positives has 1 elements, expected 2")
        assertThrowsReportError(try Metrics.roc(scores: [1, .nan], positives: [true, false]),
                                containing: "scores[1] is not a finite number")
        assertThrowsReportError(try Metrics.roc(scores: [[0.5, 0.5], [1]], labels: [0, 1]),
                                containing: "scores[1] has 1 elements, expected 2")
        assertThrowsReportError(try Metrics.averagePrecision(scores: [[0.5, 0.5]], labels: [2]),
                                containing: "labels[0] = 2 is outside 0..<2")
    }

    /// Reference: count (positive, negative) pairs directly, ties worth one half.
    private func naiveMannWhitney(_ scores: [Double], _ positives: [Bool]) -> Double? {
        let pos = zip(scores, positives).filter { $0.1 }.map(\.0)
        let neg = zip(scores, positives).filter { !$0.1 }.map(\.0)
        guard !pos.isEmpty, !neg.isEmpty else { return nil }
        var u = 0.0
        for p in pos { for n in neg { u += p > n ? 1 : (p == n ? 0.5 : 0) } }
        return u / Double(pos.count * neg.count)
    }
}
