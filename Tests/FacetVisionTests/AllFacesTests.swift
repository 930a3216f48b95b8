import XCTest
@testable import FacetVision

/// `alignAll` runs the single-face routine of `align` on a cut-out around every detected face.
final class AllFacesTests: XCTestCase {
    /// Two copies of the photo side by side: each face goes through the same routine on its own
    /// cut-out, so the two crops are byte for byte the same and the boxes one photo width apart.
    func testCopiesOfAFaceGiveIdenticalCrops() throws {
        let one = try messi()
        var pixels: [UInt8] = []
        for row in 0..<one.height { let r = one.pixels[(row * one.width)..<((row + 1) * one.width)]; pixels += r; pixels += r }
        let faces = try FaceAligner().alignAll(GrayImage(width: 2 * one.width, height: one.height, pixels: pixels))
            .sorted { $0.faceBox!.x < $1.faceBox!.x }
        XCTAssertEqual(faces.count, 2)
        guard faces.count == 2, let a = faces[0].faceBox, let b = faces[1].faceBox else { return }
        XCTAssertEqual(faces.map(\.faces), [2, 2])
        XCTAssertEqual(faces[0].crop, faces[1].crop)
        XCTAssertEqual(FaceBox(x: a.x + one.width, y: a.y, width: a.width, height: a.height), b)
        XCTAssertEqual(faces[1].eyes!.leftX - faces[0].eyes!.leftX, Double(one.width), accuracy: 1e-9)
    }

    /// A FER-sized face crop is upsampled before detection by the same code in both paths (with
    /// the same minimum face size), so `alignAll` finds and crops exactly what `align` does.
    func testASmallPhotoIsAlignedAsTheSingleFacePathAlignsIt() throws {
        let small = try messi().cropped(x: 200, y: 70, width: 90, height: 80).resized(width: 54, height: 48)
        try assertAlignedAsTheSingleFacePath(small)
    }

    /// A photo with no upright face: alignAll reuses its (empty) upright search and searches only
    /// the turned copies, and still gives exactly what `align` (which searches upright itself) gives.
    func testAPhotoWithNoUprightFaceIsAlignedAsTheSingleFacePathAlignsIt() throws {
        let photo = try messi()
        let tilted = try photo.resized(width: photo.width * 2, height: photo.height * 2).rotated(degrees: 24)
        XCTAssertEqual(try FaceAligner().detectFaces(in: tilted).count, 0, "the photo should have no upright face")
        try assertAlignedAsTheSingleFacePath(tilted)
    }

    /// `alignAll` gives one face, exactly `align`'s: box, eyes and crop.
    private func assertAlignedAsTheSingleFacePath(_ image: GrayImage, file: StaticString = #filePath, line: UInt = #line) throws {
        let aligner = try FaceAligner()
        let single = try aligner.align(image)
        let all = try aligner.alignAll(image)
        XCTAssertEqual(single.outcome, .aligned, file: file, line: line)
        XCTAssertEqual(all.count, 1, file: file, line: line)
        XCTAssertEqual(all.first?.faceBox, single.faceBox, file: file, line: line)
        XCTAssertEqual(all.first?.eyes, single.eyes, file: file, line: line)
        XCTAssertEqual(all.first?.crop, single.crop, file: file, line: line)
    }

    /// Aligning from the photo-wide detection (opt-in) keeps every face, puts each at its detected
    /// box (where the cut-out's search puts it a few pixels off), and moves the eyes only a little.
    func testAligningFromTheDetectionKeepsTheFacesAtTheirDetectedBoxes() throws {
        let one = try messi().cropped(x: 150, y: 40, width: 180, height: 160)
        var pixels: [UInt8] = []
        for row in 0..<one.height { let r = one.pixels[(row * one.width)..<((row + 1) * one.width)]; pixels += r; pixels += r }
        let aligner = try FaceAligner()
        for image in [one, GrayImage(width: 2 * one.width, height: one.height, pixels: pixels)] {
            let searched = try aligner.alignAll(image)
            let fast = try aligner.alignAll(image, fromDetection: true)
            let detected = try aligner.detectFaces(in: image)
            XCTAssertEqual(fast.count, searched.count)
            XCTAssertEqual(fast.map(\.faceBox), detected.map { Optional($0) })
            XCTAssertNotEqual(fast.map(\.faceBox), searched.map(\.faceBox), "the photo should show the difference")
            for (a, b) in zip(fast, searched) {
                XCTAssertEqual(a.outcome, .aligned)
                let (e, f) = (try XCTUnwrap(a.eyes), try XCTUnwrap(b.eyes))
                for (x, y) in [(e.leftX, f.leftX), (e.leftY, f.leftY), (e.rightX, f.rightX), (e.rightY, f.rightY)] {
                    XCTAssertEqual(x, y, accuracy: 6)
                }
            }
        }
    }

    /// Detection off: one "face", the centre square, reported with that square as its box.
    func testDetectionOffGivesTheCentreSquareWithItsBox() throws {
        var pipeline = FacePipeline(size: 32)
        pipeline.detectFaces = false
        let photo = try messi()
        let aligner = try FaceAligner(pipeline)
        let all = try aligner.alignAll(photo)
        XCTAssertEqual(all.count, 1)
        XCTAssertEqual(all.first?.outcome, .notDetected)
        XCTAssertEqual(all.first?.faceBox, FaceBox(x: (photo.width - photo.height) / 2, y: 0, width: photo.height, height: photo.height))
        XCTAssertNil(all.first?.eyes)
        XCTAssertEqual(all.first?.crop, try aligner.align(photo).crop)
    }

    func testAnImageWithoutFacesHasNone() throws {
        let gradient = GrayImage(width: 160, height: 120, pixels: (0..<(160 * 120)).map { UInt8(($0 % 160) / 2) })
        XCTAssertEqual(try FaceAligner().alignAll(gradient).count, 0)
    }
}
