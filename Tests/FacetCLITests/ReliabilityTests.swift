import FacetEngine
import FacetFiles
import FacetLang
import FacetWeights
import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// Issue 30: the second round of hostile inputs. One test per reported example, grouped by class;
/// every CLI run must end by exiting (never by a signal) within its deadline.
final class ReliabilityTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        return path(name)
    }

    /// Runs facet with a deadline; asserts it exited (no abort, no hang) and returns its output.
    func facet(_ args: [String], environment: [String: String] = [:], timeout: Double = 120,
               file: StaticString = #filePath, line: UInt = #line) throws -> FacetCLI.Output {
        let r = try FacetCLI.run(args, environment: environment, cwd: folder, timeout: timeout)
        XCTAssertTrue(r.exited, "facet \(args.joined(separator: " ")) ended by signal \(r.status): \(r.stderr)", file: file, line: line)
        return r
    }

    func mkfifo(_ name: String) -> String {
        let p = path(name)
        XCTAssertEqual(Glibc.mkfifo(p, 0o644), 0)
        return p
    }

    // MARK: 1. memory before allocation

    func testSyntheticBeyondMemoryIsAnErrorAtN() throws {
        let s = try Session(progress: .quiet)
        assertRunError(s, "let d = synthetic(n: 1e9)", "1000000000 synthetic faces of 48×48 need")
        assertRunError(s, "let d = synthetic(n: 1e9)", "more than the memory limit")
        assertRunError(s, "let d = dataset(\"synthetic\", n: 1e9)", "synthetic faces of 48×48 need")
        assertRunError(s, "let d = synthetic(n: 200000, size: 512)", "200000 synthetic faces of 512×512 need")
    }

    func testCheckKnowsTheDataMemoryLimitForLiterals() throws {
        let file = try write("big.facet", "let d = synthetic(n: 1e9)\nlet e = dataset(\"synthetic\", n: 200000, size: 512)\n")
        let r = try facet(["check", file])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("big.facet:1:22: error: 1000000000 synthetic faces"), r.stderr)
        XCTAssertTrue(r.stderr.contains("big.facet:2:"), r.stderr)
    }

    func testNotebookParameterBeyondMemoryFailsTheCellNotTheProcess() throws {
        let nb = try write("big.fnb", "---\nparams: { n: 100 }\n---\n```facet\nlet d = synthetic(n: n, size: 24)\n```\n")
        let r = try facet(["run", nb, "-p", "n=1e9", "-o", path("big.md"), "--quiet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("1000000000 synthetic faces of 24×24 need"), r.stderr)
    }

    func testDataSynthBeyondMemoryIsRefused() throws {
        let r = try facet(["data", "synth", "--n", "1000000000", "--out", path("synth")])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("synthetic faces of 48×48 need"), r.stderr)
    }

    func testLoadersGcnAndGridsCheckMemoryFirst() throws {
        let classes = path("classes")
        for c in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: "\(classes)/\(c)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: PredictFixture.photo, toPath: "\(classes)/\(c)/1.jpg")
        }
        let s = try Session(progress: .quiet)
        s.cachePolicy = .off
        MemoryLimit.override = MemoryLimit(bytes: 2e6, source: "a test's limit")
        defer { MemoryLimit.override = nil }
        assertRunError(s, "let f = folder(\"\(classes)\", size: 512)", "2 crops of 512×512 need")
        try s.run("let d = synthetic(n: 20, size: 48, seed: 1)", name: "t")
        MemoryLimit.override = MemoryLimit(bytes: 1e5, source: "a test's limit")
        assertRunError(s, "let g = d | gcn", "20 normalised crops of 48×48 need")
        assertRunError(s, "let p = samples(d, n: 20)", "a grid of 20 crops need")
    }

    // MARK: 2. object lifetimes

    func testSummaryArgumentsThatCallBuiltinsDoNotOutliveTheSession() throws {
        let net = try write("a.facet", "net a(w = 1) {\n  input 8x8x1\n  dense 2\n  softmax 2\n}\n")
        for argument in ["w=print(8)", "w=help()", "w=warn(1)", "w=show(1)", "w=synthetic(n: 10)"] {
            let r = try facet(["summary", net, "a", argument])
            XCTAssertEqual(r.status, 0, "\(argument): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("total"), "\(argument): \(r.stdout)")
        }
    }

    func testABuiltinCalledAfterItsSessionEndedIsAnError() throws {
        var session: Session? = try Session(progress: .quiet, loadStdlib: false)
        let interpreter = session!.interpreter
        weak var gone = session
        session = nil
        XCTAssertNil(gone, "the session should be freed")
        XCTAssertThrowsError(try interpreter.run(SourceFile(name: "t", text: "show(1)"))) { error in
            XCTAssertTrue("\(error)".contains("session has ended"), "\(error)")
        }
        XCTAssertNoThrow(try interpreter.run(SourceFile(name: "t", text: "print(1)")))   // output goes nowhere, no crash
    }

    // MARK: 3. only regular files are read

    func testPredictListsAFIFOAmongPhotosAsSkipped() throws {
        try FileManager.default.createDirectory(atPath: path("photos"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: PredictFixture.photo, toPath: path("photos/a.jpg"))
        _ = mkfifo("photos/b.jpg")
        let r = try facet(["predict", "--model", PredictFixture.modelPath, "--json", path("photos")], timeout: 120)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stderr)
        let images = try XCTUnwrap(doc["images"] as? [[String: Any]])
        XCTAssertEqual(images.count, 2)
        XCTAssertEqual(images.first { ($0["path"] as? String)?.hasSuffix("b.jpg") == true }?["error"] as? String,
                       "it is a named pipe (FIFO), not a regular file")
    }

    func testPredictOnAFIFOGivenDirectlyDoesNotBlock() throws {
        let fifo = mkfifo("p.png")
        let r = try facet(["predict", "--model", PredictFixture.modelPath, fifo])
        XCTAssertTrue(r.stdout.contains("named pipe (FIFO)") || r.stderr.contains("named pipe (FIFO)"), r.stdout + r.stderr)
    }

    func testDataAlignSkipsAFIFO() throws {
        try FileManager.default.createDirectory(atPath: path("in"), withIntermediateDirectories: true)
        _ = mkfifo("in/x.png")
        for input in [path("in"), path("in/x.png")] {
            let r = try facet(["data", "align", input, "--out", path("out")])
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stdout.contains("x.png: it is a named pipe (FIFO), not a regular file"), r.stdout)
        }
    }

    func testNotebooksSourcesAndModelsThatAreFIFOsAreRefused() throws {
        let nb = mkfifo("n.fnb"), src = mkfifo("s.facet"), model = mkfifo("m.safetensors")
        var r = try facet(["run", nb, "-o", path("n.md")])
        XCTAssertEqual(r.status, 1); XCTAssertTrue(r.stderr.contains("named pipe (FIFO)"), r.stderr)
        r = try facet(["check", nb, src])
        XCTAssertEqual(r.status, 1); XCTAssertTrue(r.stderr.contains("s.facet: error: cannot read file: it is a named pipe (FIFO), not a regular file"), r.stderr)
        r = try facet(["fmt", "--check", src])
        XCTAssertEqual(r.status, 1); XCTAssertTrue(r.stderr.contains("named pipe (FIFO)"), r.stderr)
        r = try facet(["export", model, "-o", path("m.onnx")])
        XCTAssertEqual(r.status, 1); XCTAssertTrue(r.stderr.contains("named pipe (FIFO)"), r.stderr)
        r = try facet(["convert", nb, "--to", "ipynb"])
        XCTAssertEqual(r.status, 1); XCTAssertTrue(r.stderr.contains("named pipe (FIFO)"), r.stderr)
        XCTAssertThrowsError(try JupyterConnection(contentsOf: mkfifo("c.json"))) { XCTAssertTrue("\($0)".contains("named pipe (FIFO)"), "\($0)") }
    }

    // MARK: 4. line endings and encodings

    func testCRLFNotebookRunsItsCells() throws {
        let nb = try write("w.fnb", "---\r\ntitle: W\r\n---\r\nProse.\r\n```facet\r\nprint(1 + 2)\r\n```\r\n")
        let r = try facet(["run", nb, "-o", path("w.md"), "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("1/1 cells"), r.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("w.md"), encoding: .utf8).contains("3"))
    }

    func testCheckAndFmtSeeCRLFNotebooks() throws {
        let nb = try write("e.fnb", "```facet\r\nlet x = nosuch\r\n```\r\n")
        let r = try facet(["check", nb])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("e.fnb:2:"), r.stderr)
        let ok = try write("ok.fnb", "```facet\r\nlet x = 1\r\n```\r\n")
        let f = try facet(["fmt", "--check", ok])
        XCTAssertEqual(f.status, 1, "CRLF is not the canonical layout: --check must list it")
        XCTAssertEqual(f.stdout, ok + "\n")
        XCTAssertEqual(try facet(["fmt", ok]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: ok, encoding: .utf8), "```facet\nlet x = 1\n```\n")
    }

    func testCRLFSourceFileChecksAndMixedEndingsReadAsLines() throws {
        let src = try write("m.facet", "let a = 1\r\nlet b = nosuch\rlet c = 2\n")
        let r = try facet(["check", src])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("m.facet:2:9: error"), r.stderr)
    }

    func testNonUTF8NamesTheFileAndTheByteOffset() throws {
        try Data([0x6C, 0x65, 0x74, 0x20, 0xFF, 0x0A]).write(to: folder.appendingPathComponent("b.facet"))
        try Data([0x2D, 0x2D, 0xC3, 0x28]).write(to: folder.appendingPathComponent("b.fnb"))
        let r = try facet(["check", path("b.facet"), path("b.fnb")])
        XCTAssertTrue(r.stderr.contains("b.facet: error: cannot read file: it is not UTF-8 text (byte 0xFF at offset 4)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("b.fnb:0:1: error: it is not UTF-8 text (byte 0xC3 at offset 2)"), r.stderr)
    }

    func testNonUTF8ManifestNamesTheByteNotAMissingFile() throws {
        try Data("path,emotion\nx".utf8 + [0xFF] + Data(".jpg,1\n".utf8)).write(to: folder.appendingPathComponent("m.csv"))
        let r = try facet(["data", "info", path("m.csv")])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("m.csv: it is not UTF-8 text (byte 0xFF at offset 14)"), r.stderr)
    }

    // MARK: 5. writes never destroy

    func testRunNeverWritesTheReportOverItsNotebook() throws {
        let text = "```facet\nprint(1)\n```\n"
        let nb = try write("a.fnb", text)
        let r = try facet(["run", nb, "-o", nb, "--quiet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("it is the command's input"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: nb, encoding: .utf8), text)
    }

    func testRunReplacesItsOwnReportButNotOtherMarkdown() throws {
        let nb = try write("a.fnb", "```facet\nprint(1)\n```\n")
        XCTAssertEqual(try facet(["run", nb, "-o", path("a.md"), "--quiet"]).status, 0)
        XCTAssertEqual(try facet(["run", nb, "-o", path("a.md"), "--quiet"]).status, 0, "its own report is replaced by design")
        let notes = try write("notes.md", "# my notes\n")
        let r = try facet(["run", nb, "-o", notes, "--quiet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("it holds a Markdown file, and this command writes a Facet report"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "# my notes\n")
        XCTAssertEqual(try facet(["run", nb, "-o", notes, "--quiet", "--force"]).status, 0)
    }

    func testTwoReportsOfOneRunNeverLandOnOnePath() throws {
        try FileManager.default.createDirectory(atPath: path("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path("b"), withIntermediateDirectories: true)
        let one = try write("a/x.fnb", "```facet\nprint(1)\n```\n"), two = try write("b/x.fnb", "```facet\nprint(2)\n```\n")
        let r = try facet(["run", one, two, "--quiet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("would both be written to"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("reports/x.md")))
    }

    func testConvertNeverReplacesAnExistingNotebook() throws {
        let fnb = try write("n.fnb", "Prose.\n\n```facet\nprint(1)\n```\n")
        XCTAssertEqual(try facet(["convert", fnb, "--to", "ipynb"]).status, 0)
        let edited = "Edited since.\n"
        try write("n.fnb", edited)
        var r = try facet(["convert", path("n.ipynb"), "--to", "fnb"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("n.fnb: it exists and may have been edited"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: fnb, encoding: .utf8), edited)
        let ipynb = try Data(contentsOf: folder.appendingPathComponent("n.ipynb"))
        r = try facet(["convert", fnb, "--to", "ipynb"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("n.ipynb")), ipynb)
        XCTAssertEqual(try facet(["convert", fnb, "--to", "ipynb", "--force"]).status, 0)
    }

    func testExportNeverWritesONNXOverAnotherModel() throws {
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 8, width: 8), layers: [.dense(units: 4)],
                           heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])
        try Network(spec: spec, seed: 1).save(to: folder.appendingPathComponent("m.safetensors"))
        try Network(spec: spec, seed: 2).save(to: folder.appendingPathComponent("other.safetensors"))
        let before = try Data(contentsOf: folder.appendingPathComponent("other.safetensors"))
        let r = try facet(["export", path("m.safetensors"), "-o", path("other.safetensors")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("it holds a safetensors model, and this command writes an ONNX model"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("other.safetensors")), before)
    }

    func testSaveNeverWritesAModelOverANotebook() throws {
        let nb = try write("keep.fnb", "Prose.\n")
        let s = try Session(progress: .quiet)
        assertRunError(s, """
        net t { input 8x8x1
          dense 2
          softmax 2 }
        save(instantiate(t()), "\(nb)")
        """, "it holds a Facet notebook (.fnb)")
        XCTAssertEqual(try String(contentsOfFile: nb, encoding: .utf8), "Prose.\n")
    }

    func testDataAlignNeverWritesCropsOverItsPhotos() throws {
        try FileManager.default.createDirectory(atPath: path("photos"), withIntermediateDirectories: true)
        let photo = path("photos/face.png")
        try FileManager.default.copyItem(atPath: PredictFixture.photo, toPath: photo)
        let before = try Data(contentsOf: URL(fileURLWithPath: photo))
        _ = try facet(["data", "align", photo, "--out", path("photos")])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: photo)), before)
    }

    func testDataSynthNeverReplacesFilesItDidNotWrite() throws {
        try FileManager.default.createDirectory(atPath: path("set"), withIntermediateDirectories: true)
        let mine = try write("set/labels.csv", "mine,data\n")
        var r = try facet(["data", "synth", "--n", "3", "--out", path("set")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("was not written by `facet data synth`"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: mine, encoding: .utf8), "mine,data\n")
        try FileManager.default.removeItem(atPath: mine)
        XCTAssertEqual(try facet(["data", "synth", "--n", "3", "--out", path("set")]).status, 0)
        r = try facet(["data", "synth", "--n", "3", "--out", path("set")])
        XCTAssertEqual(r.status, 0, "its own earlier output is replaced by design: \(r.stderr)")
    }

    // MARK: 6. round trips preserve or refuse

    func testConvertRefusesRawCellsAndMarkdownThatWouldBecomeCode() {
        func notebook(_ cells: String) -> Data { Data("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [\(cells)]}".utf8) }
        XCTAssertThrowsError(try JupyterConversion.fnb(fromIpynb: notebook(#"{"cell_type": "raw", "metadata": {}, "source": "x"}"#), path: "r.ipynb")) {
            XCTAssertEqual("\($0)", "r.ipynb: error: cell 1 is a raw cell, which a .fnb cannot hold; make it a Markdown cell or remove it, then convert again")
        }
        let fenced = #"{"cell_type": "markdown", "metadata": {}, "source": "Example:\n```facet\nprint(1)\n```"}"#
        XCTAssertThrowsError(try JupyterConversion.fnb(fromIpynb: notebook(fenced), path: "m.ipynb")) {
            XCTAssertTrue("\($0)".contains("cell 1 would not survive as .fnb"), "\($0)")
        }
        let unclosed = #"{"cell_type": "markdown", "metadata": {}, "source": "```python"}, {"cell_type": "code", "metadata": {}, "source": "print(1)"}"#
        XCTAssertThrowsError(try JupyterConversion.fnb(fromIpynb: notebook(unclosed), path: "u.ipynb")) {
            XCTAssertTrue("\($0)".contains("would not survive as .fnb"), "\($0)")
        }
    }

    func testConvertKeepsAMarkdownRuleThatWouldOpenFrontMatter() throws {
        let cells = #"{"cell_type": "markdown", "metadata": {}, "source": "---\nSome text\n---"}, {"cell_type": "code", "metadata": {}, "source": "print(1)", "outputs": [], "execution_count": null}"#
        let data = Data("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [\(cells)]}".utf8)
        let fnb = try JupyterConversion.fnb(fromIpynb: data, path: "h.ipynb")
        let nb = try Notebook(text: fnb, path: "h.fnb")
        XCTAssertEqual(nb.blocks, [.prose("---\nSome text\n---"), .code(source: "print(1)", firstLine: 7)])
        let back = try JupyterConversion.fnb(fromIpynb: JupyterConversion.ipynb(fromFnb: fnb, path: "h.fnb"), path: "h.ipynb")
        XCTAssertEqual(back, fnb)
    }

    func testConvertKeepsACodeCellThatHoldsAFence() throws {
        let cells = #"{"cell_type": "code", "metadata": {}, "source": "let s = \"x\"\n```\nprint(s)", "outputs": [], "execution_count": null}"#
        let data = Data("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [\(cells)]}".utf8)
        let fnb = try JupyterConversion.fnb(fromIpynb: data, path: "f.ipynb")
        let nb = try Notebook(text: fnb, path: "f.fnb")
        XCTAssertEqual(nb.cells.map(\.source), ["let s = \"x\"\n```\nprint(s)"])
    }

    func testDamagedModelMetadataIsSaidInWordsByEveryConsumer() throws {
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 8, width: 8), layers: [.dense(units: 4)],
                           heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])
        let url = folder.appendingPathComponent("d.safetensors")
        try Network(spec: spec, seed: 1).save(to: url, metadata: [ModelMetadataKey.preprocessing: "{\"size\": \"big\"}", ModelMetadataKey.labels: "[1"])
        for args in [["predict", "--model", url.path, PredictFixture.photo], ["export", url.path, "-o", path("d.onnx")]] {
            let r = try facet(args)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains("the preprocessing in its metadata is malformed: the file is damaged"), r.stderr)
            XCTAssertFalse(r.stderr.contains("DecodingError"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("d.onnx")))
    }

    // MARK: 7. finite values, matched kinds

    func testEstimateArithmeticThatOverflowsIsAnError() throws {
        let s = try Session(progress: .quiet)
        assertRunError(s, "let e = estimate([0.5, 0.6, 0.7]) * 1e308 * 10", "not finite")
        assertRunError(s, "let e = estimate([1e308, -1e308, 1e308])", "estimate(...) gave estimate that holds an overflow")
    }

    func testARegressionHeadGivenAClassTaskNamesBoth() throws {
        let s = try Session(progress: .quiet)
        assertRunError(s, """
        let d = synthetic(n: 40, size: 24, seed: 1) | split(0.6, 0.2, 0.2)
        net r { input 24x24x1
          dense 4 relu
          regress 34 }
        let run = train(r(), d.emotion, epochs: 1, batch: 10)
        """, "is a regression head (regress 34), but the task is class labels (emotion)")
        assertRunError(s, """
        let d2 = synthetic(n: 40, size: 24, seed: 1) | split(0.6, 0.2, 0.2)
        net c { input 24x24x1
          dense 4 relu
          softmax 7 }
        let run2 = train(c(), d2.aam, epochs: 1, batch: 10)
        """, "is a class head (softmax 7), but the task is regression targets")
    }

    // MARK: 8. every message in words

    func testCacheFolderThatIsAFileIsSaidAsSuch() throws {
        let file = try write("cachefile", "x")
        let r = try facet(["cache", "list", "--cache", file])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("the cache folder \(file): it is a file, not a folder"), r.stderr)
        XCTAssertFalse(r.stderr.contains("refused ("), r.stderr)
    }

    func testFoundationsUnknownErrorsNameWhatIsInTheWay() throws {
        let dir = path("adir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = try write("afile", "x")
        let write512 = NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSFilePathErrorKey: dir])
        XCTAssertEqual(FileFailure.reason(write512), "it is a folder, not a file")
        let read256 = NSError(domain: NSCocoaErrorDomain, code: 256, userInfo: [NSFilePathErrorKey: file + "/inner"])
        XCTAssertEqual(FileFailure.reason(read256), "\(file) is a file, not a folder")
        XCTAssertEqual(FileFailure.reason(NSError(domain: NSCocoaErrorDomain, code: 512)), "the system refused to write it")
    }

    func testDecodingErrorsAreSaidInWords() {
        struct P: Decodable { var size: Int }
        do { _ = try JSONDecoder().decode(P.self, from: Data("{\"size\": \"x\"}".utf8)); XCTFail() } catch {
            XCTAssertEqual(FileFailure.reason(error), "the file is damaged: the value at `size` is not a number")
        }
        do { _ = try JSONDecoder().decode(P.self, from: Data("{".utf8)); XCTFail() } catch {
            XCTAssertEqual(FileFailure.reason(error), "the file is damaged: it is not valid JSON")
        }
    }

    func testNegativeOptionValuesReachTheCommandsOwnCheck() throws {
        let r = try facet(["cache", "prune", "--older-than", "-5d", "--cache", path("c")])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--older-than -5d: an age cannot be negative"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Missing value"), r.stderr)
    }

    func testOptionValuesTheParserRefusesAreSaidInWords() throws {
        var r = try facet(["bench", "--batch", "abc"])
        XCTAssertEqual(r.status, 64); XCTAssertTrue(r.stderr.contains("Error: --batch abc: not a number"), r.stderr)
        r = try facet(["data", "synth", "--n", "2.5", "--out", path("s")])
        XCTAssertEqual(r.status, 64); XCTAssertTrue(r.stderr.contains("Error: --n 2.5: not a whole number"), r.stderr)
        r = try facet(["run", path("x.fnb"), "--seed", "-1"])
        XCTAssertEqual(r.status, 64); XCTAssertTrue(r.stderr.contains("Error: --seed -1: cannot be negative"), r.stderr)
        r = try facet(["data", "synth", "--n", "1e1", "--out", path("s")])
        XCTAssertEqual(r.status, 0, r.stderr); XCTAssertTrue(r.stdout.hasPrefix("wrote 10 faces"), r.stdout)
    }

    func testAFolderGivenAsACascadeIsSaidAsSuch() throws {
        let r = try facet(["data", "align", PredictFixture.photo, "--out", path("c"), "--face-cascade", folder.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("face cascade \(folder.path): it is a folder, not a file"), r.stderr)
        XCTAssertFalse(r.stderr.contains("basic_filebuf"), r.stderr)
    }

    func testWholeNumbersWrittenWithAnExponentAreWhole() throws {
        let s = try Session(progress: .quiet)
        assertRunError(s, "let x = [1, 2][1e15]", "a list index must be at most 10^12 in size, got 1000000000000000")
        XCTAssertEqual(formatNumber(1e15), "1000000000000000")
    }

    func testUnprintableCharactersAreShownAsCodes() throws {
        let src = try write("nul.facet", "print(1)\u{0}\n")
        let r = try facet(["check", src])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("unexpected character U+0000"), r.stderr)
        XCTAssertFalse(r.stderr.contains("\u{0}"), "a NUL reached the terminal")
    }
}
