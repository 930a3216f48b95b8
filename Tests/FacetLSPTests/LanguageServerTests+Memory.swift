import FacetNotebook
import FacetSession
import Foundation
import XCTest
@testable import FacetLang
import FacetLangTools
@testable import FacetLSP

/// A language server lives as long as the editor: an edit must not leave memory behind. The
/// scopes nets are defined in are released once outlined, and a notebook's session is made once
/// per front matter, not once per edit (fuzz-lsp ran out of memory before both).
extension LanguageServerTests {
    func testOutliningReleasesTheScratchScopeItsNetsHold() throws {
        let interpreter = Interpreter(output: { _ in })
        weak var scratch: Environment?
        do {
            // `t`'s default argument is the definition of `block`, which holds the scratch scope.
            let outline = interpreter.outline(SourceFile(name: "m.facet", text: """
                net block { dense 4 }
                net t(b = block) {
                  input 8
                  use b
                }

                """))
            XCTAssertEqual(outline.diagnostics.count, 0, "\(outline.diagnostics)")
            let argument = try XCTUnwrap(outline.nets.last?.built?.arguments.first?.value)
            guard case let .netDefinition(block) = argument else { return XCTFail("\(argument)") }
            scratch = block.closure
            XCTAssertNotNil(scratch)
        }
        XCTAssertNil(scratch, "the scratch scope and the nets defined in it hold each other")
    }

    func testANotebooksSessionIsMadeOncePerFrontMatter() throws {
        let sessions = NotebookSessions()
        let interpreter = try Session(progress: .quiet).interpreter
        let uri = "file:///tmp/facet-lsp-sessions.fnb"
        for version in 1...20 {
            let text = Self.shapesNotebook.replacingOccurrences(of: "dense 32", with: "dense \(version)")
            let a = Analysis(TextDocument(uri: uri, text: text, version: version), interpreter: interpreter, notebookSessions: sessions)
            XCTAssertEqual(a.diagnostics.count, 0, "\(a.diagnostics)")
        }
        XCTAssertEqual(sessions.count, 1, "twenty edits of the cells, one front matter")
        for side in 1...(NotebookSessions.capacity + 3) {
            let text = Self.shapesNotebook.replacingOccurrences(of: "side: 48", with: "side: \(side + 40)")
            _ = Analysis(TextDocument(uri: uri, text: text, version: 100 + side), interpreter: interpreter, notebookSessions: sessions)
        }
        XCTAssertEqual(sessions.count, NotebookSessions.capacity)
    }

    /// One rule for what is an error: a notebook's diagnostics in the editor are `facet check`'s
    /// (NotebookRunner.check), line for line, for every notebook of notebooks/ and broken ones.
    func testNotebookDiagnosticsAreFacetChecks() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
        var texts: [(String, String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("notebooks").path).sorted()
        where name.hasSuffix(".fnb") {
            texts.append((name, try String(contentsOf: root.appendingPathComponent("notebooks/\(name)"), encoding: .utf8)))
        }
        let broken = Self.shapesNotebook
        texts += [
            ("broken-cell.fnb", broken.replacingOccurrences(of: "conv w 5x5", with: "conv \"w\" 5x5")),
            ("broken-name-across-cells.fnb", broken.replacingOccurrences(of: "summary tiny", with: "summary tinny")),
            ("broken-params.fnb", broken.replacingOccurrences(of: "side: 48", with: "side: 48 + \"x\"")),
            ("broken-import.fnb", broken.replacingOccurrences(of: "summary tiny", with: "import \"nowhere.facet\"\nsummary tiny")),
        ]
        let interpreter = try Session(progress: .quiet).interpreter
        let sessions = NotebookSessions()
        for (name, text) in texts {
            let path = "notebooks/\(name)"
            // check() returns the cells' diagnostics and throws the parameters' (as `facet check` prints both).
            let expected: [Diagnostic]
            do {
                expected = try NotebookRunner(notebook: Notebook(text: text, path: path), options: NotebookRunner.Options()).check()
            } catch let e as DiagnosticError {
                expected = e.diagnostics
            }
            let got = Analysis(TextDocument(uri: root.appendingPathComponent(path).absoluteString, text: text, version: 1),
                               interpreter: interpreter, notebookSessions: sessions).diagnostics
            XCTAssertEqual(got.map { "\($0.range.line): \($0.message) \($0.hint ?? "")" },
                           expected.map { "\($0.range.line): \($0.message) \($0.hint ?? "")" }, name)
            XCTAssertEqual(got.isEmpty, !name.hasPrefix("broken-"), "\(name): \(got)")
        }
    }
}
