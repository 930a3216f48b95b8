import XCTest
@testable import FacetVision

final class FaceDetectionTests: XCTestCase {
    func testDecodesSamplePhotoAsGrayscale() throws {
        let image = try messi()
        XCTAssertEqual(image.width, 548)
        XCTAssertEqual(image.height, 342)
        XCTAssertEqual(image.pixels.count, 548 * 342)
    }

    func testFindsTheOneFaceAndItsEyesInSamplePhoto() throws {
        let aligner = try FaceAligner()
        let image = try messi()
        let faces = try aligner.detectFaces(in: image)
        XCTAssertEqual(faces.count, 1)
        // Messi's face sits at about (226, 94), 38 px wide, in the 548×342 photo.
        let face = try XCTUnwrap(faces.first)
        XCTAssertEqual(Double(face.x + face.width / 2), 245, accuracy: 10)
        XCTAssertEqual(Double(face.y + face.height / 2), 113, accuracy: 10)
        let eyes = try XCTUnwrap(try aligner.detectEyes(in: image, face: face))
        XCTAssertLessThan(eyes.leftX, eyes.rightX)
        XCTAssertEqual(eyes.distance, 0.35 * Double(face.width), accuracy: 0.15 * Double(face.width))
        XCTAssertTrue((Double(face.y)...Double(face.y + face.height / 2)).contains(eyes.leftY))
    }

    func testAlignedCropPutsEyesAtTheConfiguredPlace() throws {
        var pipeline = FacePipeline(size: 100)
        pipeline.eyeDistance = 0.3
        pipeline.eyeRow = 0.4
        let aligned = try FaceAligner(pipeline).align(messi())
        XCTAssertEqual(aligned.outcome, .aligned)
        XCTAssertEqual(aligned.crop.width, 100)
        // Re-detecting eyes in the crop (face box = whole crop) finds them near the configured row.
        let eyes = try FaceAligner().detectEyes(in: aligned.crop, face: FaceBox(x: 0, y: 0, width: 100, height: 100))
        let found = try XCTUnwrap(eyes)
        XCTAssertEqual((found.leftY + found.rightY) / 2, 40, accuracy: 6)
        XCTAssertEqual((found.leftX + found.rightX) / 2, 50, accuracy: 6)
        XCTAssertEqual(found.distance, 30, accuracy: 6)
        XCTAssertEqual(found.angle, 0, accuracy: 5)
    }

    func testDetectionThreadsCanBeCapped() {
        let previous = setOpenCVThreads(1)
        XCTAssertEqual(setOpenCVThreads(previous), 1)
    }
}
