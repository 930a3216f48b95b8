import XCTest
@testable import FacetSynthetic
import FacetVision

/// Generation: determinism, shapes, label ranges and argument errors.
final class SyntheticFacesTests: XCTestCase {
    func testSameSeedGivesSameBytesAndDifferentSeedDiffers() throws {
        let a = try SyntheticFaces.generate(count: 24, seed: 42)
        let b = try SyntheticFaces.generate(count: 24, seed: 42)
        let c = try SyntheticFaces.generate(count: 24, seed: 43)
        XCTAssertEqual(a.pixels, b.pixels)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.targets, b.targets)
        XCTAssertEqual(a.eyes, b.eyes)
        XCTAssertNotEqual(a.pixels, c.pixels)
    }

    func testOutputDoesNotDependOnThreadsOrBatchSize() throws {
        var serial = SyntheticOptions()
        serial.threads = 1
        var parallel = SyntheticOptions()
        parallel.threads = 4
        let one = try SyntheticFaces.generate(count: 20, seed: 9, options: serial)
        let many = try SyntheticFaces.generate(count: 20, seed: 9, options: parallel)
        let prefix = try SyntheticFaces.generate(count: 7, seed: 9, options: parallel)
        XCTAssertEqual(one.pixels, many.pixels)
        XCTAssertEqual(Array(many.pixels[0..<(7 * 48 * 48)]), prefix.pixels)
        XCTAssertEqual(Array(many.labels[.emotion]!.prefix(7)), prefix.labels[.emotion]!)
    }

    func testShapesAndRanges() throws {
        let n = 30
        let batch = try SyntheticFaces.generate(count: n, seed: 1, size: 32)
        XCTAssertEqual(batch.width, 32)
        XCTAssertEqual(batch.pixels.count, n * 32 * 32)
        XCTAssertEqual(batch.targets.count, n * batch.targetNames.count)
        XCTAssertEqual(batch.targetNames.suffix(2), ["yaw", "pitch"])
        XCTAssertEqual(batch.targetNames.count, 13 + 9 + 10 + 2)                  // shape, expression, appearance, pose
        XCTAssertEqual(batch.eyes.count, n * 4)
        XCTAssertEqual(batch.faceBoxes.count, n * 4)
        XCTAssertGreaterThanOrEqual(batch.pixels.min()!, 0)
        XCTAssertLessThanOrEqual(batch.pixels.max()!, 255)
        for a in SyntheticAttribute.allCases {
            let labels = try XCTUnwrap(batch.labels[a])
            XCTAssertEqual(labels.count, n, "\(a)")
            XCTAssertTrue(labels.allSatisfy { $0 >= 0 && Int($0) < a.classNames.count }, "\(a) out of range")
        }
        XCTAssertEqual(SyntheticAttribute.age.classNames.count, 17)
        XCTAssertEqual(SyntheticAttribute.emotion.classNames,
                       ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"])
    }

    func testProgressCountsEveryFace() throws {
        let seen = LockedMax()
        _ = try SyntheticFaces.generate(count: 37, seed: 1, size: 16, progress: { seen.record($0) })
        XCTAssertEqual(seen.value, 37)
    }

    func testEmptyBatchIsAllowed() throws {
        let batch = try SyntheticFaces.generate(count: 0, seed: 1)
        XCTAssertEqual(batch.count, 0)
        XCTAssertTrue(batch.pixels.isEmpty)
    }

    func testBadArgumentsAreRejectedWithAMessage() {
        assertSyntheticError(try SyntheticFaces.generate(count: -1, seed: 1), containing: "count")
        assertSyntheticError(try SyntheticFaces.generate(count: 1, seed: 1, size: 4), containing: "size must be 8...512")
        assertSyntheticError(try SyntheticFaces.generate(count: 1, seed: 1, labelNoise: 1.5), containing: "label noise")
        var o = SyntheticOptions()
        o.sceneSize = 10
        assertSyntheticError(try SyntheticFaces.generate(count: 1, seed: 1, scenes: true, options: o), containing: "scene size")
    }

    func testScenesAndCropsDrawTheSameFaces() throws {
        let crops = try SyntheticFaces.generate(count: 10, seed: 5)
        let scenes = try SyntheticFaces.generate(count: 10, seed: 5, scenes: true)
        XCTAssertEqual(scenes.width, 192)
        XCTAssertEqual(crops.labels, scenes.labels)
        XCTAssertEqual(crops.targets, scenes.targets)
    }
}

func assertSyntheticError<T>(_ body: @autoclosure () throws -> T, containing text: String,
                     file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error containing '\(text)'", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(text), "error '\(error)' does not mention '\(text)'", file: file, line: line)
    }
}

/// The largest progress value reported, from any thread.
private final class LockedMax: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return stored }
    func record(_ v: Int) { lock.lock(); stored = max(stored, v); lock.unlock() }
}
