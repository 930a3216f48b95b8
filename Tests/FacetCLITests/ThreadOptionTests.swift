import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// `facet run --threads N` fixes the engine's thread count, which the report's footer records (and
/// the result cache keys on): results repeat bit for bit for a given seed and thread count.
final class ThreadOptionTests: XCTestCase {
    func testThreadsOptionReachesTheEngineAndTheFooter() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-threads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let nb = dir.appendingPathComponent("t.fnb")
        try "```facet\nprint(1 + 1)\n```\n".write(to: nb, atomically: true, encoding: .utf8)
        for n in [1, 2] {
            let out = dir.appendingPathComponent("t\(n).md")
            let run = try FacetCLI.run(["run", "--quiet", "--threads", "\(n)", nb.path, "-o", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            let report = try String(contentsOf: out, encoding: .utf8)
            XCTAssertTrue(report.contains(" \(n) threads |"), report)
        }
        let bad = try FacetCLI.run(["run", "--quiet", "--threads", "0", nb.path, "-o", dir.appendingPathComponent("t0.md").path])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--threads must be at least 1, got 0"), bad.stderr)
    }
}
