import XCTest
@testable import FacetNotebook
@testable import FacetSession
@testable import FacetCache
import FacetTestSupport

/// The report's output: its location is checked before any cell runs, and a report with its
/// figures replaces the previous pair only when complete — a full disk or a failed rename leaves
/// the previous report and every figure byte-identical, with no temporaries left behind.
final class ReportOutputTests: XCTestCase {
    /// One cell: a bar chart of `nbars` bars (about 290 bytes of SVG each) and `nlines` printed lines
    /// (about 80 bytes each), so the sizes of figure and report can be set apart.
    static let notebook = """
    ---
    title: Fill
    params: { nbars: 2, nlines: 2 }
    ---
    ```facet
    let rows = records()
    for i in 0..<nbars { rows.add({name: "bar " + str(i), value: i / nbars}) }
    show bars(rows, category: "name", values: "value", title: "Bars")
    for i in 0..<nlines { print("line", i, "padding padding padding padding padding padding padding") }
    ```
    """

    private func run(_ report: URL, _ parameters: [(String, String)] = []) throws -> NotebookRunner.Result {
        var options = NotebookRunner.Options(); options.progress = .quiet
        options.parameters = parameters
        return try NotebookRunner(notebook: Notebook(text: Self.notebook, path: "fill.fnb"), options: options).run(writingTo: report)
    }

    private func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("facet-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func testFullDiskLeavesThePreviousReportAndFiguresByteIdentical() throws {
        // 64 KiB: the first report (two small files) fits; each bigger one fails at a different step —
        // an 88 KB figure while staging figures, a 160 KB report after its figures were staged.
        let disk = try Tmpfs.mount(kilobytes: 64)
        defer { disk.unmount() }
        let report = disk.url.appendingPathComponent("fill.md")
        XCTAssertTrue(try run(report).succeeded)
        let before = try snapshot(disk.url)
        XCTAssertEqual(before.keys.sorted(), ["fill.md", "fill_files/", "fill_files/fig1-bars.svg", "fill_files/results.json"])
        let figures = disk.url.appendingPathComponent("fill_files").path
        let steps = [("nbars", "300", "cannot write the figures in \(figures)"), ("nlines", "2000", "cannot write the report \(report.path)")]
        for (name, value, what) in steps {
            let bigger = [(name, value)]
            XCTAssertThrowsError(try run(report, bigger), "\(bigger)") {
                XCTAssertEqual("\($0)", "\(what): no space left on device; the previous report and its figures are unchanged")
            }
            XCTAssertEqual(try snapshot(disk.url), before, "\(bigger): previous report and figures, and no temporaries")
        }
    }

    func testAFailedSwapPutsTheOldFiguresBack() throws {
        // A folder where the report should be makes the last rename fail, after the figures moved.
        let dir = try tempDir()
        let files = ReportFiles(report: dir.appendingPathComponent("r.md"))
        try FileManager.default.createDirectory(at: files.report, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: files.figuresFolder, withIntermediateDirectories: true)
        try "old".write(to: files.figuresFolder.appendingPathComponent("fig1.svg"), atomically: true, encoding: .utf8)
        let before = try snapshot(dir)
        XCTAssertThrowsError(try files.replace(markdown: "new", figures: [("fig1", "<svg/>"), ("fig2", "<svg/>")])) {
            XCTAssertTrue("\($0)".hasPrefix("cannot replace the report \(files.report.path): "), "\($0)")
        }
        XCTAssertEqual(try snapshot(dir), before)
    }

    func testReadOnlyFolderIsFoundBeforeAnyCellRuns() throws {
        let disk = try Tmpfs.mount(kilobytes: 64)
        defer { disk.unmount() }
        try disk.remountReadOnly()
        let report = disk.url.appendingPathComponent("fill.md")
        let (notebook, marker) = try markerNotebook()
        var options = NotebookRunner.Options(); options.progress = .quiet
        XCTAssertThrowsError(try NotebookRunner(notebook: Notebook(contentsOf: notebook.path), options: options).run(writingTo: report)) {
            XCTAssertEqual("\($0)", "cannot write in the folder \(disk.url.path): read-only file system")
        }
        let cli = try FacetCLI.run(["run", "--quiet", notebook.path, "-o", report.path])
        XCTAssertEqual(cli.status, 1)
        XCTAssertEqual(cli.stderr, "\(notebook.path): error: cannot write in the folder \(disk.url.path): read-only file system\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "no cell ran")
    }

    /// A notebook whose only cell writes `marker`, so a test can tell whether any cell ran.
    private func markerNotebook() throws -> (notebook: URL, marker: URL) {
        let dir = try tempDir()
        let marker = dir.appendingPathComponent("marker.safetensors"), notebook = dir.appendingPathComponent("m.fnb")
        try "```facet\nnet t { input 4x4x1; dense 2 relu; softmax 2 }\nsave(instantiate(t()), \"\(marker.path)\")\n```\n"
            .write(to: notebook, atomically: true, encoding: .utf8)
        return (notebook, marker)
    }

    func testFolderOrFileInTheWayIsAPlainErrorBeforeRunning() throws {
        let dir = try tempDir()
        let file = dir.appendingPathComponent("plain.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let cases: [(URL, String)] = [
            (dir, "cannot write the report \(dir.path): it is a folder, not a file; give a file such as \(dir.path)/report.md"),
            (file.appendingPathComponent("sub/r.md"), "cannot create the folder \(file.path)/sub: \(file.path) is a file, not a folder"),
        ]
        let (notebook, marker) = try markerNotebook()
        for (path, message) in cases {
            let cli = try FacetCLI.run(["run", "--quiet", notebook.path, "-o", path.path])
            XCTAssertEqual(cli.status, 1)
            XCTAssertEqual(cli.stderr, "\(notebook.path): error: \(message)\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "no cell ran")
        let empty = try FacetCLI.run(["run", notebook.path, "-o", ""])
        XCTAssertEqual(empty.status, 64)
        XCTAssertTrue(empty.stderr.contains("-o/--output is empty; give a report path such as reports/NAME.md"), empty.stderr)
        XCTAssertFalse(empty.stderr.contains("NSCocoaErrorDomain"), empty.stderr)
    }

    /// A hard kill between "old figures aside" and "new figures in" leaves the report without its
    /// figures; the next run puts them back before anything else, and removes the temporaries.
    func testFiguresSetAsideByAKilledSwapAreRestored() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-swap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".r_files.facet-old-1a2b3c4d"), withIntermediateDirectories: true)
        try "<svg/>".write(to: dir.appendingPathComponent(".r_files.facet-old-1a2b3c4d/fig1.svg"), atomically: true, encoding: .utf8)
        try "report".write(to: dir.appendingPathComponent("r.md"), atomically: true, encoding: .utf8)
        try "half".write(to: dir.appendingPathComponent(".r.md.facet-new-5e6f7a8b"), atomically: true, encoding: .utf8)
        try ReportFiles(report: dir.appendingPathComponent("r.md")).checkWritable()
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("r_files/fig1.svg"), encoding: .utf8), "<svg/>")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["r.md", "r_files"])
    }

    /// Killed after the new figures went in but before the new report did: the new report, already
    /// whole, goes in too, so the report never shows figures of another run.
    func testASwapKilledAfterTheNewFiguresRollsForward() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-swap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("r_files"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".r_files.facet-old-9f8e7d6c"), withIntermediateDirectories: true)
        try "new figure".write(to: dir.appendingPathComponent("r_files/fig1.svg"), atomically: true, encoding: .utf8)
        try "old figure".write(to: dir.appendingPathComponent(".r_files.facet-old-9f8e7d6c/fig1.svg"), atomically: true, encoding: .utf8)
        try "old report".write(to: dir.appendingPathComponent("r.md"), atomically: true, encoding: .utf8)
        try "new report".write(to: dir.appendingPathComponent(".r.md.facet-new-9f8e7d6c"), atomically: true, encoding: .utf8)
        ReportFiles(report: dir.appendingPathComponent("r.md")).recoverInterruptedSwap()
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8), "new report")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("r_files/fig1.svg"), encoding: .utf8), "new figure")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["r.md", "r_files"])
    }
}
