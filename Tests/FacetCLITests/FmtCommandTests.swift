import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// `facet fmt` and `facet check` over imports, through the built executable.
final class FmtCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }

    func testCheckListsFilesThatWouldChangeAndWritesNothing() throws {
        try write("messy.facet", "let a=1\n")
        try write("tidy.facet", "let b = 2\n")
        try write("nested/cell.fnb", "# A notebook\n\n```facet\nprint( a )\n```\n")
        let check = try FacetCLI.run(["fmt", "--check", dir.path])
        XCTAssertEqual(check.status, 1, check.stderr)
        XCTAssertEqual(check.stdout, "\(dir.path)/messy.facet\n\(dir.path)/nested/cell.fnb\n")
        XCTAssertEqual(try read("messy.facet"), "let a=1\n")

        let format = try FacetCLI.run(["fmt", dir.path])
        XCTAssertEqual(format.status, 0, format.stderr)
        XCTAssertEqual(try read("messy.facet"), "let a = 1\n")
        XCTAssertEqual(try read("nested/cell.fnb"), "# A notebook\n\n```facet\nprint(a)\n```\n")
        XCTAssertEqual(try read("tidy.facet"), "let b = 2\n")
        let again = try FacetCLI.run(["fmt", "--check", dir.path])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertEqual(again.stdout, "")
    }

    func testSyntaxErrorIsReportedAndTheFileLeftAlone() throws {
        try write("broken.facet", "let a = (1 +\nlet  b=2\n")
        let r = try FacetCLI.run(["fmt", dir.appendingPathComponent("broken.facet").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(dir.path)/broken.facet:1:13: error: expected an expression, found end of line"), r.stderr)
        XCTAssertEqual(try read("broken.facet"), "let a = (1 +\nlet  b=2\n")
    }

    func testCheckFollowsImports() throws {
        try write("nested/lib.facet", "net tiny {\n  input 8x8x1\n  conv 4 9x9\n}\n")
        try write("main.facet", "import \"nested/lib.facet\"\n")
        let r = try FacetCLI.run(["check", dir.appendingPathComponent("main.facet").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(dir.path)/nested/lib.facet:3:3: error: conv 9x9 needs at least 9x9 input"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\n    imported from \(dir.path)/main.facet:1"), r.stderr)
    }
}
