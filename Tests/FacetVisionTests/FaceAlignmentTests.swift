import XCTest
@testable import FacetVision

final class FaceAlignmentTests: XCTestCase {
    /// messi5's eyes are 11 px apart, so 1 px of eye-centre error is 5°: the photo is enlarged 2×
    /// so the test measures the aligner rather than the pixel grid.
    private func enlargedPhoto() throws -> GrayImage {
        let photo = try messi()
        return try photo.resized(width: photo.width * 2, height: photo.height * 2)
    }

    /// Rotating the photo by a known angle must change the measured eye line by that angle.
    func testRecoversKnownRotationWithinThreeDegrees() throws {
        let aligner = try FaceAligner(FacePipeline(size: 64))
        let photo = try enlargedPhoto()
        let upright = try aligner.align(photo)
        XCTAssertEqual(upright.outcome, .aligned)
        for degrees in [-15.0, -10.0, -5.0, 5.0, 10.0, 15.0] {
            let tilted = try aligner.align(photo.rotated(degrees: degrees))
            XCTAssertEqual(tilted.outcome, .aligned, "rotation \(degrees)°")
            // Counter-clockwise on screen lifts the right eye: the y-down eye-line angle drops by `degrees`.
            XCTAssertEqual(upright.angle - tilted.angle, degrees, accuracy: 3, "rotation \(degrees)°")
        }
    }

    /// After levelling, the crop of a tilted photo must look like the crop of the upright one;
    /// without levelling it must not (this is what makes the check able to fail).
    func testLevelledCropMatchesUprightCrop() throws {
        let photo = try enlargedPhoto()
        let tiltedPhoto = try photo.rotated(degrees: 12)
        let aligner = try FaceAligner(FacePipeline(size: 48))
        var unlevelled = FacePipeline(size: 48)
        unlevelled.levelEyes = false
        let reference = try aligner.align(photo).crop
        let levelled = try aligner.align(tiltedPhoto).crop
        let notLevelled = try FaceAligner(unlevelled).align(tiltedPhoto).crop
        let good = correlation(reference, levelled), bad = correlation(reference, notLevelled)
        // Measured: about 0.90 levelled against 0.59 unlevelled.
        XCTAssertGreaterThan(good, 0.85)
        XCTAssertGreaterThan(good, bad + 0.2)
    }

    func testSwitchingDetectionOffGivesCentreSquare() throws {
        var pipeline = FacePipeline(size: 32)
        pipeline.detectFaces = false
        let photo = try messi()
        let aligned = try FaceAligner(pipeline).align(photo)
        XCTAssertEqual(aligned.outcome, .notDetected)
        let side = photo.height, x0 = (photo.width - side) / 2
        var square = [UInt8]()
        for row in 0..<side { square += photo.pixels[(row * photo.width + x0)..<(row * photo.width + x0 + side)] }
        let expected = try GrayImage(width: side, height: side, pixels: square).resized(width: 32, height: 32)
        XCTAssertEqual(aligned.crop, expected)
    }

    func testImageWithoutFaceIsReportedAsNoFace() throws {
        // A smooth gradient has no face in it.
        let pixels: [UInt8] = (0..<(200 * 150)).map { (i: Int) -> UInt8 in UInt8((i % 200) + (i / 200) / 3) }
        let aligned = try FaceAligner().align(GrayImage(width: 200, height: 150, pixels: pixels))
        XCTAssertEqual(aligned.outcome, .noFace)
        XCTAssertNil(aligned.faceBox)
        XCTAssertEqual(aligned.crop.width, 48)
    }

    func testSmallFaceIsUpsampledBeforeDetection() throws {
        // The face region of the photo shrunk to 30×30: below the frontal cascade's useful range
        // (24×24 window, minimum face size 30) unless upsampled first, as FER2013's 48×48 crops are.
        let photo = try messi()
        let face = try FaceAligner().detectFaces(in: photo)[0]
        let margin = face.width / 4
        var region = [UInt8]()
        let side = face.width + 2 * margin
        for row in 0..<side {
            let start = (face.y - margin + row) * photo.width + face.x - margin
            region += photo.pixels[start..<(start + side)]
        }
        let small = try GrayImage(width: side, height: side, pixels: region).resized(width: 30, height: 30)
        var noUpsampling = FacePipeline()
        noUpsampling.upsampleBelow = 0
        XCTAssertEqual(try FaceAligner(noUpsampling).align(small).outcome, .noFace)
        XCTAssertNotEqual(try FaceAligner().align(small).outcome, .noFace)
    }

    func testInvalidSettingsAreRejectedUpFront() {
        var pipeline = FacePipeline()
        pipeline.eyeDistance = 1.5
        assertThrows(["eye distance"]) { try FaceAligner(pipeline) }
        pipeline = FacePipeline()
        pipeline.faceCascade = "/nonexistent/face.xml"
        assertThrows(["/nonexistent/face.xml", "cannot open"]) { try FaceAligner(pipeline) }
    }

    func testUndecodableFileNamesItself() throws {
        let dir = try temporaryDirectory(self)
        let path = try write("not an image", to: "fake.png", in: dir)
        assertThrows(["fake.png", "not an image OpenCV can decode"]) { try GrayImage(contentsOf: path) }
        assertThrows(["missing.png", "cannot open"]) { try GrayImage(contentsOf: dir.path + "/missing.png") }
    }

    private func correlation(_ a: GrayImage, _ b: GrayImage) -> Double {
        let x = a.pixels.map(Double.init), y = b.pixels.map(Double.init)
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
