import Foundation
import XCTest
@testable import FacetLang
import FacetLangTestSupport

/// `import "file.facet"`: where files are found, what becomes visible, and each error's exact text.
final class ImportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lib"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Writes a file under the test folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs a file as the importer, returning the rendered diagnostics ("" when it ran).
    func runFile(_ name: String, _ h: Harness, facetPath: [String] = []) throws -> String {
        h.interpreter.importSearch.facetPath = facetPath
        let file = SourceFile(name: path(name), text: try String(contentsOfFile: path(name), encoding: .utf8))
        do { try h.interpreter.run(file); return "" } catch let e as DiagnosticError { return e.description }
    }

    let tiny = """
        let tiny_width = 4
        net tiny(classes = 3) {
          input 8x8x1
          conv tiny_width 3x3 relu
          softmax classes
        }

        """

    func testRelativeImportMakesNetsAndLetsVisibleAndLoadsOnce() throws {
        try write("lib/tiny.facet", tiny + "print(\"loading tiny\")\n")
        try write("lib/also.facet", "import \"tiny.facet\"\nlet also = tiny_width * 2\n")
        try write("main.facet", """
            import "lib/tiny.facet"
            import "lib/also.facet"
            import "lib/tiny.facet"
            print(tiny_width, also, params(tiny(classes: 2)))

            """)
        let h = Harness()
        XCTAssertEqual(try runFile("main.facet", h), "")
        // lib/also.facet imports tiny.facet relative to itself: the same file, loaded once.
        // params: conv 4x(3x3x1)+4 = 40, softmax 2 over 6x6x4 = 290.
        XCTAssertEqual(h.lines, ["loading tiny", "4 8 330"])
        // Importing it again in a later input (a REPL line, a notebook cell) loads nothing.
        h.lines = []
        XCTAssertNoThrow(try h.interpreter.run("import \"\(path("lib/tiny.facet"))\"\nprint(tiny_width)", name: "<repl>"))
        XCTAssertEqual(h.lines, ["4"])
    }

    func testFacetPathIsSearchedAfterTheImportingFolder() throws {
        try write("shared/tiny.facet", tiny)
        try write("main.facet", "import \"tiny.facet\"\nprint(tiny_width)\n")
        let h = Harness()
        XCTAssertEqual(try runFile("main.facet", h, facetPath: [path("none"), path("shared")]), "")
        XCTAssertEqual(h.lines, ["4"])
    }

    func testTheStdlibIsSearchedLastAndIsAlreadyLoaded() throws {
        try write("main.facet", "import \"paper.facet\"\nprint(params(ferc()) > 0)\n")
        let h = Harness()
        XCTAssertEqual(try runFile("main.facet", h), "")
        XCTAssertEqual(h.lines, ["true"])
    }

    func testMissingFileListsThePathsSearched() throws {
        try write("main.facet", "let a = 1\nimport \"nope.facet\"\n")
        let h = Harness()
        let stdlib = displayPath(stdlibDirectory.appendingPathComponent("nope.facet"))
        XCTAssertEqual(try runFile("main.facet", h, facetPath: [path("fp")]), """
            \(path("main.facet")):2:8: error: cannot find imported file "nope.facet"; searched \(path("nope.facet")), \(path("fp/nope.facet")), \(stdlib)
                import "nope.facet"
                       ^~~~~~~~~~~~
            """)
    }

    func testCycleNamesEveryStepWithFileAndLine() throws {
        try write("a.facet", "import \"b.facet\"\n")
        try write("b.facet", "let b = 1\nimport \"lib/c.facet\"\n")
        try write("lib/c.facet", "\n\nimport \"../a.facet\"\n")
        let h = Harness()
        XCTAssertEqual(try runFile("a.facet", h), """
            \(path("lib/c.facet")):3:1: error: import cycle: \(path("a.facet")):1 imports "b.facet", \(path("b.facet")):2 imports "lib/c.facet", \(path("lib/c.facet")):3 imports "../a.facet"
                import "../a.facet"
                ^~~~~~~~~~~~~~~~~~~
                imported from \(path("b.facet")):2
                imported from \(path("a.facet")):1
            """)
    }

    func testNameDefinedInTwoFilesGivesBothPlaces() throws {
        try write("lib/one.facet", tiny)
        try write("lib/two.facet", "\nnet tiny {\n  input 4x4x1\n  softmax 2\n}\n")
        try write("main.facet", "import \"lib/one.facet\"\nimport \"lib/two.facet\"\n")
        let h = Harness()
        XCTAssertEqual(try runFile("main.facet", h), """
            \(path("lib/two.facet")):2:5: error: `tiny` is defined in two files: \(path("lib/one.facet")):2:5 and \(path("lib/two.facet")):2:5
                net tiny {
                    ^~~~
                hint: rename one of them
                imported from \(path("main.facet")):2
            """)
        // The importer itself redefining an imported name is the same error, at the importer.
        try write("again.facet", "import \"lib/one.facet\"\nlet tiny_width = 8\n")
        XCTAssertEqual(try runFile("again.facet", Harness()), """
            \(path("again.facet")):2:5: error: `tiny_width` is defined in two files: \(path("lib/one.facet")):1:5 and \(path("again.facet")):2:5
                let tiny_width = 8
                    ^~~~~~~~~~
                hint: rename one of them
            """)
    }

    func testErrorInsideImportedFileIsReportedThereWithTheImport() throws {
        try write("lib/broken.facet", "net broken {\n  input 8x8x1\n  conv wide 3x3\n}\n")
        try write("main.facet", "# uses a broken file\nimport \"lib/broken.facet\"\n")
        let h = Harness()
        XCTAssertEqual(try runFile("main.facet", h), """
            \(path("lib/broken.facet")):3:8: error: unknown name `wide`
                  conv wide 3x3
                       ^~~~
                imported from \(path("main.facet")):2
            """)
        // A syntax error too, and checking finds the same without running anything.
        try write("lib/syntax.facet", "let a = (1 +\n")
        try write("check.facet", "import \"lib/syntax.facet\"\n")
        let file = SourceFile(name: path("check.facet"), text: "import \"lib/syntax.facet\"\n")
        XCTAssertEqual(Harness().interpreter.check(file).map { "\($0) | \($0.importedFrom.map(\.description))" },
                       ["\(path("lib/syntax.facet")):1:13: error: expected an expression, found end of line | [\"\(path("check.facet")):1:1\"]"])
    }

    func testImportOnlyAtTopLevelAndWithAQuotedPath() {
        assertDiagnostics("for i in [1] {\n  import \"x.facet\"\n}", [(2, "`import` belongs at the top level of a file, not inside a block")])
        assertDiagnostics("import shared", [(1, "expected a file path in quotes after `import`, found `shared`")])
    }

    func testNothingRunsWhenTheImporterHasAnError() throws {
        try write("lib/loud.facet", "print(\"ran\")\nlet loud = 1\n")
        try write("main.facet", "import \"lib/loud.facet\"\nlet x = missing_name\n")
        let h = Harness()
        XCTAssertEqual(try runFile("main.facet", h).components(separatedBy: "\n").first,
                       "\(path("main.facet")):2:9: error: unknown name `missing_name`")
        XCTAssertEqual(h.lines, [])
    }
}
