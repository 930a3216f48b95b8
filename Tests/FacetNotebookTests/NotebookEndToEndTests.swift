import XCTest
@testable import FacetNotebook
@testable import FacetSession
@testable import FacetCache
import FacetTestSupport

/// A tiny notebook through the whole kernel: synthetic data, a tiny net, one epoch, metrics,
/// figures, footer — and a run stopped with Ctrl-C.
final class NotebookEndToEndTests: XCTestCase {
    static let notebook = """
    ---
    title: Tiny end to end
    params: { epochs: 1, n: 160 }
    ---
    Some *prose* before the first cell.

    ```facet
    \(tinyEmotionTraining(n: "n", epochs: "epochs"))
    ```

    Results.

    ```facet
    print("accuracy", accuracy(run, faces.test.emotion))
    let per_class = classification(run, faces.test.emotion)
    show per_class
    let pc = per_class.rows
    print("per-class", len(pc), pc[0].class, pc[6].class, pc[0].support + pc[1].support + pc[2].support + pc[3].support + pc[4].support + pc[5].support + pc[6].support)
    show confusion(run, faces.test.emotion)
    let rows = records()
    for w in [1, 2] { rows.add({w: w, squared: w * w, half: w / 2}) }
    show table(rows, highlight: "max")
    save(run, "\(NSTemporaryDirectory())facet-e2e-model.safetensors")
    ```
    """

    func testTinyNotebookReportHasEveryPart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-e2e-\(UUID().uuidString)")
        let nb = try Notebook(text: Self.notebook, path: "tiny.fnb")
        var options = NotebookRunner.Options(); options.progress = .quiet; options.seed = 5
        let out = dir.appendingPathComponent("tiny.md")
        let result = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        let md = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(result.succeeded, md)
        XCTAssertTrue(md.hasPrefix("# Tiny end to end\n"))
        XCTAssertTrue(md.contains("Some *prose* before the first cell."))
        XCTAssertTrue(md.contains("<details><summary>Cell 1 ·") && md.contains("```facet\nlet faces = synthetic"))
        XCTAssertTrue(md.contains("```text\naccuracy 0."), "printed accuracy: \(md)")
        XCTAssertTrue(md.contains("| class "), "classification table")
        // `.rows`: a record per class, in label order, supports adding up to the test set.
        let perClass = md.components(separatedBy: "per-class ").dropFirst().first?.split(separator: "\n").first ?? ""
        let parts = perClass.split(separator: " ").map { $0.replacingOccurrences(of: "\"", with: "") }
        XCTAssertEqual(Array(parts.prefix(3)), ["7", "angry", "neutral"], md)
        let support = Int(parts.last ?? "") ?? 0
        XCTAssertTrue((20...28).contains(support), "15 % of 160 faces: \(perClass)")
        XCTAssertTrue(md.contains("![Confusion matrix, emotion](tiny_files/fig1-confusion.svg)"), md)
        let svg = try String(contentsOf: dir.appendingPathComponent("tiny_files/fig1-confusion.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        // Integer columns are settings (plain); the measured column has its best value in bold.
        XCTAssertTrue(md.contains("| squared |") && md.contains("|       4 |"), "sweep table: \(md)")
        XCTAssertTrue(md.contains("|   1 |       1 |     0.500 |\n|   2 |       4 | **1.000** |\n"), "highlight: \(md)")
        XCTAssertTrue(md.contains("| Seed | 5 |"))
        XCTAssertTrue(md.contains("`epochs = 1`, `n = 160`"))
        XCTAssertTrue(md.contains("| Data | synthetic(n: 160, seed: 3, size: 24, preset: \"fer\") — fingerprint `"))
        XCTAssertTrue(md.contains("| Facet | 0."))
        XCTAssertTrue(md.contains("| Wall time |"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "facet-e2e-model.safetensors"))

        // The same notebook and seed give the same numbers.
        let again = try NotebookRunner(notebook: nb, options: options).run(writingTo: dir.appendingPathComponent("again.md"))
        XCTAssertEqual(again.cells[1].outputs.first, result.cells[1].outputs.first, "same seed, same accuracy")
    }

    func testCtrlCWritesThePartialReportAndExits130() throws {
        let stop = try stopDuringTraining(with: SIGINT)
        XCTAssertEqual(stop.status, 130)
        XCTAssertTrue(stop.report.contains("Run interrupted** (SIGINT (Ctrl-C))"), stop.report)
    }

    /// `kill`, a service manager or a closed terminal stop a run as Ctrl-C does: partial report, a
    /// message naming the signal, exit status 128 + its number — an exit, not a death by the signal.
    func testSIGTERMAndSIGHUPWriteThePartialReportAndExitWithTheirCodes() throws {
        for (signal, name, status) in [(SIGTERM, "SIGTERM", Int32(143)), (SIGHUP, "SIGHUP", Int32(129))] {
            let stop = try stopDuringTraining(with: signal)
            XCTAssertEqual(stop.status, status, name)
            XCTAssertTrue(stop.report.contains("Run interrupted** (\(name))"), stop.report)
            XCTAssertTrue(stop.stderr.contains("stopped by \(name): the partial report is in \(stop.path); exit status \(status)"), stop.stderr)
        }
    }

    /// Runs a notebook whose first cell trains for a very long time, sends `signal` once training
    /// reports progress, and returns the exit status, stderr and the report (whose second cell
    /// must not have run).
    private func stopDuringTraining(with signal: Int32, file: StaticString = #filePath, line: UInt = #line) throws
        -> (status: Int32, stderr: String, report: String, path: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-int-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("long.fnb"), report = dir.appendingPathComponent("long.md")
        try """
        ```facet
        let faces = synthetic(n: 400, seed: 1, size: 24) | split(0.8, 0.1, 0.1)
        net tiny { input 24x24x1; conv 4 3x3 relu; dense 8 relu; softmax 7 }
        let run = train(tiny(), faces.emotion, epochs: 100000, batch: 20)
        ```
        ```facet
        print("second cell")
        ```
        """.write(to: path, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = FacetCLI.executable
        p.arguments = ["run", path.path, "-o", report.path]
        var env = ProcessInfo.processInfo.environment
        env["FACET_PROGRESS"] = "plain"
        env["FACET_CACHE_DIR"] = dir.appendingPathComponent("cache").path
        p.environment = env
        let err = Pipe()
        p.standardError = err; p.standardOutput = FileHandle.nullDevice; p.standardInput = FileHandle.nullDevice
        try p.run()
        // Wait for training to report progress, then send the signal.
        var seen = ""
        let deadline = Date().addingTimeInterval(60)
        while !seen.contains("train tiny"), Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            seen += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(seen.contains("train tiny"), seen, file: file, line: line)
        kill(p.processIdentifier, signal)
        seen += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, "exits with a status, not killed by the signal", file: file, line: line)
        let md = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(md.contains("Cell 2 · not run"), md, file: file, line: line)
        return (p.terminationStatus, seen, md, report.path)
    }
}
