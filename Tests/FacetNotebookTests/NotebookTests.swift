import XCTest
@testable import FacetNotebook
@testable import FacetSession
@testable import FacetCache
import FacetTestSupport

final class NotebookTests: XCTestCase {
    func testParsesFrontMatterProseAndCells() throws {
        let text = """
        ---
        title: "Tiny"
        params: { epochs: 2,
                  data: "synthetic" }
        # a comment
        ---
        Intro *prose*.

        ```facet
        let a = epochs + 1
        ```
        Between.
        ```python
        not facet
        ```
        ```facet
        print(a)
        ```
        """
        let nb = try Notebook(text: text, path: "t.fnb")
        XCTAssertEqual(nb.title, "Tiny")
        XCTAssertEqual(nb.params?.line, 3)
        XCTAssertEqual(nb.params?.text, "{ epochs: 2,\n          data: \"synthetic\" }")
        XCTAssertEqual(nb.cells.map(\.firstLine), [10, 17])
        XCTAssertEqual(nb.cells.map(\.source), ["let a = epochs + 1", "print(a)"])
        XCTAssertEqual(nb.blocks.count, 4, "prose, cell, prose (with the python block), cell")
        guard case let .prose(between) = nb.blocks[2] else { return XCTFail() }
        XCTAssertTrue(between.contains("```python\nnot facet\n```"))
    }

    func testUnclosedFenceAndFrontMatterAreErrorsWithLines() {
        XCTAssertThrowsError(try Notebook(text: "x\n```facet\nlet a = 1\n", path: "t.fnb")) {
            XCTAssertEqual("\($0)", "t.fnb:2:1: error: code block opened here is never closed with ```")
        }
        XCTAssertThrowsError(try Notebook(text: "---\ntitle: x\n", path: "t.fnb")) {
            XCTAssertTrue("\($0)".contains("never closed"))
        }
        XCTAssertThrowsError(try Notebook(text: "---\nnot a pair\n---\n", path: "t.fnb")) {
            XCTAssertEqual("\($0)", "t.fnb:2:1: error: front matter lines look like `key: value`, got `not a pair`")
        }
    }

    private func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("facet-nb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func testFailingCellStillWritesReportWithErrorAndStopsLaterCells() throws {
        let dir = try tempDir()
        let text = """
        ---
        title: Failing
        params: { width: 8 }
        ---
        ```facet
        net tiny(w = 8) {
          input 12x12x1
          conv w 3x3 relu
          softmax 2
        }
        summary(tiny(w: width))
        ```
        ```facet
        let broken = tiny(w: 8) + undefined_name
        ```
        ```facet
        print("never")
        ```
        """
        let nb = try Notebook(text: text, path: "failing.fnb")
        var options = NotebookRunner.Options(); options.progress = .quiet
        options.parameters = [("width", "4")]
        let out = dir.appendingPathComponent("failing.md")
        let result = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        XCTAssertFalse(result.succeeded)
        XCTAssertEqual(result.cells.map(\.failed), [false, true, false])
        XCTAssertEqual(result.cells.map(\.skipped), [false, false, true])
        let md = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(md.hasPrefix("# Failing\n"))
        XCTAssertTrue(md.contains("<details><summary>Cell 1 ·"))
        XCTAssertTrue(md.contains("10x10x4"), "the parameter override reached the net: \(md)")
        XCTAssertTrue(md.contains("failing.fnb:14:"), "error located in the notebook file: \(md)")
        XCTAssertTrue(md.contains("undefined_name"))
        XCTAssertTrue(md.contains("Cell 3 · not run"))
        XCTAssertTrue(md.contains("| Seed | 1 |"))
        XCTAssertTrue(md.contains("`width = 4`"))
        XCTAssertFalse(md.contains("never\n```"), "cell 3 did not run")

        options.keepGoing = true
        let again = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        XCTAssertEqual(again.cells.map(\.skipped), [false, false, false], "--keep-going runs the rest")
    }

    func testUndeclaredParameterIsAnError() throws {
        let nb = try Notebook(text: "---\nparams: { epochs: 3 }\n---\n```facet\nprint(epochs)\n```\n", path: "p.fnb")
        var options = NotebookRunner.Options(); options.progress = .quiet
        options.parameters = [("epoch", "5")]
        let out = try tempDir().appendingPathComponent("p.md")
        try "the previous good report".write(to: out, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try NotebookRunner(notebook: nb, options: options).run(writingTo: out)) { error in
            XCTAssertEqual("\(error)", "parameter `epoch` is not declared in p.fnb's front matter (it declares: epochs); did you mean `epochs`?")
        }
        // A mistake on the command line loses nothing: the previous report is untouched.
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "the previous good report")
    }

    func testParameterValuesAreTyped() throws {
        let nb = try Notebook(text: "---\nparams: { n: 1, name: \"a\", on: false }\n---\n```facet\nprint(type(n), type(name), type(on), n * 2, name)\n```\n", path: "p.fnb")
        var options = NotebookRunner.Options(); options.progress = .quiet
        options.parameters = [("n", "21"), ("name", "bare"), ("on", "true")]
        let out = try tempDir().appendingPathComponent("p.md")
        let result = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.cells[0].outputs, [.text("number string bool 42 bare")])
    }

    func testCheckFindsErrorsAtNotebookLinesAcrossCellsWithoutRunning() throws {
        let text = """
        ---
        params: { quick: false }
        ---
        Prose line.

        ```facet
        let n = choose(quick, 10, 20)
        let faces = synthetic(n: n, seed: 1)
        ```

        More prose, then a cell that uses names from the first.

        ```facet
        let m = n + 1
        let model = ferc(fc: nn)
        ```
        """
        let nb = try Notebook(text: text, path: "c.fnb")
        let diagnostics = try NotebookRunner(notebook: nb, options: NotebookRunner.Options()).check()
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics.map(\.rendered))")
        let rendered = diagnostics.first?.rendered ?? ""
        XCTAssertTrue(rendered.hasPrefix("c.fnb:15:22: error: unknown name `nn`"), rendered)
        XCTAssertTrue(rendered.contains("did you mean `n`?"), rendered)

        let fixed = try Notebook(text: text.replacingOccurrences(of: "fc: nn", with: "fc: m"), path: "c.fnb")
        XCTAssertEqual(try NotebookRunner(notebook: fixed, options: NotebookRunner.Options()).check().count, 0)
    }

    func testCheckFindsErrorsInsideNetsAndBindsParameters() throws {
        // A string where a net needs a number is caught while checking; `-p` values are bound first.
        let text = "---\nparams: { width: 64 }\n---\n```facet\nlet model = ferc_size(depth: 2, width: width)\n```\n"
        let nb = try Notebook(text: text, path: "s.fnb")
        XCTAssertEqual(try NotebookRunner(notebook: nb, options: NotebookRunner.Options()).check().count, 0)
        var options = NotebookRunner.Options()
        options.parameters = [("width", "\"wide\"")]
        let diagnostics = try NotebookRunner(notebook: nb, options: options).check()
        XCTAssertFalse(diagnostics.isEmpty)
        // The error is inside the stdlib net; the hint names the notebook line that made it.
        XCTAssertTrue(diagnostics[0].rendered.contains("cannot apply `*` to number 1 and string \"wide\""), diagnostics[0].rendered)
        XCTAssertTrue(diagnostics[0].rendered.contains("made at s.fnb:5:13"), diagnostics[0].rendered)
        options.parameters = [("widht", "3")]
        XCTAssertThrowsError(try NotebookRunner(notebook: nb, options: options).check()) {
            XCTAssertTrue("\($0)".contains("did you mean `width`?"), "\($0)")
        }
    }

    func testShippedNotebooksCheckCleanInBothProfiles() throws {
        for url in try shippedNotebooks() {
            let name = url.lastPathComponent
            let nb = try Notebook(contentsOf: url.path)
            for quick in ["false", "true"] {
                var options = NotebookRunner.Options()
                options.parameters = [("quick", quick)]
                let diagnostics = try NotebookRunner(notebook: nb, options: options).check()
                XCTAssertEqual(diagnostics.map(\.rendered), [], "\(name) quick=\(quick)")
            }
        }
    }

    /// `facet check` evaluates through the same session as `run` and `repl`: a file that uses the
    /// kernel's builtins (data, statistics, training) checks clean, and a misspelt one still fails.
    func testCheckCommandKnowsTheKernelBuiltins() throws {
        let dir = try tempDir()
        let file = dir.appendingPathComponent("uses-kernel.facet")
        try """
        let faces = synthetic(n: 40, seed: 3) | split(0.6, 0.2, 0.2) | gcn
        let run = train(ferc(fc: 16), faces.emotion, epochs: 1)
        print(mean([1, 2, 3]), accuracy(run, faces.test.emotion))
        """.write(to: file, atomically: true, encoding: .utf8)
        let out = try FacetCLI.run(["check", file.path])
        XCTAssertEqual(out.status, 0, out.stderr)
        try "print(meen([1, 2]))\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try FacetCLI.run(["check", file.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("uses-kernel.facet:1:7: error: unknown name `meen`"), bad.stderr)
    }

    /// The front matter's `params` record continues while the lexer sees an open brace, comments
    /// included.
    func testFrontMatterParamsMayCarryCommentsInsideTheBraces() throws {
        let nb = try Notebook(text: "---\nparams: { a: 1,  # first {\n  b: 2 }\ntitle: T\n---\n", path: "p.fnb")
        XCTAssertEqual(nb.params?.text, "{ a: 1,  # first {\n  b: 2 }")
        XCTAssertEqual(nb.title, "T")
    }

    func testCheckCommandTakesNotebooks() throws {
        let dir = try tempDir()
        let bad = dir.appendingPathComponent("bad.fnb")
        try "---\nparams: { k: 2 }\n---\n```facet\nprint(k)\nprint(kk)\n```\n".write(to: bad, atomically: true, encoding: .utf8)
        let out = try FacetCLI.run(["check", bad.path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("bad.fnb:6:7: error: unknown name `kk`"), out.stderr)
        let good = try FacetCLI.run(["check", bad.path, "-p", "k=3"])
        XCTAssertEqual(good.status, 1, "the error does not depend on k")
        try "---\nparams: { k: 2 }\n---\n```facet\nprint(k)\n```\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(try FacetCLI.run(["check", bad.path, "-p", "k=3"]).status, 0)
        let undeclared = try FacetCLI.run(["check", bad.path, "-p", "j=3"])
        XCTAssertEqual(undeclared.status, 1)
        XCTAssertTrue(undeclared.stderr.contains("parameter `j` is not declared"), undeclared.stderr)
    }
}

final class PureBuiltinCheckTests: XCTestCase {
    /// Pure builtins also run while checking, when values from training are still unknown:
    /// they must give `unknown`, not an error, so a notebook that is right passes the check.
    func testPureBuiltinsAcceptUnknownWhileChecking() throws {
        let session = try Session(progress: .quiet)
        var out: [OutputItem] = []
        session.sink = { out.append($0) }
        try session.run("""
        let r = records()
        r.add({a: 1.5})
        r.add({a: 2.5})
        let xs = r.list
        print(mean([xs[0].a, xs[1].a]), round(mean([xs[0].a, xs[1].a]) * 10, 1), choose(xs[0].a > 1, "yes", "no"))
        """, name: "t")
        XCTAssertEqual(out, [.text("2 20 yes")])
    }
}

/// Mistakes in how a notebook is run are told plainly: a misspelt front-matter key, an unknown
/// `-p` on the terminal, a folder given as the notebook.
final class NotebookInputErrorTests: XCTestCase {
    func testMisspeltFrontMatterKeyIsAnErrorWithLineAndSuggestion() {
        let known = "(a notebook's front matter takes `title` and `params`)"
        let cases = [
            ("---\ntitle: T\nparms: { epochs: 3 }\n---\n", "t.fnb:3:1: error: unknown front-matter key `parms`; did you mean `params`? \(known)"),
            ("---\ntitel: T\n---\n", "t.fnb:2:1: error: unknown front-matter key `titel`; did you mean `title`? \(known)"),
            ("---\nauthor: me\n---\n", "t.fnb:2:1: error: unknown front-matter key `author` \(known)"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try Notebook(text: text, path: "t.fnb")) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testUnknownParameterIsExplainedOnTheTerminal() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-p-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let nb = dir.appendingPathComponent("p.fnb")
        try "---\nparams: { epochs: 3 }\n---\n```facet\nprint(epochs)\n```\n".write(to: nb, atomically: true, encoding: .utf8)
        let out = try FacetCLI.run(["run", "--quiet", nb.path, "-p", "epoch=5", "-o", dir.appendingPathComponent("p.md").path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("\(nb.path): error: parameter `epoch` is not declared in \(nb.path)'s front matter (it declares: epochs); did you mean `epochs`?"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.md").path), "no report for a bad -p")
        let folder = try FacetCLI.run(["run", "--quiet", dir.path, "-o", dir.appendingPathComponent("d.md").path])
        XCTAssertEqual(folder.status, 1)
        XCTAssertEqual(folder.stderr, "\(dir.path):0:1: error: it is a folder, not a notebook\n")
    }
}
