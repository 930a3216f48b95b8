import Foundation
import XCTest
@testable import FacetJupyter
@testable import FacetNotebook
@testable import FacetSession
import FacetTestSupport

/// `facet convert`: .fnb ↔ .ipynb, byte for byte back, parameters as a papermill cell.
final class JupyterConversionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func roundTrip(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let ipynb = try JupyterConversion.ipynb(fromFnb: text, path: "t.fnb")
        XCTAssertEqual(try JupyterConversion.fnb(fromIpynb: ipynb, path: "t.ipynb"), text, file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: ipynb) as? [String: Any])
    }

    func cells(_ nb: [String: Any]) -> [(type: String, source: String)] {
        (nb["cells"] as! [[String: Any]]).map { ($0["cell_type"] as! String, ($0["source"] as! [String]).joined()) }
    }

    func testEveryNotebookRoundTripsByteForByte() throws {
        let folder = Self.root.appendingPathComponent("notebooks")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".fnb") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let nb = try roundTrip(text)
            let notebook = try Notebook(text: text, path: name)
            let code = cells(nb).filter { $0.type == "code" }
            // The parameters cell, then one code cell per facet cell, with the same source.
            XCTAssertEqual(code.dropFirst().map(\.source), notebook.cells.map(\.source), name)
            XCTAssertEqual(nb["nbformat"] as? Int, 4)
        }
    }

    func testUnusualLayoutsRoundTrip() throws {
        let samples = [
            "",
            "no front matter, no newline at the end",
            "\n\nprose after two blank lines\n\n\n```facet\nlet x = 1\n```\n\n\n",
            "````facet\nlet y = 2\n````\n```facet\n```\n```facet\n\n```\ntext right after\n",
            "---\ntitle: t\n---\n\nprose\n\n```python\nprint('stays prose')\n\n```\n\n```facet\nprint(1)\n```",
            "  ```facet\nlet z = 3\n  ```  \n   \nindented fence and a line of spaces\n",
        ]
        for text in samples { _ = try roundTrip(text) }
    }

    func testProseAndCodeBecomeMarkdownAndCodeCells() throws {
        let nb = try roundTrip("Intro *text*.\n\n```facet\nlet a = 1\nprint(a)\n```\n\nMore prose.\n")
        let c = cells(nb)
        XCTAssertEqual(c.map(\.type), ["markdown", "code", "markdown"])
        XCTAssertEqual(c[1].source, "let a = 1\nprint(a)")
        let kernelspec = (nb["metadata"] as? [String: Any])?["kernelspec"] as? [String: Any]
        XCTAssertEqual(kernelspec?["name"] as? String, "facet")
    }

    func testParametersCellWithOverrideAndBack() throws {
        let text = "---\ntitle: T\nparams: { quick: false, data: \"synthetic\",\n  seed: 7 }\n---\nProse.\n\n```facet\nprint(quick)\n```\n"
        let ipynb = try JupyterConversion.ipynb(fromFnb: text, path: "t.fnb", parameters: [("quick", "true"), ("data", "fer2013")])
        let nb = try XCTUnwrap(JSONSerialization.jsonObject(with: ipynb) as? [String: Any])
        let first = (nb["cells"] as! [[String: Any]])[0]
        XCTAssertEqual((first["metadata"] as? [String: Any])?["tags"] as? [String], ["parameters"])
        XCTAssertEqual(cells(nb)[0].source, "let quick = true\nlet data = \"fer2013\"\nlet seed = 7")
        // The edited parameters are the notebook's defaults when it comes back.
        let back = try JupyterConversion.fnb(fromIpynb: ipynb, path: "t.ipynb")
        XCTAssertEqual(back, "---\ntitle: T\nparams: { quick: true, data: \"fer2013\", seed: 7 }\n---\nProse.\n\n```facet\nprint(quick)\n```\n")
        XCTAssertNoThrow(try Notebook(text: back, path: "back.fnb"))
    }

    func testUnknownParameterIsAnError() {
        XCTAssertThrowsError(try JupyterConversion.ipynb(fromFnb: "---\nparams: { epochs: 3 }\n---\n", path: "t.fnb",
                                                         parameters: [("epoch", "4")])) { error in
            XCTAssertEqual("\(error)", "parameter `epoch` is not declared in t.fnb's front matter (it declares: epochs)")
        }
    }

    func testNotebookWrittenInJupyter() throws {
        let json = """
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": "# Title\\nSome prose."},
          {"cell_type": "code", "metadata": {}, "source": ["let x = 1\\n", "print(x)"], "outputs": [], "execution_count": 3}
        ]}
        """
        XCTAssertEqual(try JupyterConversion.fnb(fromIpynb: Data(json.utf8), path: "j.ipynb"),
                       "# Title\nSome prose.\n\n```facet\nlet x = 1\nprint(x)\n```\n")
        XCTAssertThrowsError(try JupyterConversion.fnb(fromIpynb: Data("[1]".utf8), path: "bad.ipynb")) { error in
            XCTAssertEqual("\(error)", "bad.ipynb: error: not a Jupyter notebook (a JSON object with `cells`)")
        }
    }

    func testConvertCommandWritesNothingOnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.fnb")
        try Data("```facet\nlet x = 1\n".utf8).write(to: bad)
        let out = try FacetCLI.run(["convert", bad.path, "--to", "ipynb"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("bad.fnb:1:1: error: code block opened here is never closed"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.ipynb").path))
        let good = dir.appendingPathComponent("good.fnb")
        try Data("Prose.\n\n```facet\nprint(1)\n```\n".utf8).write(to: good)
        XCTAssertEqual(try FacetCLI.run(["convert", good.path, "--to", "ipynb"]).status, 0)
        XCTAssertEqual(try FacetCLI.run(["convert", dir.appendingPathComponent("good.ipynb").path, "--to", "fnb",
                                         "-o", dir.appendingPathComponent("again.fnb").path]).status, 0)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("again.fnb")), try Data(contentsOf: good))
    }
}
