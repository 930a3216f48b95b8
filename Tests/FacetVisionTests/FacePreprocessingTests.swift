import XCTest
@testable import FacetVision

/// One Codable home for a model's preprocessing: written by the kernel, read by `facet predict`.
final class FacePreprocessingTests: XCTestCase {
    /// A model file saved before `FacePreprocessing` existed still loads, and writing its
    /// preprocessing again gives the same bytes (the JSON shape did not change).
    func testTheShapeSavedBeforeStillLoadsAndRoundTrips() throws {
        let old = try String(contentsOfFile: fixturePath("preprocessing-v1.json"), encoding: .utf8)
        let pre = try FacePreprocessing(json: old)
        XCTAssertEqual(pre.size, 8)
        XCTAssertEqual(pre.pipeline.eyeDistance, 0.33)
        XCTAssertEqual(pre.pipeline.whenNoFace, .keepWholeImage)
        XCTAssertEqual(pre.normalisation, ContrastNormalisation())
        XCTAssertEqual(pre.statistics?.samples, 18)
        XCTAssertEqual(pre.statistics?.mean.count, 64)
        XCTAssertNoThrow(try pre.validate())
        XCTAssertEqual(try pre.json(), old)
    }

    /// Without per-pixel statistics the key is left out, as before.
    func testNoStatisticsLeavesTheKeyOut() throws {
        let pre = FacePreprocessing(pipeline: FacePipeline(size: 8), normalisation: .none, statistics: nil)
        let json = try pre.json()
        XCTAssertFalse(json.contains("statistics"), json)
        XCTAssertEqual(try FacePreprocessing(json: json), pre)
    }

    /// A crop normalised through a data set's preprocessing gives exactly the Floats the data set reads.
    func testNormalisingACropMatchesTheDataSet() throws {
        let pixels: [UInt8] = (0..<96).map { (i: Int) -> UInt8 in UInt8((i * 37 + (i / 16) * 11) % 256) }
        let d = try FaceDataset(size: 4, pixels: pixels, attributes: [], labels: [:], classes: [:],
                                splits: [.train, .train, .train, .valid, .test, .test]).normalised(ContrastNormalisation())
        let pre = d.preprocessing(pipeline: FacePipeline(size: 4))
        XCTAssertNotNil(pre.statistics)
        for i in 0..<d.count {
            var out = [Float](repeating: 0, count: 16)
            out.withUnsafeMutableBufferPointer { pre.normalise(d.crops.image(i).pixels, into: $0) }
            XCTAssertEqual(out, d.pixels([i]), "sample \(i)")
        }
    }

    func testStatisticsForAnotherCropSizeAreRejected() throws {
        let old = try String(contentsOfFile: fixturePath("preprocessing-v1.json"), encoding: .utf8)
        var pre = try FacePreprocessing(json: old)
        pre.pipeline.size = 12
        assertThrows(["64 pixels", "144"]) { try pre.validate() }
    }

    /// A saved model names the training machine's cascade files: missing ones are looked up here.
    func testMissingCascadesAreLookedUpInTheLocalDirectory() {
        var pipeline = FacePipeline()
        pipeline.faceCascade = "/elsewhere/haarcascade_frontalface_default.xml"
        pipeline.eyeCascade = "/elsewhere/no-such-cascade.xml"
        let local = pipeline.withLocalCascades()
        XCTAssertEqual(local.faceCascade, FacePipeline().faceCascade)
        XCTAssertEqual(local.eyeCascade, "/elsewhere/no-such-cascade.xml")
    }
}
