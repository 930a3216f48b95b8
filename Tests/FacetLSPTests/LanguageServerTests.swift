import FacetSession
import FacetLang
import FacetLangTools
import Foundation
import XCTest
@testable import FacetLSP

/// The server driven in process, message by message, as a client would (the end-to-end tests
/// over stdio with real clients are Tests/lsp: pytest-lsp and headless Neovim).
final class LanguageServerTests: XCTestCase {
    final class Client {
        let server: LanguageServer
        var received: [[String: Any]] = []
        var nextID = 1
        init() throws {
            var parser = FrameParser()
            var box: [[String: Any]] = []
            let session = try Session(progress: .quiet)
            let s = LanguageServer(session: session) { data in
                parser.append(Array(data))
                while let body = try? parser.next() {
                    if let m = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] { box.append(m) }
                }
            }
            server = s
            self.collect = { let out = box; box.removeAll(); return out }
        }
        private var collect: () -> [[String: Any]] = { [] }

        func send(_ message: [String: Any]) {
            var m = message
            m["jsonrpc"] = "2.0"
            server.handle(Array(try! JSONSerialization.data(withJSONObject: m)))
            received += collect()
        }
        @discardableResult
        func request(_ method: String, _ params: [String: Any]) -> [String: Any] {
            let id = nextID
            nextID += 1
            send(["id": id, "method": method, "params": params])
            return received.last { ($0["id"] as? Int) == id } ?? [:]
        }
        func notify(_ method: String, _ params: [String: Any]) { send(["method": method, "params": params]) }
        func publish() { server.publishDirty(); received += collect() }
        func diagnostics(_ uri: String) -> [[String: Any]]? {
            let m = received.last { ($0["method"] as? String) == "textDocument/publishDiagnostics" && (($0["params"] as? [String: Any])?["uri"] as? String) == uri }
            return (m?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]]
        }
        func open(_ uri: String, _ text: String) {
            notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "facet", "version": 1, "text": text]])
        }
    }

    func started() throws -> Client {
        let c = try Client()
        let r = c.request("initialize", ["processId": NSNull(), "rootUri": NSNull(), "capabilities": [:]])
        XCTAssertNotNil((r["result"] as? [String: Any])?["capabilities"])
        c.notify("initialized", [:])
        return c
    }

    static let tinyNet = """
    net tiny(w = 8) {
      input 48x48x1
      conv w 5x5 relu
      maxpool 2x2 stride 2
      dense 32 relu
      softmax 7
    }

    """

    func testDiagnosticsAppearAndClear() throws {
        let c = try started()
        let uri = "file:///tmp/facet-lsp-a.facet"
        c.open(uri, Self.tinyNet + "let x = tiny(w: \"wide\")\n")
        c.publish()
        let d = try XCTUnwrap(c.diagnostics(uri))
        XCTAssertEqual(d.count, 1, "\(d)")
        let range = try XCTUnwrap(d.first?["range"] as? [String: Any])
        XCTAssertEqual((range["start"] as? [String: Any])?["line"] as? Int, 2, "the error is at the conv line that uses w: \(d)")
        XCTAssertEqual(d.first?["severity"] as? Int, 1)
        // An incremental edit fixes it: the diagnostics clear.
        c.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2],
                                             "contentChanges": [["range": ["start": ["line": 7, "character": 16], "end": ["line": 7, "character": 22]],
                                                                 "text": "16"]]])
        c.publish()
        XCTAssertEqual(c.diagnostics(uri)?.count, 0, "\(c.diagnostics(uri) ?? [])")
    }

    func testHoverOnALayerGivesItsShapeAndInlayHintsEqualTheSummary() throws {
        let c = try started()
        let uri = "file:///tmp/facet-lsp-b.facet"
        c.open(uri, Self.tinyNet)
        let hover = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 2, "character": 4]])
        let value = try XCTUnwrap(((hover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        XCTAssertTrue(value.contains("→ `44×44×8`"), value)
        XCTAssertTrue(value.contains("parameters 208"), value)
        let hints = try XCTUnwrap(c.request("textDocument/inlayHint", ["textDocument": ["uri": uri],
                                                                       "range": ["start": ["line": 0, "character": 0], "end": ["line": 9, "character": 0]]])["result"] as? [[String: Any]])
        let labels = hints.compactMap { $0["label"] as? String }
        XCTAssertEqual(Array(labels.prefix(5)), ["→ 48×48×1", "→ 44×44×8", "→ 22×22×8", "→ 32", "→ 7"])
        XCTAssertTrue(labels.last?.contains("parameters") == true, "\(labels)")
    }

    /// Every net of stdlib/ that builds with its defaults: the inlay shapes are `summary`'s.
    func testInlayShapesEqualSummaryForEveryStdlibNet() throws {
        let c = try started()
        let stdlib = try XCTUnwrap(Stdlib.directory())
        let files = try FileManager.default.contentsOfDirectory(atPath: stdlib.path).filter { $0.hasSuffix(".facet") }.sorted()
        XCTAssertFalse(files.isEmpty)
        var checked = 0
        for name in files {
            let path = stdlib.appendingPathComponent(name).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let uri = URL(fileURLWithPath: path).absoluteString
            c.open(uri, text)
            let hints = try XCTUnwrap(c.request("textDocument/inlayHint", ["textDocument": ["uri": uri],
                                                                           "range": ["start": ["line": 0, "character": 0], "end": ["line": 100000, "character": 0]]])["result"] as? [[String: Any]])
            // The summary of each net this file declares, built with its defaults.
            let session = try Session(progress: .quiet)
            let outline = session.interpreter.outline(SourceFile(name: path, text: text))
            // One hint per source line: the output of the line's last summary row.
            var expected: [String] = []
            for n in outline.nets {
                guard let net = n.built, let rows = summaryRows(net) else { continue }
                var lastLine = -1
                for (row, site) in zip(rows, [net.inputSite] + net.layerSites.map(Optional.some) + net.headSites.map(Optional.some))
                where site.map({ $0.usedAt.isEmpty && $0.range.file.name == path }) == true {
                    let shape = "→ " + row.output.description.replacingOccurrences(of: "x", with: "×")
                    if site!.range.line == lastLine { expected[expected.count - 1] = shape } else { expected.append(shape) }
                    lastLine = site!.range.line
                }
                checked += 1
            }
            let got = hints.compactMap { $0["label"] as? String }.filter { $0.hasPrefix("→ ") }
            XCTAssertEqual(got, expected, name)
        }
        XCTAssertGreaterThan(checked, 3)
    }

    func testSymbolsDefinitionFormattingAndRename() throws {
        let c = try started()
        let uri = "file:///tmp/facet-lsp-c.facet"
        c.open(uri, Self.tinyNet + "let   big = tiny(w: 16)\nsummary big\n")
        let symbols = try XCTUnwrap(c.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]])["result"] as? [[String: Any]])
        XCTAssertEqual(symbols.compactMap { $0["name"] as? String }, ["tiny", "big"])
        let def = try XCTUnwrap(c.request("textDocument/definition", ["textDocument": ["uri": uri], "position": ["line": 7, "character": 13]])["result"] as? [String: Any])
        XCTAssertEqual(((def["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int, 0)
        let stdlibDef = c.request("textDocument/definition", ["textDocument": ["uri": uri], "position": ["line": 7, "character": 0]])
        XCTAssertNotNil(stdlibDef["result"])
        let edits = try XCTUnwrap(c.request("textDocument/formatting", ["textDocument": ["uri": uri], "options": ["tabSize": 2, "insertSpaces": true]])["result"] as? [[String: Any]])
        XCTAssertEqual(edits.count, 1)
        XCTAssertTrue((edits[0]["newText"] as? String)?.contains("let big = tiny(w: 16)") == true)
        let rename = try XCTUnwrap(c.request("textDocument/rename", ["textDocument": ["uri": uri], "position": ["line": 8, "character": 9], "newName": "large"])["result"] as? [String: Any])
        XCTAssertEqual(((rename["changes"] as? [String: Any])?[uri] as? [Any])?.count, 2)
        let bad = c.request("textDocument/rename", ["textDocument": ["uri": uri], "position": ["line": 8, "character": 9], "newName": "net"])
        XCTAssertNotNil(bad["error"], "a keyword is refused")
    }

    /// Bad input never kills the server: malformed JSON, unknown methods, positions out of range,
    /// requests before initialize, documents that are not open.
    func testRobustness() throws {
        let c = try Client()
        let early = c.request("textDocument/hover", ["textDocument": ["uri": "file:///x.facet"], "position": ["line": 0, "character": 0]])
        XCTAssertEqual((early["error"] as? [String: Any])?["code"] as? Int, -32002)
        _ = c.request("initialize", ["capabilities": [:]])
        c.server.handle(Array("{not json".utf8))
        c.publish()
        XCTAssertTrue(c.received.contains { (($0["error"] as? [String: Any])?["code"] as? Int) == -32700 })
        let unknown = c.request("textDocument/semanticTokens/full", ["textDocument": ["uri": "file:///x.facet"]])
        XCTAssertEqual((unknown["error"] as? [String: Any])?["code"] as? Int, -32601)
        let notOpen = c.request("textDocument/hover", ["textDocument": ["uri": "file:///nope.facet"], "position": ["line": 0, "character": 0]])
        XCTAssertEqual((notOpen["error"] as? [String: Any])?["code"] as? Int, -32602)
        let uri = "file:///tmp/facet-lsp-d.facet"
        c.open(uri, Self.tinyNet)
        let far = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 5000, "character": 99999]])
        XCTAssertNil(far["error"], "a position past the end is clamped: \(far)")
        // 1,000 quick edits, then the answer is right for the last text.
        for i in 0..<1000 {
            c.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": i + 2],
                                                 "contentChanges": [["text": Self.tinyNet.replacingOccurrences(of: "w = 8", with: "w = \(i % 7 + 1)")]]])
        }
        c.publish()
        XCTAssertEqual(c.diagnostics(uri)?.count, 0)
        let hover = c.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 2, "character": 4]])
        let value = ((hover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String ?? ""
        XCTAssertTrue(value.contains("44×44×\(999 % 7 + 1)"), value)
        XCTAssertNil(c.server.exitCode)
        _ = c.request("shutdown", [:])
        c.notify("exit", [:])
        XCTAssertEqual(c.server.exitCode, 0)
    }

    func testFramingSplitsAndRefuses() throws {
        var p = FrameParser()
        let a = FrameParser.frame(Data(#"{"a":1}"#.utf8)), b = FrameParser.frame(Data(#"{"b":2}"#.utf8))
        let all = Array(a + b)
        p.append(Array(all[..<5]))
        XCTAssertNil(try p.next())
        p.append(Array(all[5...]))
        XCTAssertEqual(try p.next().map { String(decoding: $0, as: UTF8.self) }, #"{"a":1}"#)
        XCTAssertEqual(try p.next().map { String(decoding: $0, as: UTF8.self) }, #"{"b":2}"#)
        XCTAssertNil(try p.next())
        // Headers as VS Code and pygls send them: Content-Type after the length, CRLF line ends.
        p.append(Array("Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".utf8))
        XCTAssertEqual(try p.next().map { String(decoding: $0, as: UTF8.self) }, "{}")
        // A header without a length: an error, then the reader finds the next message.
        p.append(Array("Content-Type: x\r\n\r\n{}".utf8) + Array(FrameParser.frame(Data("[1]".utf8))))
        XCTAssertThrowsError(try p.next())
        XCTAssertEqual(try p.next().map { String(decoding: $0, as: UTF8.self) }, "[1]")
        // A body over the limit is refused and its bytes skipped, even as they arrive later.
        var small = FrameParser(maxBody: 10)
        small.append(Array("Content-Length: 12\r\n\r\n0123".utf8))
        XCTAssertThrowsError(try small.next())
        small.append(Array("45678901".utf8) + Array(FrameParser.frame(Data("{}".utf8))))
        XCTAssertEqual(try small.next().map { String(decoding: $0, as: UTF8.self) }, "{}")
    }

    /// Notebook code cells: a diagnostic lands on the notebook's own line.
    func testNotebookDiagnosticsUseTheNotebooksLines() throws {
        let c = try started()
        let uri = "file:///tmp/facet-lsp-e.fnb"
        c.open(uri, "---\ntitle: T\n---\nSome prose.\n\n```facet\nlet a = 1\nlet b = a + \"x\"\n```\n")
        c.publish()
        let d = try XCTUnwrap(c.diagnostics(uri))
        XCTAssertEqual(d.count, 1, "\(d)")
        XCTAssertEqual(((d.first?["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int, 7)
    }
}
