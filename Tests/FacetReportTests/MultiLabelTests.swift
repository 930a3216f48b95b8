import XCTest
@testable import FacetReport

final class MultiLabelTests: XCTestCase {
    func testPerLabelAccuracyAndAUCHandWorked() throws {
        let scores: [[Double]] = [[0.9, 0.2], [0.4, 0.7], [0.6, 0.1]]
        let targets = [[true, false], [false, true], [false, true]]
        let r = try Metrics.multiLabel(scores: scores, targets: targets)
        // Label 0: 0.9 ✓, 0.4 ✓, 0.6 ✗. Label 1: 0.2 ✓, 0.7 ✓, 0.1 ✗.
        assertClose(r.accuracy.map { Optional($0) }, [2.0 / 3, 2.0 / 3])
        // Label 0: the one positive (0.9) beats both negatives. Label 1: 0.7 > 0.2, 0.1 < 0.2 → 1/2.
        assertClose(r.auc, [1, 0.5])
        XCTAssertEqual(r.positives, [1, 2])
        assertClose(r.meanAUC, 0.75)
        assertClose(r.meanAccuracy, 2.0 / 3)
    }

    func testMultiLabelTable() throws {
        let r = try Metrics.multiLabel(scores: [[0.9, 0.2], [0.4, 0.7], [0.6, 0.1]],
                                       targets: [[true, false], [false, true], [false, true]])
        XCTAssertEqual(try MarkdownTable.multiLabel(r, labels: ["glasses", "beard"]).render(), """
            | label   | positives | accuracy |   AUC |
            | ------- | --------: | -------: | ----: |
            | glasses |         1 |    0.667 | 1.000 |
            | beard   |         2 |    0.667 | 0.500 |
            | mean    |           |    0.667 | 0.750 |

            """)
        assertThrowsReportError(try MarkdownTable.multiLabel(r, labels: ["x"]), containing: "labels has 1 elements, expected 2")
    }

    func testThresholdAndUndefinedAUC() throws {
        let r = try Metrics.multiLabel(scores: [[0.3], [0.35]], targets: [[true], [true]], threshold: 0.32)
        assertClose(r.accuracy.map { Optional($0) }, [0.5])
        XCTAssertEqual(r.auc, [nil])
        XCTAssertNil(r.meanAUC)
    }

    func testRaggedTargetsThrow() {
        assertThrowsReportError(try Metrics.multiLabel(scores: [[0.1, 0.2]], targets: [[true]]),
                                containing: "targets[0] has 1 elements, expected 2")
    }
}
