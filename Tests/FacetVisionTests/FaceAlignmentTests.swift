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

    /// The tilt search turns a copy, never the photo: a face found only in a turned copy is cropped
    /// level from the untouched photo, and the caller's pixels stay as they were (they used to be
    /// overwritten by the turned copy, so the crop came out turned and a second look differed).
    func testTiltSearchLeavesThePhotoAloneAndLevelsTheCrop() throws {
        let photo = try enlargedPhoto()
        let aligner = try FaceAligner(FacePipeline(size: 48))
        let reference = try aligner.align(photo).crop
        let ramp: [UInt8] = (0..<(200 * 150)).map { (i: Int) -> UInt8 in UInt8((i % 200) + (i / 200) / 3) }
        let turned: GrayImage = try photo.rotated(degrees: 24)
        let cases: [(image: GrayImage, degrees: Double)] = [(turned, 24), (GrayImage(width: 200, height: 150, pixels: ramp), 0)]
        for (image, degrees) in cases {
            let before = image.pixels.map { $0 }  // a copy with storage of its own
            let aligned = try aligner.align(image)
            XCTAssertEqual(image.pixels, before, "align changed the photo turned by \(degrees)°")
            _ = try aligner.alignAll(image)
            XCTAssertEqual(image.pixels, before, "alignAll changed the photo turned by \(degrees)°")
            XCTAssertEqual(try aligner.align(image).crop, aligned.crop, "a second look differs")
            if degrees != 0 {
                XCTAssertEqual(aligned.outcome, AlignmentOutcome.aligned)
                XCTAssertGreaterThan(correlation(reference, aligned.crop), 0.85, "the crop should be level")
            }
        }
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

final class DatasetRealignmentTests: XCTestCase {
    func testRealigningADatasetLevelsTiltedFacesAndKeepsLabels() throws {
        let photo = try messi()
        let big = try photo.resized(width: photo.width * 2, height: photo.height * 2)
        var pixels: [UInt8] = [], labels: [Int32] = []
        // Four 200×200 windows around the face, tilted by different angles.
        for (k, degrees) in [-12.0, -4.0, 4.0, 12.0].enumerated() {
            let turned = try big.rotated(degrees: degrees)
            for row in 126..<326 { pixels += turned.pixels[(row * big.width + 390)..<(row * big.width + 590)] }
            labels.append(Int32(k % 2))
        }
        let tilted = try FaceDataset(size: 200, pixels: pixels, attributes: ["smile"], labels: ["smile": labels],
                                     classes: ["smile": ["no", "yes"]], splits: [.train, .train, .valid, .test])
        let aligned = try tilted.aligned(FacePipeline(size: 48))
        XCTAssertEqual(aligned.size, 48)
        XCTAssertEqual(aligned.count, 4)
        XCTAssertEqual(aligned.labels["smile"], labels)
        XCTAssertEqual(aligned.splits, [.train, .train, .valid, .test])
        XCTAssertEqual(aligned.summary.facesFound, 4)
        // Levelled crops of differently tilted inputs agree with each other.
        let a = aligned.crops.image(0).pixels.map(Double.init), b = aligned.crops.image(3).pixels.map(Double.init)
        let meanA = a.reduce(0, +) / Double(a.count), meanB = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices { sab += (a[i] - meanA) * (b[i] - meanB); saa += (a[i] - meanA) * (a[i] - meanA); sbb += (b[i] - meanB) * (b[i] - meanB) }
        XCTAssertGreaterThan(sab / (saa * sbb).squareRoot(), 0.8)
    }
}
