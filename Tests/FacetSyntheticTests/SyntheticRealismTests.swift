import XCTest
@testable import FacetSynthetic
import FacetVision

/// A small version of the realism bar: the Haar face pipeline must find synthetic faces.
final class SyntheticRealismTests: XCTestCase {
    func testHaarPipelineFindsMostNearFrontalFacesAndLevelsThem() throws {
        let report = try SyntheticRealism.measure(count: 60, seed: 21)
        XCTAssertGreaterThan(report.scenes, 30, "most default poses are near-frontal")
        XCTAssertGreaterThanOrEqual(report.detectionRate, 0.8, report.summary)
        XCTAssertEqual(report.angleErrors.count, report.facesFound)
        let median = report.angleErrorsWithEyes.sorted()[report.angleErrorsWithEyes.count / 2]
        XCTAssertLessThan(median, 3, "eye-line angle error in degrees: \(report.summary)")
    }

    func testSummaryNamesTheFigures() throws {
        let r = SyntheticRealismReport(scenes: 4, facesFound: 3, eyesFound: 2, angleErrors: [1, 2, 3],
                                       angleErrorsWithEyes: [1, 2], eyeErrors: [0.1, 0.2])
        XCTAssertEqual(r.detectionRate, 0.75)
        XCTAssertTrue(r.summary.contains("near-frontal scenes: 4"), r.summary)
        XCTAssertTrue(r.summary.contains("(75.0 %)"), r.summary)
        XCTAssertTrue(r.summary.contains("mean 2.00, 95th percentile 3.00"), r.summary)
    }
}
