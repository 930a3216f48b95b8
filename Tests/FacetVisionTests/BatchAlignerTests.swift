import XCTest
@testable import FacetVision

/// Parallel alignment for data sets (main face) and prediction (every face) is one `BatchAligner`.
final class BatchAlignerTests: XCTestCase {
    private struct Unreadable: Error, CustomStringConvertible { var description: String { "broken file" } }

    private func images() throws -> [GrayImage] {
        let photo = try messi()
        let gradient = GrayImage(width: 160, height: 120, pixels: (0..<(160 * 120)).map { UInt8(($0 % 160) / 2) })
        var pair: [UInt8] = []
        for row in 0..<photo.height { let r = photo.pixels[(row * photo.width)..<((row + 1) * photo.width)]; pair += r; pair += r }
        // A photo found only by the tilt search too: that search once overwrote the caller's pixels, so
        // a repeated image (sharing storage) aligned differently the second time.
        let tilted = try photo.resized(width: photo.width * 2, height: photo.height * 2).rotated(degrees: 24)
        return [photo, gradient, photo, GrayImage(width: 2 * photo.width, height: photo.height, pixels: pair), tilted, tilted]
    }

    /// Every face of every image, in input order, exactly as one aligner finds them; a failure
    /// of one image is its result, not an error of the batch.
    func testEveryFaceMatchesOneAlignerInInputOrder() throws {
        let images = try images()
        let progress = ProgressRecorder()
        let results = try BatchAligner(pipeline: FacePipeline(), workers: 3)
            .alignEveryFace(count: images.count + 1, progress: { progress.record($0, $1) }) { i in
                guard i < images.count else { throw Unreadable() }
                return images[i]
            }
        XCTAssertEqual(results.count, images.count + 1)
        let aligner = try FaceAligner()
        for (i, image) in images.enumerated() {
            let expected = try aligner.alignAll(image)
            let got = try results[i].get()
            XCTAssertEqual(got.map(\.crop), expected.map(\.crop), "image \(i)")
            XCTAssertEqual(got.map(\.faceBox), expected.map(\.faceBox), "image \(i)")
        }
        XCTAssertEqual(try results[1].get().count, 0)
        XCTAssertThrowsError(try results[images.count].get()) { XCTAssertEqual("\($0)", "broken file") }
        XCTAssertEqual(progress.calls.last?.done, images.count + 1)
    }

    /// The data-set path: each image's main face, bytes back to back, failures as outcomes.
    func testMainFaceCropsMatchOneAligner() throws {
        let images = try images()
        let (crops, outcomes) = try BatchAligner(pipeline: FacePipeline(size: 32), workers: 2)
            .align(count: images.count + 1, progress: nil) { i in
                guard i < images.count else { throw Unreadable() }
                return images[i]
            }
        let aligner = try FaceAligner(FacePipeline(size: 32))
        for (i, image) in images.enumerated() {
            let expected = try aligner.align(image)
            XCTAssertEqual(Array(crops[(i * 1024)..<((i + 1) * 1024)]), expected.crop.pixels, "image \(i)")
            XCTAssertEqual(outcomes[i], SampleOutcome(expected.outcome))
        }
        XCTAssertEqual(outcomes[images.count], .unreadable("broken file"))
    }

    /// Workers may take the images in any order (predict gives the largest first): the results stay
    /// by index, the same as in index order. An order that is not a permutation is refused.
    func testAnyWorkOrderGivesTheResultsInInputOrder() throws {
        let images = try images()
        let aligner = BatchAligner(pipeline: FacePipeline(), workers: 2)
        let inOrder = try aligner.alignEveryFace(count: images.count) { images[$0] }
        let order = [4, 0, 3, 5, 1, 2]
        let reordered = try aligner.alignEveryFace(count: images.count, order: order) { images[$0] }
        for i in images.indices {
            XCTAssertEqual(try reordered[i].get().map(\.crop), try inOrder[i].get().map(\.crop), "image \(i)")
            XCTAssertEqual(try reordered[i].get().map(\.faceBox), try inOrder[i].get().map(\.faceBox), "image \(i)")
        }
        XCTAssertThrowsError(try aligner.alignEveryFace(count: 3, order: [0, 1, 1]) { images[$0] }) {
            XCTAssertEqual("\($0)", "the work order must list every index in 0..<3 once")
        }
    }

    func testNoImagesLoadsNoCascades() throws {
        var pipeline = FacePipeline()
        pipeline.faceCascade = "/nonexistent.xml"
        XCTAssertEqual(try BatchAligner(pipeline: pipeline).alignEveryFace(count: 0) { _ in throw Unreadable() }.count, 0)
        XCTAssertThrowsError(try BatchAligner(pipeline: pipeline).alignEveryFace(count: 1) { _ in throw Unreadable() })
    }
}
