import CVision
import XCTest
@testable import FacetSynthetic
import FacetVision

/// The C renderer's own argument checks (errors come back as messages, never as crashes).
final class SyntheticRendererTests: XCTestCase {
    private func render(_ face: inout CVRFace, size: Int32 = 32, supersample: Int32 = 2) -> (Int32, String) {
        var out = [Float](repeating: 0, count: Int(max(size, 1) * max(size, 1)))
        var err = [CChar](repeating: 0, count: 256)
        let status = cvr_render_face(&face, size, size, supersample, &out, &err, Int32(err.count))
        return (status, String(cString: err))
    }

    func testNonFiniteLandmarkIsRejected() {
        var face = CVRFace()
        face.x.0 = .nan
        let (status, message) = render(&face)
        XCTAssertEqual(status, -1)
        XCTAssertTrue(message.contains("landmark 0"), message)
    }

    func testBadSizesAreRejected() {
        var face = CVRFace()
        XCTAssertTrue(render(&face, size: 4).1.contains("output size"))
        XCTAssertTrue(render(&face, supersample: 0).1.contains("supersample"))
    }

    func testADegenerateFaceStillRenders() {
        var face = CVRFace()          // every landmark at the origin, all appearance zero
        face.contrast = 1
        XCTAssertEqual(render(&face).0, 0)
    }
}
