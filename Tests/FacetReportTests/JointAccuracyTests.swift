import XCTest
@testable import FacetReport

final class JointAccuracyTests: XCTestCase {
    /// Hand-worked: a yes/no block (width 1) and a three-class block, four samples.
    ///   sample  yes/no score → guess (label)   3-class scores → guess (label)
    ///   0       0.7 → 1 (1) right              0.1 0.8 0.1 → 1 (1) right
    ///   1       0.2 → 0 (1) wrong              0.5 0.5 0.0 → 0, the first of equal highest (0) right
    ///   2       0.5 → 1 (1) right              0.3 0.3 0.4 → 2 (1) wrong
    ///   3       0.9 → 1 (missing: not counted) 0.6 0.2 0.2 → 0 (missing)
    /// yes/no: 2 of 3 = 0.667; three-class: 2 of 3.
    func testBlocksReadBackAsAttributes() throws {
        let scores: [[Double]] = [[0.7, 0.1, 0.8, 0.1], [0.2, 0.5, 0.5, 0.0], [0.5, 0.3, 0.3, 0.4], [0.9, 0.6, 0.2, 0.2]]
        let got = try Metrics.jointAccuracy(scores: scores, blockWidths: [1, 3], labels: [[1, 1, 1, -1], [1, 0, 1, -1]])
        XCTAssertEqual(got.count, 2)
        XCTAssertEqual(got[0]!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(got[1]!, 2.0 / 3, accuracy: 1e-12)
    }

    func testUnlabelledBlockIsNilAndBadShapesAreErrors() throws {
        XCTAssertEqual(try Metrics.jointAccuracy(scores: [[0.9, 0.2]], blockWidths: [1, 1], labels: [[1], [-1]]), [1.0, nil])
        XCTAssertThrowsError(try Metrics.jointAccuracy(scores: [[0.9]], blockWidths: [1, 1], labels: [[1], [0]]))
        XCTAssertThrowsError(try Metrics.jointAccuracy(scores: [[0.9]], blockWidths: [1], labels: [[2]]))
    }
}

final class RegressionReportTests: XCTestCase {
    /// Hand-worked: columns a, b (the vector) and yaw (degrees), two samples.
    ///   sample 0: predicted (1, 0, 10),  actual (1, 0, 350) → cosine 1, yaw error 20 (wrapped)
    ///   sample 1: predicted (0, 2, 0),   actual (2, 0, 4)   → cosine 0, yaw error 4
    ///   squared errors: 0 + 0 + 340² and 4 + 4 + 16 → mean over 6 values = (115,600 + 24) / 6
    func testVectorCosineAngleErrorsAndMSE() throws {
        let r = try RegressionReport(predicted: [[1, 0, 10], [0, 2, 0]], actual: [[1, 0, 350], [2, 0, 4]],
                                     names: ["a", "b", "yaw"])
        XCTAssertEqual(r.meanSquaredError, (115_600 + 24) / 6.0, accuracy: 1e-9)
        XCTAssertEqual(r.cosine!, 0.5, accuracy: 1e-12)
        XCTAssertTrue(r.hasVectorColumns)
        XCTAssertEqual(r.angleErrors.map(\.name), ["yaw"])
        XCTAssertEqual(r.angleErrors[0].degrees, 12, accuracy: 1e-12)
    }

    func testOnlyAnglesHasNoCosine() throws {
        let r = try RegressionReport(predicted: [[1, 2]], actual: [[0, 0]], names: ["yaw", "pitch"])
        XCTAssertFalse(r.hasVectorColumns)
        XCTAssertNil(r.cosine)
        XCTAssertEqual(r.angleErrors.map(\.degrees), [1, 2])
        XCTAssertThrowsError(try RegressionReport(predicted: [[1, 2]], actual: [[0, 0]], names: ["yaw"]))
    }
}
