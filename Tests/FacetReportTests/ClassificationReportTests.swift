import XCTest
@testable import FacetReport

final class ClassificationReportTests: XCTestCase {
    func testCombinesTheIndividualMetrics() throws {
        let (scores, labels) = SampleData.emotionScores(n: 120, seed: 9)
        let r = try ClassificationReport(scores: scores, labels: labels, classes: SampleData.emotions)
        XCTAssertEqual(r.predicted, try Metrics.argmax(scores: scores))
        XCTAssertEqual(r.accuracy, try Metrics.accuracy(predicted: r.predicted, actual: labels))
        XCTAssertEqual(r.auc, try Metrics.roc(scores: scores, labels: labels).map(\.auc))
        XCTAssertEqual(r.averagePrecision, try Metrics.averagePrecision(scores: scores, labels: labels))
        XCTAssertEqual(r.meanPrecisionPerClass, r.confusion.meanPrecisionPerClass)
        XCTAssertEqual(try r.table(), try MarkdownTable.classification(r.confusion, auc: r.auc, averagePrecision: r.averagePrecision))
    }

    func testToleranceAccuracyPairsSamplesInOrder() throws {
        // Ordinal bands 0...3: predictions 1, 1, 3 against truths 0, 2, 3 → exact 1/3, within one band 3/3.
        let scores: [[Double]] = [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]]
        let r = try ClassificationReport(scores: scores, labels: [0, 2, 3], classes: ["0-4", "5-9", "10-14", "15-19"])
        assertClose(try r.toleranceAccuracy(0), 1.0 / 3)
        assertClose(try r.toleranceAccuracy(1), 1)
    }

    func testClassNamesMustMatchScoreWidth() {
        assertThrowsReportError(try ClassificationReport(scores: [[0.5, 0.5]], labels: [0], classes: ["only"]),
                                containing: "ClassificationReport: classes has 1 elements, expected 2")
    }
}
