import FacetRandom
import XCTest
@testable import FacetVision

final class DatasetCacheTests: XCTestCase {
    /// A FER2013 CSV of `rows` random 48×48 images.
    private func ferFile(rows: Int, seed: UInt64, in dir: URL) throws -> String {
        var generator = SeededGenerator(seed: seed)
        var text = "emotion,pixels,Usage\n"
        for r in 0..<rows {
            let pixels = (0..<2304).map { _ in String(generator.below(256)) }.joined(separator: " ")
            text += "\(r % 7),\(pixels),\(["Training", "PublicTest", "PrivateTest"][r % 3])\n"
        }
        return try write(text, to: "fer.csv", in: dir)
    }

    private func options(cache: URL, size: Int = 48) -> LoadOptions {
        var o = LoadOptions()
        o.cacheDirectory = cache
        o.pipeline = FacePipeline(size: size)
        o.pipeline.detectFaces = false
        return o
    }

    private func cacheFiles(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".facetds") }.sorted()
    }

    func testSecondLoadIsServedFromTheMappedCache() throws {
        let dir = try temporaryDirectory(self), cache = dir.appendingPathComponent("cache")
        let path = try ferFile(rows: 9, seed: 1, in: dir)
        let first = try FaceDataset.load(path: path, options: options(cache: cache))
        let second = try FaceDataset.load(path: path, options: options(cache: cache))
        XCTAssertFalse(first.summary.fromCache)
        XCTAssertTrue(second.summary.fromCache)
        XCTAssertTrue(second.crops.isMemoryMapped)
        XCTAssertEqual(try cacheFiles(cache).count, 1)
        XCTAssertEqual(second.pixels, first.pixels)
        XCTAssertEqual(second.labels, first.labels)
        XCTAssertEqual(second.classes, first.classes)
        XCTAssertEqual(second.sources, first.sources)
        XCTAssertEqual(second.splits, [.train, .valid, .test, .train, .valid, .test, .train, .valid, .test])
        // The raw FER pixels pass through unchanged when detection is off at 48×48.
        let raw = try FER2013Table.load(path: path)
        XCTAssertEqual(Array(second.crops.crop(4)), Array(raw.pixels[(4 * 2304)..<(5 * 2304)]))
    }

    func testChangedSettingsOrSourceInvalidateTheCache() throws {
        let dir = try temporaryDirectory(self), cache = dir.appendingPathComponent("cache")
        let path = try ferFile(rows: 4, seed: 2, in: dir)
        _ = try FaceDataset.load(path: path, options: options(cache: cache))
        let resized = try FaceDataset.load(path: path, options: options(cache: cache, size: 32))
        XCTAssertFalse(resized.summary.fromCache)
        XCTAssertEqual(resized.size, 32)
        XCTAssertTrue(try FaceDataset.load(path: path, options: options(cache: cache, size: 32)).summary.fromCache)

        var levelOff = options(cache: cache)
        levelOff.pipeline.levelEyes = false
        XCTAssertFalse(try FaceDataset.load(path: path, options: levelOff).summary.fromCache)

        // Same size, new content: the fingerprint samples the file's bytes.
        _ = try ferFile(rows: 4, seed: 3, in: dir)
        let rewritten = try FaceDataset.load(path: path, options: options(cache: cache))
        XCTAssertFalse(rewritten.summary.fromCache)
        XCTAssertEqual(try cacheFiles(cache).count, 4)
    }

    func testDamagedCacheIsRebuiltNotTrusted() throws {
        let dir = try temporaryDirectory(self), cache = dir.appendingPathComponent("cache")
        let path = try ferFile(rows: 3, seed: 4, in: dir)
        let original = try FaceDataset.load(path: path, options: options(cache: cache))
        let file = cache.appendingPathComponent(try cacheFiles(cache)[0])
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count - 10).write(to: file)  // truncated
        let reloaded = try FaceDataset.load(path: path, options: options(cache: cache))
        XCTAssertFalse(reloaded.summary.fromCache)
        XCTAssertEqual(reloaded.pixels, original.pixels)
        XCTAssertTrue(try FaceDataset.load(path: path, options: options(cache: cache)).summary.fromCache)
    }

    func testUnwritableCacheIsANoteNotAFailure() throws {
        let dir = try temporaryDirectory(self)
        let path = try ferFile(rows: 2, seed: 5, in: dir)
        let blocker = try write("a file where the cache folder should be", to: "blocked", in: dir)
        let d = try FaceDataset.load(path: path, options: options(cache: URL(fileURLWithPath: blocker)))
        XCTAssertEqual(d.count, 2)
        XCTAssertEqual(d.summary.notes.count, 1)
        XCTAssertTrue(d.summary.notes[0].contains("cache not written"))
    }

    func testAlignedFERLoadCountsEveryRow() throws {
        // Random noise has no faces: every row is listed as "no face" and kept whole.
        let dir = try temporaryDirectory(self)
        let path = try ferFile(rows: 6, seed: 6, in: dir)
        var o = LoadOptions()
        o.cacheDirectory = nil
        let d = try FaceDataset.load(path: path, options: o)
        XCTAssertEqual(d.count, 6)
        XCTAssertEqual(d.summary.noFace, (2...7).map { "\(path):\($0)" })
        XCTAssertEqual(d.summary.facesFound, 0)
    }
}
