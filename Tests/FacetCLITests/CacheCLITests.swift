import FacetEngine
import FacetWeights
import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// The result cache through the `facet` executable: a run killed with SIGKILL resumes at its
/// last checkpoint and ends bit-identical; concurrent runs share one cache; `facet cache`.
final class CacheCLITests: XCTestCase {
    /// Batch size 1 on 840 training faces makes an epoch take a large fraction of a second in a
    /// debug build, so the test can kill the run between the second and third checkpoints.
    static let slow = """
    ---
    params: { epochs: 6, out: "model.safetensors" }
    ---
    ```facet
    let faces = synthetic(n: 1200, seed: 3, size: 12) | split(0.7, 0.15, 0.15) | gcn
    net tiny {
      input 12x12x1
      conv 8 3x3 relu
      dropout 0.2
      dense 32 relu
      softmax 7
    }
    let run = train(tiny(), faces.emotion, epochs: epochs, batch: 1, optimizer: "adam", lr: 0.001)
    save(run, out)
    ```
    """

    func testKilledRunResumesAtItsCheckpointBitIdentical() throws {
        let dir = try CacheNotebook.folder(), nb = dir.appendingPathComponent("slow.fnb"), cache = dir.appendingPathComponent("cache")
        try Self.slow.write(to: nb, atomically: true, encoding: .utf8)
        let whole = dir.appendingPathComponent("whole.safetensors"), resumed = dir.appendingPathComponent("resumed.safetensors")
        let reference = try FacetCLI.run(["run", "--quiet", "--no-cache", nb.path, "-o", dir.appendingPathComponent("a.md").path,
                                          "-p", "out=\"\(whole.path)\""])
        XCTAssertEqual(reference.status, 0, reference.stderr)

        // Start a cached run and kill it with SIGKILL once the checkpoint after epoch 2 exists: its
        // plain progress lines (every tenth of the work) say when epoch 3 runs, which is after that
        // checkpoint was written and 0.6 epochs before the next one.
        let p = Process()
        p.executableURL = FacetCLI.executable
        p.arguments = ["run", "--cache", cache.path, nb.path, "-o", dir.appendingPathComponent("b.md").path,
                       "-p", "out=\"\(resumed.path)\""]
        var env = ProcessInfo.processInfo.environment
        env["FACET_PROGRESS"] = "plain"
        p.environment = env
        let progress = Pipe()
        p.standardOutput = FileHandle.nullDevice; p.standardError = progress
        try p.run()
        let sawEpoch3 = waitForOutput(progress, containing: "epoch 3/6", timeout: 120)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertTrue(sawEpoch3, "the run reported epoch 3")
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, "killed, not finished")
        XCTAssertEqual(checkpointEpochs(cache), 2, "the checkpoint after epoch 2 survived the kill")

        let again = try FacetCLI.run(["run", "--cache", cache.path, nb.path, "-o", dir.appendingPathComponent("c.md").path,
                                      "-p", "out=\"\(resumed.path)\""], environment: ["FACET_PROGRESS": "plain"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("resumed at epoch 2 of 6"), again.stderr)
        let a = try Safetensors.read(whole).tensors, b = try Safetensors.read(resumed).tensors
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (name, t) in a {
            XCTAssertTrue(t.values.map(\.bitPattern) == b[name]?.values.map(\.bitPattern), "\(name) differs")
        }
        XCTAssertNil(checkpointEpochs(cache), "the finished run removed its checkpoint")
    }

    /// Epochs done by the checkpoint in `cache`, nil when there is none.
    private func checkpointEpochs(_ cache: URL) -> Int? {
        ResultCache(directory: cache).entries().first { $0.kind == .checkpoint }?.info?.epochs
    }

    func testConcurrentRunsOnOneCacheBothSucceedWithTheSameReport() throws {
        let dir = try CacheNotebook.folder(), nb = dir.appendingPathComponent("nb.fnb"), cache = dir.appendingPathComponent("cache")
        try CacheNotebook.text(epochs: 4).write(to: nb, atomically: true, encoding: .utf8)
        var outputs: [FacetCLI.Output?] = [nil, nil]
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            outputs[i] = try? FacetCLI.run(["run", "--quiet", "--cache", cache.path, nb.path,
                                            "-o", dir.appendingPathComponent("r\(i).md").path])
        }
        for o in outputs { XCTAssertEqual(o?.status, 0, o?.stderr ?? "did not run") }
        let reports = try (0..<2).map { try String(contentsOf: dir.appendingPathComponent("r\($0).md"), encoding: .utf8) }
        XCTAssertEqual(CacheNotebook.numbers(reports[0]), CacheNotebook.numbers(reports[1]))
        // The lock let one run train and the other wait for its result.
        XCTAssertEqual(Set(reports.map(CacheNotebook.counts)), ["0 from cache, 1 trained", "1 from cache, 0 trained"])
        XCTAssertEqual(ResultCache(directory: cache).entries().map(\.kind), [.result])
    }

    func testCacheListPruneAndClear() throws {
        let dir = try CacheNotebook.folder(), cache = dir.appendingPathComponent("cache")
        for epochs in [2, 3] { _ = try CacheNotebook.run(CacheNotebook.text(epochs: epochs), cache: CachePolicy(directory: cache), in: dir) }
        let list = try FacetCLI.run(["cache", "list", "--cache", cache.path])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.hasPrefix("2 entries, "), list.stdout)
        XCTAssertTrue(list.stdout.contains("train tiny(w: 16) on synthetic(n: 200, seed: 3, size: 12"), list.stdout)
        XCTAssertTrue(list.stdout.contains("cache.fnb cell 1, line 16: let run = train(tiny(w: width)"), list.stdout)

        // The older entry was used long ago: --older-than removes it, and only it.
        let before = ResultCache(directory: cache).entries()
        let old = before.last!, recent = before.first!
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-40 * 86_400)], ofItemAtPath: old.url.path)
        let prune = try FacetCLI.run(["cache", "prune", "--older-than", "30d", "--cache", cache.path])
        XCTAssertTrue(prune.stdout.hasPrefix("removed 1 entry "), prune.stdout + prune.stderr)
        XCTAssertEqual(ResultCache(directory: cache).entries().map(\.key), [recent.key])
        XCTAssertFalse(FileManager.default.fileExists(atPath: old.url.path))

        let keep = try FacetCLI.run(["cache", "prune", "--max-size", "5G", "--cache", cache.path])
        XCTAssertTrue(keep.stdout.hasPrefix("removed 0 entries"), keep.stdout)
        let bad = try FacetCLI.run(["cache", "prune", "--max-size", "lots", "--cache", cache.path])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        let clear = try FacetCLI.run(["cache", "clear", "--cache", cache.path])
        XCTAssertTrue(clear.stdout.hasPrefix("removed 1 entry "), clear.stdout)
        XCTAssertEqual(try FacetCLI.run(["cache", "list", "--cache", cache.path]).stdout.prefix(10), "0 entries,")
    }
}
