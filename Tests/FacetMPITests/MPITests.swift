import FacetEngine
import FacetWeights
import Foundation
import XCTest
@testable import FacetSession
import FacetTestSupport

/// `facet` under `mpirun -np 2` (docs/distributed.md), launched through scripts/facet-mpirun, the
/// one place that holds the launcher's flags. Skipped only when Open MPI's mpirun is not installed.
final class MPITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `scripts/facet-mpirun -np N facet args...` (or another program: `FacetCLI.rankProbe`, or a
    /// per-rank wrapper script); returns the output and wall seconds.
    func mpirun(_ ranks: Int, _ args: [String], environment: [String: String] = [:], stdin: URL? = nil,
                timeout: Double = 300, program: URL = FacetCLI.executable) throws -> (FacetCLI.Output, Double) {
        guard ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].contains(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("Open MPI's mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)")
        }
        let start = Date()
        // Every job here ends in well under a minute; a hang (ranks waiting on each other) fails
        // its test after `timeout` (5 minutes) instead of stalling the suite.
        let out = try FacetCLI.run(args, environment: environment, launcher: ["/bin/sh", Self.root.appendingPathComponent("scripts/facet-mpirun").path, "-np", "\(ranks)"],
                                   stdin: stdin, timeout: timeout, program: program)
        return (out, Date().timeIntervalSince(start))
    }

    /// `facet-rank-probe NOTEBOOK REPORT args...` as `ranks` MPI ranks (Tests/FacetRankProbe): the
    /// notebook through NotebookRunner over the real world; `--weights DIR` makes every rank write
    /// its trained `run`, `--kill-rank R` kills rank R at its first allreduce.
    func probe(_ ranks: Int, _ notebook: URL, report: URL, _ args: [String] = [], timeout: Double = 300) throws -> (FacetCLI.Output, Double) {
        try mpirun(ranks, [notebook.path, report.path] + args, timeout: timeout, program: FacetCLI.rankProbe)
    }

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// A notebook that trains a small net with dropout for 2 epochs (batch 40 over 210 samples:
    /// the last batch is ragged), shows the run and its accuracy, and saves it to `save`.
    func notebook(in dir: URL, train extra: String = "", save: String? = "single.safetensors") throws -> URL {
        let url = dir.appendingPathComponent("small.fnb")
        try """
        ---
        title: small
        ---
        ```facet
        let faces = synthetic(n: 300, seed: 3, size: 24) | split(0.7, 0.15, 0.15, stratify: "emotion") | gcn
        net small(classes = 7) {
          input 24x24x1
          conv 4 5x5 relu
          maxpool 2x2 stride 2
          dense 16 relu
          dropout 0.2
          softmax classes
        }
        let run = train(small(), faces.emotion, epochs: 2, batch: 40, momentum: 0.9, lr: 0.01\(extra))
        show run
        show accuracy(run, faces.test.emotion)
        \(save.map { "save(run, \"\(dir.appendingPathComponent($0).path)\")" } ?? "")
        ```
        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A report without what may differ between runs: times, and the footer's engine rows.
    func comparable(_ report: String) -> String {
        let timeless = report.replacingOccurrences(of: #"[0-9.]+ (s|ms|min)\b"#, with: "T", options: .regularExpression)
        return timeless.split(separator: "\n").filter {
            !["| Facet |", "| Ranks |", "| Threads per rank |", "| Wall time |", "| Results |"].contains(where: $0.hasPrefix)
        }.joined(separator: "\n")
    }

    func weights(_ url: URL) throws -> [String: [Float]] {
        try Safetensors.read(url).tensors.mapValues(\.values)
    }

    /// `parallel:` is checked in a single process too, so a notebook fails the same way alone and
    /// under mpirun; a valid value changes nothing there.
    func testParallelArgumentIsCheckedWithoutMPI() throws {
        let s = try Session(progress: .quiet)
        try s.run(tinyEmotionTraining(n: "60", epochs: "1"), name: "t")
        XCTAssertNoThrow(try s.run("train(tiny(), faces.emotion, epochs: 1, batch: 20, parallel: \"runs\")", name: "t"))
        XCTAssertThrowsError(try s.run("train(tiny(), faces.emotion, epochs: 1, parallel: \"rings\")", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("t:1:51: error: parallel must be one of \"batches\", \"runs\", got \"rings\""), "\(error)")
        }
    }

    func testPlainRunWithoutLauncherNeverStartsMPI() throws {
        let dir = try folder()
        let nb = try notebook(in: dir)
        let out = try FacetCLI.run(["run", nb.path, "-o", dir.appendingPathComponent("r.md").path, "--quiet"],
                                   removing: ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        XCTAssertFalse(report.contains("| Ranks |"), "no MPI: no ranks row")
    }

    /// The test support's timeout stops a job that would otherwise run on, and says so: the guard
    /// that keeps a hanging rank from stalling the whole suite.
    func testTheTestTimeoutStopsAJobThatRunsOn() throws {
        let dir = try folder()
        let nb = try notebook(in: dir, save: nil)
        var text = try String(contentsOf: nb, encoding: .utf8)
        text = text.replacingOccurrences(of: "epochs: 2,", with: "epochs: 100000,")
        try text.write(to: nb, atomically: true, encoding: .utf8)
        let start = Date()
        let (out, _) = try mpirun(2, ["run", nb.path, "-o", dir.appendingPathComponent("r.md").path, "--quiet"], timeout: 3)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "stopped soon after the timeout")
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.stderr.contains("was stopped after 3 s"), out.stderr)
    }

    func testTwoRanksEndWithIdenticalWeightsCloseToOneProcessAndTheSameReport() throws {
        let dir = try folder()
        let nb = try notebook(in: dir)
        let single = try FacetCLI.run(["run", nb.path, "-o", dir.appendingPathComponent("single.md").path, "--quiet"])
        XCTAssertEqual(single.status, 0, single.stderr)
        let nb2 = try notebook(in: dir, save: "rank0-saved.safetensors")
        let (out, _) = try mpirun(2, ["run", nb2.path, "-o", dir.appendingPathComponent("ranks.md").path, "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, "", "ranks print nothing on stdout")
        XCTAssertEqual(out.stderr.components(separatedBy: "small.fnb: 1/1 cells").count, 2, "one summary line, from rank 0: \(out.stderr)")
        // The same notebook through the probe, which writes what each rank trained.
        let (probed, _) = try probe(2, nb2, report: dir.appendingPathComponent("probe.md"), ["--weights", dir.path])
        XCTAssertEqual(probed.status, 0, probed.stderr)
        let w0 = try weights(dir.appendingPathComponent("w.rank0.safetensors"))
        let w1 = try weights(dir.appendingPathComponent("w.rank1.safetensors"))
        XCTAssertEqual(w0, w1, "both ranks hold the same weights, bit for bit")
        let one = try weights(dir.appendingPathComponent("single.safetensors"))
        XCTAssertEqual(Set(one.keys), Set(w0.keys))
        var worst: Float = 0
        for (name, a) in one { for (x, y) in zip(a, w0[name]!) { worst = max(worst, abs(x - y) / max(1e-3, abs(x))) } }
        XCTAssertLessThan(worst, 1e-4, "within 1e-4 relative of one process on the same global batch")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rank0-saved.safetensors").path))
        let a = try String(contentsOf: dir.appendingPathComponent("single.md"), encoding: .utf8)
        let b = try String(contentsOf: dir.appendingPathComponent("ranks.md"), encoding: .utf8)
        XCTAssertTrue(b.contains("| Ranks | 2 (MPI) |"), b)
        XCTAssertTrue(b.contains("| Threads per rank |"), b)
        XCTAssertEqual(comparable(a).replacingOccurrences(of: "single.safetensors", with: "X"),
                       comparable(b).replacingOccurrences(of: "rank0-saved.safetensors", with: "X"))
    }

    func testSeedsAsWholeRunsEqualRunningThemOneAfterAnother() throws {
        let dir = try folder()
        let nb = try notebook(in: dir, train: ", seeds: 3", save: nil)
        let single = try FacetCLI.run(["run", nb.path, "-o", dir.appendingPathComponent("single.md").path, "--quiet"])
        XCTAssertEqual(single.status, 0, single.stderr)
        let cache = ["FACET_CACHE_DIR": dir.appendingPathComponent("cache").path]
        let (out, _) = try mpirun(2, ["run", nb.path, "-o", dir.appendingPathComponent("ranks.md").path, "--quiet"], environment: cache)
        XCTAssertEqual(out.status, 0, out.stderr)
        let a = try String(contentsOf: dir.appendingPathComponent("single.md"), encoding: .utf8)
        let b = try String(contentsOf: dir.appendingPathComponent("ranks.md"), encoding: .utf8)
        XCTAssertTrue(a.contains("3 runs of"), a)
        XCTAssertEqual(comparable(a).replacingOccurrences(of: "; cache off", with: ""), comparable(b))
        XCTAssertTrue(b.contains("| Training | 0 from cache, 3 trained |"), b)
        // Rank 0 stored rank 1's run too: a rerun restores all three, on both ranks.
        let (again, _) = try mpirun(2, ["run", nb.path, "-o", dir.appendingPathComponent("again.md").path, "--quiet"], environment: cache)
        XCTAssertEqual(again.status, 0, again.stderr)
        let c = try String(contentsOf: dir.appendingPathComponent("again.md"), encoding: .utf8)
        XCTAssertTrue(c.contains("| Training | 3 from cache, 0 trained; the 3 runs' training took "), c)
        XCTAssertEqual(comparable(b).components(separatedBy: "\n").filter { !$0.contains("Training") && !$0.contains("from cache") },
                       comparable(c).components(separatedBy: "\n").filter { !$0.contains("Training") && !$0.contains("from cache") })
    }

    /// The REPL's script mode: mpirun hands stdin to rank 0 only, which sends the script to rank 1;
    /// the output (printed once) equals one process's.
    func testReplScriptUnderTwoRanksPrintsOnceWhatOneProcessPrints() throws {
        let dir = try folder()
        let script = dir.appendingPathComponent("s.facet")
        try (tinyEmotionTraining(n: "120", epochs: "2") + "\nrun\nprint(1 + 1)\n").write(to: script, atomically: true, encoding: .utf8)
        let one = try FacetCLI.run(["repl", "--no-cache"], stdin: script)
        XCTAssertEqual(one.status, 0, one.stderr)
        let (two, _) = try mpirun(2, ["repl", "--no-cache"], stdin: script)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(one.stdout.contains("run of tiny"), one.stdout)
        XCTAssertEqual(comparable(two.stdout), comparable(one.stdout))
    }

    /// Rank 0 alone consults the cache and tells rank 1: on a rerun both restore the same result
    /// (and rank 1 must not train, or it would wait in an allreduce forever).
    func testRerunRestoresFromRankZerosCacheOnEveryRank() throws {
        let dir = try folder()
        let nb = try notebook(in: dir, save: nil)
        let cache = dir.appendingPathComponent("cache").path
        let first = dir.appendingPathComponent("first"), second = dir.appendingPathComponent("second")
        for d in [first, second] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let (a, _) = try probe(2, nb, report: dir.appendingPathComponent("a.md"), ["--cache", cache, "--weights", first.path])
        XCTAssertEqual(a.status, 0, a.stderr)
        let (b, seconds) = try probe(2, nb, report: dir.appendingPathComponent("b.md"), ["--cache", cache, "--weights", second.path])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertLessThan(seconds, 60)
        let report = try String(contentsOf: dir.appendingPathComponent("b.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("| Training | 1 from cache, 0 trained; the run's training took "), report)
        let trained = try weights(first.appendingPathComponent("w.rank1.safetensors"))
        XCTAssertEqual(try weights(second.appendingPathComponent("w.rank0.safetensors")), trained)
        XCTAssertEqual(try weights(second.appendingPathComponent("w.rank1.safetensors")), trained, "rank 1 got rank 0's cached result")
    }

    /// A job stopped after an epoch resumes there on every rank: rank 0 found its checkpoint and
    /// sent it to rank 1, so both continue from the same state.
    func testStoppedJobResumesFromRankZerosCheckpoint() throws {
        let dir = try folder()
        let nb = try notebook(in: dir, train: ", seed: 5", save: nil)
        var text = try String(contentsOf: nb, encoding: .utf8)
        // Long enough that the job cannot finish between the first checkpoint and the stop (with
        // 12 epochs a quiet machine finished the whole run in that window, and the rerun found a
        // finished result instead of a checkpoint).
        text = text.replacingOccurrences(of: "epochs: 2,", with: "epochs: 200,").replacingOccurrences(of: "n: 300,", with: "n: 600,")
        try text.write(to: nb, atomically: true, encoding: .utf8)
        let cache = dir.appendingPathComponent("cache")
        // Started by hand so it can be stopped once a checkpoint exists: rank 0's progress (drawn
        // as on a terminal, every 0.1 s) says when an epoch from 2 on runs, after epoch 1's checkpoint
        // was written (a quiet machine runs several epochs per redraw, so not always epoch 2's line).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [Self.root.appendingPathComponent("scripts/facet-mpirun").path, "-np", "2", FacetCLI.executable.path,
                       "run", nb.path, "-o", dir.appendingPathComponent("a.md").path]
        var env = ProcessInfo.processInfo.environment
        env["FACET_CACHE_DIR"] = cache.path
        env["FACET_PROGRESS"] = "tty"
        p.environment = env
        let progress = Pipe()
        p.standardOutput = FileHandle.nullDevice; p.standardError = progress; p.standardInput = FileHandle.nullDevice
        try p.run()
        XCTAssertTrue(waitForOutput(progress, matching: "epoch ([2-9]|[1-9][0-9]|1[0-9][0-9])/200", timeout: 120),
                      "rank 0 reached epoch 2")
        let entries = cache.appendingPathComponent("results")
        XCTAssertTrue(((try? FileManager.default.contentsOfDirectory(atPath: entries.path)) ?? []).contains { $0.hasSuffix(".checkpoint") },
                      "rank 0 wrote a checkpoint after an epoch")
        p.terminate()
        p.waitUntilExit()
        let (out, _) = try probe(2, nb, report: dir.appendingPathComponent("b.md"), ["--cache", cache.path, "--weights", dir.path])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try String(contentsOf: dir.appendingPathComponent("b.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("from a checkpoint"), report)
        XCTAssertTrue(report.contains("1 resumed from a checkpoint"), report)
        XCTAssertEqual(try weights(dir.appendingPathComponent("w.rank0.safetensors")),
                       try weights(dir.appendingPathComponent("w.rank1.safetensors")), "both ranks resumed from the same state")
    }

    /// Asserts that a job ended within 10 s with a non-zero exit, stderr naming the rank (and
    /// `cause`), and no report at `report`.
    func assertJobEnded(_ out: FacetCLI.Output, _ seconds: Double, report: URL, cause: [String],
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(out.status, 0, file: file, line: line)
        XCTAssertLessThan(seconds, 10, file: file, line: line)
        for text in cause { XCTAssertTrue(out.stderr.contains(text), "\(text) in: \(out.stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: report.path), "no report", file: file, line: line)
    }

    /// A cell that fails on every rank is an ordinary failed cell: rank 0 writes the report with the
    /// error in place, exit status 1, and no rank is blamed.
    func testCellFailingOnEveryRankIsAnOrdinaryFailure() throws {
        let dir = try folder()
        let nb = try notebook(in: dir, train: ", optimizer: \"adamw\"", save: nil)
        let (out, _) = try mpirun(2, ["run", nb.path, "-o", dir.appendingPathComponent("r.md").path, "--quiet"])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertFalse(out.stderr.contains("failed: facet"), out.stderr)
        XCTAssertFalse(out.stderr.contains("MPI_ABORT"), out.stderr)
        let report = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("optimizer must be one of"), report)
        XCTAssertTrue(report.contains("| Ranks | 2 (MPI) |"), report)
    }

    /// A report path rank 0 cannot write is refused before any cell runs; the other ranks must not
    /// go on into the cells and wait for rank 0 there.
    func testUnwritableReportEndsTheJobBeforeAnyCell() throws {
        let dir = try folder()
        let nb = try notebook(in: dir)
        let blocker = dir.appendingPathComponent("a-file")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let (out, seconds) = try mpirun(2, ["run", nb.path, "-o", blocker.appendingPathComponent("r.md").path, "--quiet"])
        XCTAssertNotEqual(out.status, 0)
        XCTAssertLessThan(seconds, 10)
        XCTAssertTrue(out.stderr.contains("facet: rank 0 failed: "), out.stderr)
    }

    /// A cell that really fails on rank 1 alone: each rank starts facet through a wrapper that
    /// gives rank 0 a FACET_PATH holding the imported file and rank 1 one without it (as a file
    /// missing on one node), so rank 1's `import` fails and rank 0's succeeds.
    func testOneRankFailingAloneEndsTheJobNamingIt() throws {
        let dir = try folder()
        let nb = try notebook(in: dir)
        var text = try String(contentsOf: nb, encoding: .utf8)
        text = text.replacingOccurrences(of: "```facet\n", with: "```facet\nimport \"rankhelper.facet\"\n")
        try text.write(to: nb, atomically: true, encoding: .utf8)
        let lib = dir.appendingPathComponent("lib"), empty = dir.appendingPathComponent("empty")
        for d in [lib, empty] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try "let helper_ready = true\n".write(to: lib.appendingPathComponent("rankhelper.facet"), atomically: true, encoding: .utf8)
        let wrapper = dir.appendingPathComponent("per-rank-facet")
        try """
        #!/bin/sh
        if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then FACET_PATH='\(empty.path)'; else FACET_PATH='\(lib.path)'; fi
        export FACET_PATH
        exec '\(FacetCLI.executable.path)' "$@"
        """.write(to: wrapper, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(wrapper.path, 0o755), 0)
        let report = dir.appendingPathComponent("r.md")
        let (out, seconds) = try mpirun(2, ["run", nb.path, "-o", report.path, "--quiet"], program: wrapper)
        assertJobEnded(out, seconds, report: report, cause: ["facet: rank 1 failed: ", "rankhelper"])
    }

    /// A rank that really dies: the probe's Collective kills rank 1 with SIGKILL at its first
    /// gradient allreduce, in the middle of training under mpirun.
    func testAKilledRankEndsTheJobWithinSeconds() throws {
        let dir = try folder()
        let nb = try notebook(in: dir)
        let report = dir.appendingPathComponent("r.md")
        let (out, seconds) = try probe(2, nb, report: report, ["--kill-rank", "1"])
        // Open MPI's own words: "mpirun noticed that process rank 1 with PID … exited on signal 9 (Killed)".
        assertJobEnded(out, seconds, report: report, cause: ["rank 1", "signal 9"])
    }
}
