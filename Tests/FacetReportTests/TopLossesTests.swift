import XCTest
@testable import FacetReport

/// Hand-worked top losses and most-confused pairs.
final class TopLossesTests: XCTestCase {
    func testClassificationLossesAreMinusLogOfTheTrueClassHighestFirst() throws {
        // sample 0: true a, p(a) = 0.5 → loss ln 2 ≈ 0.693, predicted a (0.5)
        // sample 1: true b, p(b) = 0.1 → loss ln 10 ≈ 2.303, predicted a (0.7)
        // sample 2: missing label → left out
        // sample 3: true c, p(c) = 0.25 → loss ln 4 ≈ 1.386, predicted b (0.5)
        // sample 4: true a, p(a) = 0.5 → ties with sample 0: the lower index first
        let p = [[0.5, 0.3, 0.2], [0.7, 0.1, 0.2], [0.2, 0.2, 0.6], [0.25, 0.5, 0.25], [0.5, 0.25, 0.25]]
        let losses = try Metrics.classificationLosses(probabilities: p, labels: [0, 1, -1, 2, 0])
        XCTAssertEqual(losses.map(\.index), [1, 3, 0, 4])
        XCTAssertEqual(losses.map(\.actual), [1, 2, 0, 0])
        XCTAssertEqual(losses.map(\.predicted), [0, 1, 0, 0])
        XCTAssertEqual(losses.map(\.probability), [0.7, 0.5, 0.5, 0.5])
        XCTAssertEqual(losses[0].loss, log(10), accuracy: 1e-12)
        XCTAssertEqual(losses[1].loss, log(4), accuracy: 1e-12)
        XCTAssertEqual(losses[2].loss, log(2), accuracy: 1e-12)
        // p(true) = 0 is finite: −log of the smallest positive Float.
        let zero = try Metrics.classificationLosses(probabilities: [[1, 0]], labels: [1])
        XCTAssertEqual(zero[0].loss, -log(Double(Float.leastNonzeroMagnitude)), accuracy: 1e-9)
        XCTAssertThrowsError(try Metrics.classificationLosses(probabilities: [[1, 0]], labels: [2]))
        XCTAssertThrowsError(try Metrics.classificationLosses(probabilities: [[1, 0]], labels: [0, 1]))
    }

    func testRegressionLossesAreMeanSquaredErrorsOfPresentTargets() throws {
        // sample 0: errors (1, 1) → 1; sample 1: errors (3, missing) → 9; sample 2: all missing → out;
        // sample 3: errors (0, 2) → 2.
        let losses = try Metrics.regressionLosses(predicted: [[1, 2], [3, 0], [0, 0], [1, 3]],
                                                  actual: [[0, 1], [0, .nan], [.nan, .nan], [1, 1]])
        XCTAssertEqual(losses.map(\.index), [1, 3, 0])
        XCTAssertEqual(losses.map(\.loss), [9, 2, 1])
        XCTAssertEqual(losses.map(\.error), [3, 2.0.squareRoot(), 1])
    }

    func testMostConfusedIsTheSortedOffDiagonal() throws {
        //            predicted a  b  c
        //   actual a          2  1  0
        //   actual b          0  2  2
        //   actual c          2  0  2
        let cm = try ConfusionMatrix(predicted: [0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 0],
                                     actual: [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], classes: ["a", "b", "c"])
        XCTAssertEqual(cm.counts, [[2, 1, 0], [0, 2, 2], [2, 0, 2]])
        // counts 2 tie: b→c and c→a sorted by actual name; then a→b with 1.
        XCTAssertEqual(cm.mostConfused(minimum: 1), [ConfusedPair(actual: 1, predicted: 2, count: 2),
                                                     ConfusedPair(actual: 2, predicted: 0, count: 2),
                                                     ConfusedPair(actual: 0, predicted: 1, count: 1)])
        XCTAssertEqual(cm.mostConfused(minimum: 2).count, 2)
        XCTAssertEqual(cm.mostConfused(minimum: 3), [])
    }
}
