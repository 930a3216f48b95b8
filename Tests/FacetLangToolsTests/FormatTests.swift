import Foundation
import XCTest
import FacetRandom
import FacetLang
import FacetLangTestSupport
@testable import FacetLangTools

/// `facet fmt`: the canonical layout of deliberately messy inputs, and over every stdlib file and
/// notebook (also with comments added at every line end and between all lines) that formatting
/// keeps the program (range-free ASTs equal), keeps every comment in order, and is idempotent.
final class FormatTests: XCTestCase {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var formatFolder: URL { repository.appendingPathComponent("Tests/FacetLangToolsTests/Format") }

    func testMessyInputsGiveTheirExpectedLayout() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: formatFolder.path).filter { $0.hasSuffix(".facet") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 3)
        for name in names {
            let input = try String(contentsOf: formatFolder.appendingPathComponent(name), encoding: .utf8)
            let expected = try String(contentsOf: formatFolder.appendingPathComponent(name.replacingOccurrences(of: ".facet", with: ".expected")), encoding: .utf8)
            XCTAssertEqual(try Format.source(input, name: name), expected, name)
            assertFormatKeepsProgram(input, name)
        }
    }

    func testStdlibAndNotebooksKeepTheirProgramAndComments() throws {
        var sources: [(String, String)] = []
        for folder in ["stdlib", "notebooks"] {
            let dir = repository.appendingPathComponent(folder)
            let names = (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).sorted()
            for name in names where name.hasSuffix(".facet") || name.hasSuffix(".fnb") {
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                if name.hasSuffix(".facet") { sources.append((name, text)) }
                if name.hasSuffix(".fnb") {
                    for (i, cell) in facetCells(text).enumerated() { sources.append(("\(name) cell \(i + 1)", cell)) }
                }
            }
        }
        XCTAssertGreaterThan(sources.count, 30)
        for (name, text) in sources {
            assertFormatKeepsProgram(text, name)
            assertFormatKeepsProgram(withCommentsEverywhere(text), name + " with comments everywhere")
        }
    }

    /// Seeded random mutations of the stdlib and the golden files (FuzzTests' mutator, `SourceMutation`): every
    /// one that parses formats to the same program, idempotently, with its comments.
    func testSeededMutationsThatParseFormatToTheSameProgram() throws {
        let golden = repository.appendingPathComponent("Tests/FacetLangTests/Golden")
        let files = try FileManager.default.contentsOfDirectory(atPath: golden.path).filter { $0.hasSuffix(".facet") }.sorted()
            .map { golden.appendingPathComponent($0) } + Stdlib.files(in: repository.appendingPathComponent("stdlib"))
        let sources = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        var rng = SeededGenerator(seed: 20_260_212)
        var parsed = 0
        for n in 0..<200 {
            let text = SourceMutation.mutate(sources[n % sources.count], &rng)
            guard (try? parse(SourceFile(name: "m", text: text))) != nil else { continue }
            parsed += 1
            assertFormatKeepsProgram(text, "mutation \(n)")
        }
        XCTAssertGreaterThan(parsed, 30)
    }

    func testFormattedStdlibIsCanonical() throws {
        let dir = repository.appendingPathComponent("stdlib")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".facet") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(try Format.source(text, name: name), text, "stdlib/\(name) is not formatted: run facet fmt stdlib")
        }
    }

    func testNotebookCellsAreFormattedAndTheRestIsLeftAlone() throws {
        // Front matter, prose and other code blocks are not Facet cells: kept byte for byte.
        let untouched = "---\ntitle: t\nparams: {epochs:  3}\n---\nProse   stays   as it is.\n```python\nx  =  1\n```\n"
        let cells = "```facet\nlet a=1\nnet n{input 4x4x1;softmax 2}\n```\n```facet\n```\n"
        let formatted = "```facet\nlet a = 1\n\nnet n {\n  input 4x4x1\n  softmax 2\n}\n```\n```facet\n```\n"
        XCTAssertEqual(try Format.notebook(untouched + cells, name: "n.fnb"), untouched + formatted)
    }

    func testSyntaxErrorIsReportedWithTheNotebooksLineNumbers() {
        let notebook = "# t\n\n```facet\nlet a = 1\nlet b = (2 +\n```\n"
        XCTAssertThrowsError(try Format.notebook(notebook, name: "n.fnb")) { error in
            XCTAssertEqual((error as? DiagnosticError)?.diagnostics.map(\.description), ["n.fnb:5:13: error: expected an expression, found end of line"])
        }
    }

    func testSizesOperatorsAndCallsAreSpacedCanonically() throws {
        XCTAssertEqual(try Format.source("net a(k=3){input 8 x 8x1\nconv 2*k k x k stride 2 pad -1\nsoftmax 2}", name: "a"),
                       "net a(k = 3) {\n  input 8x8x1\n  conv 2 * k k x k stride 2 pad -1\n  softmax 2\n}\n")
        // `f (x)` passes `(x)` as a command argument, `f(x)` calls: the space is kept as written.
        XCTAssertEqual(try Format.source("print (1)-2\nprint(1) - 2\nlet v = [1,-2][0]", name: "a"),
                       "print (1) - 2\nprint(1) - 2\nlet v = [1, -2][0]\n")
    }

    // MARK: Helpers

    /// fmt keeps the range-free AST, keeps every comment's text in order, and fmt(fmt(x)) == fmt(x).
    func assertFormatKeepsProgram(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let once = try Format.source(text, name: name)
            let before = try parse(SourceFile(name: name, text: text)), after = try parse(SourceFile(name: name, text: once))
            XCTAssertEqual(dump(after, ranges: false), dump(before, ranges: false), "AST of \(name)", file: file, line: line)
            XCTAssertEqual(try commentTexts(once), try commentTexts(text), "comments of \(name)", file: file, line: line)
            XCTAssertEqual(try Format.source(once, name: name), once, "fmt is not idempotent on \(name)", file: file, line: line)
        } catch {
            XCTFail("\(name): \(error)", file: file, line: line)
        }
    }

    func commentTexts(_ text: String) throws -> [String] {
        try tokenizeKeepingComments(SourceFile(name: "x", text: text)).comments.map { $0.text.trimmingCharacters(in: .whitespaces) }
    }

    /// The text with a comment at the end of every line and a comment line between all lines.
    func withCommentsEverywhere(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { "# own \($0.offset)\n\($0.element)  # end \($0.offset)" }.joined(separator: "\n")
    }

    /// The bodies of a notebook's ```facet cells.
    func facetCells(_ text: String) -> [String] {
        var cells: [String] = [], current: [String]? = nil
        for line in text.components(separatedBy: "\n") {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```facet" { current = []; continue }
            if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" { cells.append(current!.joined(separator: "\n")); current = nil; continue }
            current?.append(line)
        }
        return cells
    }
}
