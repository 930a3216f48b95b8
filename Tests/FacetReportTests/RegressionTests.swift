import XCTest
@testable import FacetReport

final class RegressionTests: XCTestCase {
    func testMeanSquaredErrorHandWorked() throws {
        // Squared differences 0, 1, 0, 16 over four elements.
        XCTAssertEqual(try Metrics.meanSquaredError(predicted: [[1, 0], [0, 2]], actual: [[1, 1], [0, -2]]), 17.0 / 4)
    }

    func testCosineSimilarityPerSampleAndMean() throws {
        let r = try Metrics.cosineSimilarity(predicted: [[1, 0], [0, 2], [3, 4]], actual: [[1, 1], [0, -2], [6, 8]])
        assertClose(r.perSample.map { Optional($0) }, [1 / 2.0.squareRoot(), -1, 1], tolerance: 1e-15)
        assertClose(r.mean, (1 / 2.0.squareRoot() - 1 + 1) / 3, tolerance: 1e-15)
    }

    func testZeroVectorCosineIsReportedNotAveraged() throws {
        let r = try Metrics.cosineSimilarity(predicted: [[0, 0], [1, 0]], actual: [[1, 1], [2, 0]])
        XCTAssertTrue(r.perSample[0].isNaN)
        XCTAssertEqual(r.undefinedSamples, [0])
        XCTAssertEqual(r.mean, 1)
        XCTAssertNil(try Metrics.cosineSimilarity([0, 0], [1, 2]))
    }

    func testAngleErrorWrapsAroundTheCircle() throws {
        // 350° vs 10° is 20° apart; then 0° and 10°: mean 10°.
        XCTAssertEqual(try Metrics.meanAbsoluteAngleError(predicted: [350, 10, -5], actual: [10, 10, 5]), 10)
        assertClose(try Metrics.meanAbsoluteAngleError(predicted: [Double.pi / 2], actual: [0], unit: .radians), 90)
        // Per axis: yaw errors 2 and 4, pitch errors 1 and 1.
        XCTAssertEqual(try Metrics.meanAbsoluteAngleErrorPerAxis(predicted: [[2, 1], [-4, 0]], actual: [[0, 0], [0, 1]]), [3, 1])
    }

    func testBadInputThrows() {
        assertThrowsReportError(try Metrics.meanSquaredError(predicted: [[1, 2]], actual: [[1]]),
                                containing: "predicted[0] has 2 elements, expected 1")
        assertThrowsReportError(try Metrics.cosineSimilarity(predicted: [[1], [2]], actual: [[1]]),
                                containing: "predicted has 2 elements, expected 1")
        assertThrowsReportError(try Metrics.meanSquaredError(predicted: [[1, .infinity]], actual: [[1, 2]]),
                                containing: "predicted[0][1] is not a finite number")
        assertThrowsReportError(try Metrics.meanAbsoluteAngleError(predicted: [], actual: []), containing: "actual is empty")
    }
}
