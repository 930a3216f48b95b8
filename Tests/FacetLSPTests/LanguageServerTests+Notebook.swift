import Foundation
import XCTest
@testable import FacetLSP

/// Hover and inlay hints inside a notebook's code cells, on the notebook's own lines.
extension LanguageServerTests {
    // Line numbers (0-based) of the notebook below: the net's conv line is 9, its `}` 13.
    static let shapesNotebook = """
    ---
    title: Shapes in a notebook
    params: { side: 48 }
    ---
    Prose that names summary and tiny, which are not code.

    ```facet
    net tiny(w = 8) {
      input side x side x 1
      conv w 5x5 relu
      maxpool 2x2 stride 2
      dense 32 relu
      softmax 7
    }
    ```

    More prose.

    ```facet
    summary tiny
    ```

    """

    func testHoverAndInlayHintsInCellsUseTheNotebooksLines() throws {
        let c = try started()
        let uri = "file:///tmp/facet-lsp-nb.fnb"
        c.open(uri, Self.shapesNotebook)
        c.publish()
        XCTAssertEqual(c.diagnostics(uri)?.count, 0, "\(c.diagnostics(uri) ?? [])")
        // A layer line: its shape (the input's side comes from the front matter's params).
        let hover = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 9, "character": 3]])
        let value = try XCTUnwrap(((hover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String, "\(hover)")
        XCTAssertTrue(value.contains("→ `44×44×8`"), value)
        // A builtin in the second cell.
        let builtin = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 19, "character": 2]])
        let doc = ((builtin["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String ?? ""
        XCTAssertTrue(doc.contains("summary("), doc)
        // Words in the front matter and the prose are not code: no hover.
        for (line, character) in [(2, 12), (4, 20), (4, 30), (16, 2)] {
            let none = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": line, "character": character]])
            XCTAssertTrue(none["result"] is NSNull, "line \(line): \(none)")
        }
        let hints = try XCTUnwrap(c.request("textDocument/inlayHint", ["textDocument": ["uri": uri],
                                                                       "range": ["start": ["line": 0, "character": 0], "end": ["line": 30, "character": 0]]])["result"] as? [[String: Any]])
        let placed = hints.map { h -> (Int, String) in
            (((h["position"] as? [String: Any])?["line"] as? Int) ?? -1, h["label"] as? String ?? "")
        }
        XCTAssertEqual(placed.prefix(5).map { $0.0 }, [8, 9, 10, 11, 12], "\(placed)")
        XCTAssertEqual(placed.prefix(5).map { $0.1 }, ["→ 48×48×1", "→ 44×44×8", "→ 22×22×8", "→ 32", "→ 7"])
        XCTAssertEqual(placed.last?.0, 13, "the totals after the net's closing brace: \(placed)")
        XCTAssertTrue(placed.last?.1.contains("parameters") == true, "\(placed)")
        // Each hint sits at the end of its line of the notebook.
        let lines = Self.shapesNotebook.split(separator: "\n", omittingEmptySubsequences: false)
        for h in hints.prefix(5) {
            let p = try XCTUnwrap(h["position"] as? [String: Any])
            XCTAssertEqual(p["character"] as? Int, lines[p["line"] as! Int].utf16.count)
        }
        // Symbols and definition in cells land on the notebook's lines too.
        let symbols = try XCTUnwrap(c.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]])["result"] as? [[String: Any]])
        XCTAssertEqual(((symbols.first?["selectionRange"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int, 7)
        let def = try XCTUnwrap(c.request("textDocument/definition", ["textDocument": ["uri": uri], "position": ["line": 19, "character": 10]])["result"] as? [String: Any])
        XCTAssertEqual(((def["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int, 7)
    }

    /// A notebook whose front matter does not parse still answers (diagnostics, no hints).
    func testABrokenNotebookAnswersWithoutHints() throws {
        let c = try started()
        let uri = "file:///tmp/facet-lsp-nb2.fnb"
        c.open(uri, "---\nparms: 3\n---\n```facet\nnet t { input 4 }\n```\n")
        c.publish()
        XCTAssertEqual(c.diagnostics(uri)?.count, 1)
        // At the front matter's bad line, not the top of the file.
        XCTAssertEqual(((c.diagnostics(uri)?.first?["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int, 1)
        let hints = c.request("textDocument/inlayHint", ["textDocument": ["uri": uri],
                                                         "range": ["start": ["line": 0, "character": 0], "end": ["line": 9, "character": 0]]])
        XCTAssertEqual((hints["result"] as? [Any])?.count, 0, "\(hints)")
        let hover = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 4, "character": 10]])
        XCTAssertNil(hover["error"])
    }
}

extension LanguageServerTests {
    /// Definition looks for a name in the files a document imports: it reads them as `import` does
    /// (regular files only, checked before opening), so an import naming a FIFO is a diagnostic,
    /// never a read that blocks the server for good.
    func testDefinitionDoesNotOpenAFifoNamedByAnImport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-lsp-fifo-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe.facet").path, 0o600), 0)
        let c = try started()
        let uri = dir.appendingPathComponent("main.facet").absoluteString
        c.open(uri, "import \"pipe.facet\"\nlet b = zz\n")
        c.publish()
        XCTAssertTrue(c.diagnostics(uri)?.first?["message"].map { "\($0)".contains("not a regular file") } == true,
                      "\(c.diagnostics(uri) ?? [])")
        let def = c.request("textDocument/definition", ["textDocument": ["uri": uri], "position": ["line": 1, "character": 9]])
        XCTAssertTrue(def["result"] is NSNull, "\(def)")
    }
}
