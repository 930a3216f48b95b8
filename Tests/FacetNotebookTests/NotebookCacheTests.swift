import FacetEngine
import XCTest
@testable import FacetNotebook
@testable import FacetSession
@testable import FacetCache
import FacetTestSupport

/// The result cache through notebook runs in this process: what hits, what trains again, and
/// that a hit gives the same report numbers.
final class NotebookCacheTests: XCTestCase {
    typealias NB = CacheNotebook

    func testSecondRunHitsWithTheSameNumbers() throws {
        let dir = try NB.folder(), cache = CachePolicy(directory: dir.appendingPathComponent("cache"))
        let first = try NB.run(NB.text(), cache: cache, in: dir)
        let second = try NB.run(NB.text(), cache: cache, in: dir)
        XCTAssertEqual(NB.counts(first), "0 from cache, 1 trained")
        XCTAssertEqual(NB.counts(second), "1 from cache, 0 trained")
        XCTAssertTrue(second.contains("_from cache, trained "), second)
        // The footer still says what the training cost, though the wall time no longer shows it:
        // the time the cache recorded, the same as the cache note's.
        XCTAssertNil(NB.trainingTime(first), first)
        let note = try XCTUnwrap(second.range(of: #"_from cache, trained \S+ in [^,]+,"#, options: .regularExpression).map { second[$0] })
        let noted = note.replacingOccurrences(of: #"^_from cache, trained \S+ in |,$"#, with: "", options: .regularExpression)
        XCTAssertEqual(NB.trainingTime(second), "the run's training took \(noted) in all, all in earlier sessions (as the cache recorded it)")
        // Same numbers — the run's table, accuracy, and the unseeded data set drawn after training
        // (its fingerprint in the footer), so the seed stream advanced as if training had run.
        XCTAssertEqual(NB.numbers(first), NB.numbers(second))
        XCTAssertTrue(second.contains("| Data | synthetic(n: 20, seed: "), second)
    }

    func testEditingProseKeepsTheCache() throws {
        let dir = try NB.folder(), cache = CachePolicy(directory: dir.appendingPathComponent("cache"))
        _ = try NB.run(NB.text(prose: "Before."), cache: cache, in: dir)
        let edited = try NB.run(NB.text(prose: "After an edit, with *more* words."), cache: cache, in: dir)
        XCTAssertEqual(NB.counts(edited), "1 from cache, 0 trained")
    }

    func testChangingEpochsTrainsAgain() throws {
        try assertTrainsAgain(NB.text(epochs: 3), NB.text(epochs: 4))
    }

    func testChangingTheDataSeedTrainsAgain() throws {
        try assertTrainsAgain(NB.text(dataSeed: 3), NB.text(dataSeed: 4))
    }

    func testChangingTheNetTrainsAgain() throws {
        try assertTrainsAgain(NB.text(width: 16), NB.text(width: 12))
    }

    func testChangingTheThreadCountTrainsAgain() throws {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        let dir = try NB.folder(), cache = CachePolicy(directory: dir.appendingPathComponent("cache"))
        Engine.threads = 1
        _ = try NB.run(NB.text(), cache: cache, in: dir)
        XCTAssertEqual(NB.counts(try NB.run(NB.text(), cache: cache, in: dir)), "1 from cache, 0 trained")
        Engine.threads = 2
        XCTAssertEqual(NB.counts(try NB.run(NB.text(), cache: cache, in: dir)), "0 from cache, 1 trained",
                       "another thread count sums in another order: its own entry")
    }

    private func assertTrainsAgain(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try NB.folder(), cache = CachePolicy(directory: dir.appendingPathComponent("cache"))
        _ = try NB.run(a, cache: cache, in: dir)
        XCTAssertEqual(NB.counts(try NB.run(b, cache: cache, in: dir)), "0 from cache, 1 trained", file: file, line: line)
        XCTAssertEqual(ResultCache(directory: dir.appendingPathComponent("cache")).entries().count, 2, file: file, line: line)
    }

    // MARK: damage

    func testTruncatedOrAlteredEntriesWarnAndRetrain() throws {
        let dir = try NB.folder(), folder = dir.appendingPathComponent("cache"), cache = CachePolicy(directory: folder)
        let reference = NB.numbers(try NB.run(NB.text(), cache: cache, in: dir))
        let damages: [(String, (inout Data) -> Void)] = [
            ("truncated", { $0 = $0.prefix($0.count / 2) }),
            ("a payload byte flipped", { $0[$0.count - 100] ^= 0x01 }),
            ("a description byte flipped", { $0[80] ^= 0x20 }),
            ("emptied", { $0 = Data() }),
        ]
        for (what, damage) in damages {
            let entry = try XCTUnwrap(ResultCache(directory: folder).entries().first { $0.kind == .result })
            var bytes = try Data(contentsOf: entry.url)
            damage(&bytes)
            try bytes.write(to: entry.url)
            let report = try NB.run(NB.text(), cache: cache, in: dir)
            XCTAssertTrue(report.contains("> **Warning:** damaged cache entry"), "\(what): \(report)")
            XCTAssertEqual(NB.counts(report), "0 from cache, 1 trained", what)
            XCTAssertEqual(NB.numbers(report), reference, what)
            XCTAssertEqual(NB.counts(try NB.run(NB.text(), cache: cache, in: dir)), "1 from cache, 0 trained",
                           "\(what): the retrained result replaced the damaged one")
        }
    }

    func testDamagedCheckpointWarnsAndTrainsFromTheStart() throws {
        let dir = try NB.folder(), folder = dir.appendingPathComponent("cache"), cache = CachePolicy(directory: folder)
        let reference = NB.numbers(try NB.run(NB.text(), cache: cache, in: dir))
        let entry = try XCTUnwrap(ResultCache(directory: folder).entries().first)
        let checkpoint = entry.url.deletingPathExtension().appendingPathExtension("checkpoint")
        try Data(try Data(contentsOf: entry.url).prefix(300)).write(to: checkpoint)
        try FileManager.default.removeItem(at: entry.url)
        let report = try NB.run(NB.text(), cache: cache, in: dir)
        XCTAssertTrue(report.contains("> **Warning:** damaged cache entry"), report)
        XCTAssertFalse(report.contains("resumed"), report)
        XCTAssertEqual(NB.numbers(report), reference)
        XCTAssertFalse(FileManager.default.fileExists(atPath: checkpoint.path), "a finished run removes its checkpoint")
    }

    // MARK: control

    func testNoCacheWritesNothingAndRefreshRecomputes() throws {
        let dir = try NB.folder(), folder = dir.appendingPathComponent("cache")
        let off = try NB.run(NB.text(), cache: .off, in: dir)
        XCTAssertEqual(NB.counts(off), "0 from cache, 1 trained; cache off")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
        let first = try NB.run(NB.text(), cache: CachePolicy(directory: folder), in: dir)
        let refreshed = try NB.run(NB.text(), cache: CachePolicy(directory: folder, refresh: true), in: dir)
        XCTAssertEqual(NB.counts(refreshed), "0 from cache, 1 trained; refreshed")
        XCTAssertEqual(NB.numbers(off), NB.numbers(first))
        XCTAssertEqual(NB.numbers(refreshed), NB.numbers(first))
        XCTAssertEqual(ResultCache(directory: folder).entries().count, 1, "overwritten, not added")
    }

    func testHitLeavesTheSeedStreamWhereTrainingWould() throws {
        let dir = try NB.folder(), cache = CachePolicy(directory: dir.appendingPathComponent("cache"))
        let source = tinyEmotionTraining(n: "120", epochs: "1")
        var after: [UInt64] = []
        for _ in 0..<2 {
            let session = try Session(seed: 9, progress: .quiet)
            session.cachePolicy = cache
            try session.run(source, name: "s")
            after.append(session.nextSeed())
        }
        XCTAssertEqual(after[0], after[1])
    }

    func testReplCacheCommandShowsHitsAndMisses() throws {
        let dir = try NB.folder()
        var out: [String] = []
        let repl = try Repl(seed: 4, cache: CachePolicy(directory: dir), write: { out.append($0) })
        repl.feed(tinyEmotionTraining(n: "120", epochs: "1"))
        repl.feed(":cache")
        XCTAssertTrue(out.last?.contains("this session: 0 from cache, 1 trained") == true, out.joined(separator: "\n"))
        repl.feed(":reset")
        repl.feed(tinyEmotionTraining(n: "120", epochs: "1"))
        repl.feed(":cache")
        let report = out.last ?? ""
        XCTAssertTrue(report.contains("cache: \(dir.path) (1 entry,"), report)
        XCTAssertTrue(report.contains("this session: 1 from cache, 0 trained") && report.contains("  hit "), report)
    }
}
