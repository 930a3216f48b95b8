import XCTest
@testable import FacetCache
import FacetTestSupport

/// The cache's storage: SHA-256, entries with checksums, locks, pruning.
final class ResultCacheTests: XCTestCase {
    func testSHA256MatchesTheStandardVectors() {
        XCTAssertEqual(SHA256.hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Fed in pieces, or a slice of a larger buffer, it is the same digest.
        var h = SHA256()
        h.update(Data("a".utf8)); h.update(Data("bc".utf8))
        XCTAssertEqual(h.hexDigest(), SHA256.hex(Data("abc".utf8)))
        XCTAssertEqual(SHA256.hex(Data("xxabc".utf8).dropFirst(2)), SHA256.hex(Data("abc".utf8)))
    }

    private func info(_ key: String, _ kind: ResultCache.Kind = .result) -> ResultCache.Info {
        ResultCache.Info(key: key, kind: kind.rawValue, what: "test", origin: "here", created: "2026-01-01T00:00:00Z",
                         seconds: 1, epochs: 1, ofEpochs: 1)
    }

    private func cache() -> ResultCache { ResultCache(directory: freshCacheFolder()) }

    func testEntriesRoundTripAndRefuseDamage() throws {
        let c = cache(), key = String(repeating: "a", count: 64)
        XCTAssertNil(try c.read(key, .result))
        try c.write(key, .result, info: info(key), payload: Data([1, 2, 3]))
        let back = try XCTUnwrap(try c.read(key, .result))
        XCTAssertEqual(back.info, info(key))
        XCTAssertEqual(back.payload, Data([1, 2, 3]))
        var bytes = try Data(contentsOf: c.url(key, .result))
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: c.url(key, .result))
        XCTAssertThrowsError(try c.read(key, .result)) { XCTAssertTrue("\($0)".contains("checksum mismatch"), "\($0)") }
        // An intact entry copied under another key's name is not that key's entry.
        let other = String(repeating: "b", count: 64)
        try c.write(key, .result, info: info(key), payload: Data([1]))
        try FileManager.default.copyItem(at: c.url(key, .result), to: c.url(other, .result))
        XCTAssertThrowsError(try c.read(other, .result))
    }

    /// An entry that cannot be read right now (here: something that is not a file) is not damage:
    /// it is reported as unreadable and left in place, never removed.
    func testAnUnreadableEntryIsKeptNotDiscarded() throws {
        let c = cache()
        let key = String(repeating: "ab", count: 32)
        let path = c.url(key, .result)
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        XCTAssertThrowsError(try c.read(key, .result)) { error in
            XCTAssertTrue(error is ResultCache.Unreadable, "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path.path))
    }

    func testASecondLockerWaitsForTheFirst() throws {
        let c = cache(), key = "k"
        let first = try XCTUnwrap(try c.lock(key))
        XCTAssertTrue(c.isLocked(key))
        // The second locker says it is waiting (the event); only then is the first lock released.
        let waiting = expectation(description: "the second locker waits for the first")
        let released = expectation(description: "second lock taken after the first is released")
        DispatchQueue.global().async {
            let second = (try? c.lock(key, waiting: { waiting.fulfill() })) ?? nil
            XCTAssertNotNil(second)
            second?.release()
            released.fulfill()
        }
        wait(for: [waiting], timeout: 30)
        first.release()
        wait(for: [released], timeout: 30)
        XCTAssertFalse(c.isLocked(key))
        // A stop request ends the wait without the lock.
        let held = try XCTUnwrap(try c.lock(key))
        XCTAssertNil(try c.lock(key, shouldStop: { true }))
        held.release()
    }

    func testPruneBySizeRemovesTheLeastRecentlyUsedAndSkipsLockedKeys() throws {
        let c = cache()
        for (i, key) in ["old", "mid", "new"].enumerated() {
            try c.write(key, .result, info: info(key), payload: Data(count: 1000))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(Double(i - 3) * 3600)],
                                                  ofItemAtPath: c.url(key, .result).path)
        }
        let lock = try XCTUnwrap(try c.lock("old"))
        let removed = c.prune(maxSize: 2500)
        XCTAssertEqual(removed.map(\.key), ["mid"], "old is in use, so mid goes")
        lock.release()
        XCTAssertEqual(c.prune(maxSize: 1500).map(\.key), ["old"])
        XCTAssertEqual(c.entries().map(\.key), ["new"])
        XCTAssertEqual(c.clear().map(\.key), ["new"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: c.entriesFolder.path), [], "lock files go too")
    }

    func testDefaultFolderFollowsTheEnvironment() {
        XCTAssertEqual(ResultCache.defaultDirectory(environment: ["FACET_CACHE_DIR": "/x", "XDG_CACHE_HOME": "/y"]).path, "/x")
        XCTAssertEqual(ResultCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/y"]).path, "/y/facet")
        XCTAssertTrue(ResultCache.defaultDirectory(environment: [:]).path.hasSuffix("/.cache/facet"))
    }
}
