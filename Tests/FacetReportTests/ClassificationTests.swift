import XCTest
@testable import FacetReport

final class ClassificationTests: XCTestCase {
    // Hand-worked: classes a, b, c.
    //            predicted a  b  c
    //   actual a          2  1  0
    //   actual b          0  2  0
    //   actual c          2  0  2
    let actual = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    let predicted = [0, 0, 1, 1, 1, 2, 2, 0, 0]

    func testConfusionCountsAndDerivedRates() throws {
        let cm = try ConfusionMatrix(predicted: predicted, actual: actual, classes: ["a", "b", "c"])
        XCTAssertEqual(cm.counts, [[2, 1, 0], [0, 2, 0], [2, 0, 2]])
        XCTAssertEqual(cm.total, 9)
        XCTAssertEqual(cm.support, [3, 2, 4])
        assertClose(cm.accuracy, 6.0 / 9)
        assertClose(cm.precisions, [2.0 / 4, 2.0 / 3, 2.0 / 2])
        assertClose(cm.recalls, [2.0 / 3, 2.0 / 2, 2.0 / 4])
        // The paper's "average precision per class": (1/2 + 2/3 + 1) / 3 = 13/18.
        assertClose(cm.meanPrecisionPerClass, 13.0 / 18)
        let rows = cm.rowNormalised
        assertClose(rows[0]!, [2.0 / 3, 1.0 / 3, 0])
        assertClose(rows[2]!, [0.5, 0, 0.5])
    }

    func testMetricsFunctionsAgreeWithConfusionMatrix() throws {
        assertClose(try Metrics.accuracy(predicted: predicted, actual: actual), 6.0 / 9)
        assertClose(try Metrics.precision(predicted: predicted, actual: actual, classCount: 3), [0.5, 2.0 / 3, 1])
        assertClose(try Metrics.recall(predicted: predicted, actual: actual, classCount: 3), [2.0 / 3, 1, 0.5])
        assertClose(try Metrics.meanPrecisionPerClass(predicted: predicted, actual: actual, classCount: 3), 13.0 / 18)
    }

    func testClassNeverPredictedOrAbsentHasNoPrecisionOrRecall() throws {
        // Class 2 never occurs and is never predicted; class 1 is never predicted.
        let cm = try ConfusionMatrix(predicted: [0, 0, 0], actual: [0, 1, 0], classCount: 3)
        assertClose(cm.precisions, [2.0 / 3, nil, nil])
        assertClose(cm.recalls, [1, 0, nil])
        XCTAssertNil(cm.rowNormalised[2])
        // Class 1 has a sample but is never predicted: it counts as 0. Class 2 has neither: left out.
        assertClose(cm.meanPrecisionPerClass, (2.0 / 3 + 0) / 2)
        // A net that predicts only the majority class does not get a high mean precision.
        let majority = try ConfusionMatrix(predicted: Array(repeating: 0, count: 10),
                                           actual: [0, 0, 0, 0, 0, 0, 0, 1, 1, 2], classCount: 3)
        assertClose(majority.meanPrecisionPerClass, 0.7 / 3)
    }

    func testToleranceAccuracyForOrdinalBands() throws {
        let predicted = [0, 1, 2, 5], actual = [0, 2, 4, 4]
        assertClose(try Metrics.toleranceAccuracy(predicted: predicted, actual: actual, tolerance: 0), 0.25)
        assertClose(try Metrics.toleranceAccuracy(predicted: predicted, actual: actual, tolerance: 1), 0.75)
        assertClose(try Metrics.toleranceAccuracy(predicted: predicted, actual: actual, tolerance: 2), 1)
    }

    func testArgmaxTakesFirstOnTies() throws {
        XCTAssertEqual(try Metrics.argmax(scores: [[0.1, 0.7, 0.2], [0.5, 0.5, 0], [0, 0, 1]]), [1, 0, 2])
    }

    func testRowsSplitsFlatBuffers() throws {
        XCTAssertEqual(try Metrics.rows(flat: [Float(1), 2, 3, 4, 5, 6], columns: 3), [[1, 2, 3], [4, 5, 6]])
        assertThrowsReportError(try Metrics.rows(flat: [1.0, 2, 3], columns: 2), containing: "do not split into rows of 2")
    }

    func testBadInputThrowsClearErrors() {
        assertThrowsReportError(try Metrics.accuracy(predicted: [], actual: []), containing: "actual is empty")
        assertThrowsReportError(try Metrics.accuracy(predicted: [1], actual: [1, 2]),
                                containing: "predicted has 1 elements, expected 2")
        assertThrowsReportError(try ConfusionMatrix(predicted: [0, 3], actual: [0, 1], classes: ["x", "y"]),
                                containing: "predicted[1] = 3 is outside 0..<2")
        assertThrowsReportError(try ConfusionMatrix(predicted: [0], actual: [-1], classes: ["x"]),
                                containing: "actual[0] = -1")
        assertThrowsReportError(try Metrics.toleranceAccuracy(predicted: [0], actual: [0], tolerance: -1),
                                containing: "tolerance -1 is negative")
        assertThrowsReportError(try Metrics.argmax(scores: [[1], []]), containing: "scores[1] is empty")
    }
}
