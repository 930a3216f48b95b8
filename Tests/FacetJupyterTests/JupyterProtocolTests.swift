import Foundation
import XCTest
@testable import FacetJupyter
@testable import FacetNotebook
@testable import FacetSession
import FacetTestSupport

/// The kernel's pieces without a front end: signing, the wire format, the connection file, the
/// kernelspec, displays, and the introspection replies of a kernel bound to ipc sockets.
final class JupyterProtocolTests: XCTestCase {
    func testHMACSHA256MatchesRFC4231() {
        // RFC 4231, test case 2; the frames are signed as one concatenated message.
        let s = JupyterSignature(key: "Jefe")
        let frames = [Data("what do ya ".utf8), Data("want for nothing?".utf8)]
        XCTAssertEqual(s.sign(frames), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertTrue(s.verify("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", frames))
        XCTAssertFalse(s.verify("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3844", frames))
        XCTAssertEqual(JupyterSignature(key: "").sign(frames), "")
    }

    func testMessageRoundTripAndTampering() throws {
        let key = JupyterSignature(key: "secret")
        var request = JupyterMessage(type: "execute_request", content: ["code": "1 + 2"], parent: nil, session: "s")
        request.identities = [Data("client-7".utf8)]
        let frames = request.frames(signature: key)
        XCTAssertEqual(frames[1], JupyterMessage.delimiter)
        let parsed = try JupyterMessage(frames: frames, signature: key)
        XCTAssertEqual(parsed.type, "execute_request")
        XCTAssertEqual(parsed.content["code"] as? String, "1 + 2")
        XCTAssertEqual(parsed.identities, [Data("client-7".utf8)])
        let reply = JupyterMessage(type: "execute_reply", content: ["status": "ok"], parent: parsed, session: "k")
        XCTAssertEqual(reply.identities, parsed.identities, "a reply goes back to the requester")
        XCTAssertEqual(reply.parentHeader["msg_id"] as? String, parsed.id)
        XCTAssertEqual(reply.header["version"] as? String, "5.3")

        var tampered = frames
        tampered[5] = Data(#"{"code":"rm"}"#.utf8)
        XCTAssertThrowsError(try JupyterMessage(frames: tampered, signature: key)) { XCTAssertEqual("\($0)", "signature does not match (wrong key?)") }
        XCTAssertThrowsError(try JupyterMessage(frames: frames, signature: JupyterSignature(key: "other")))
        XCTAssertThrowsError(try JupyterMessage(frames: Array(frames.prefix(4)), signature: key))
    }

    func testTimestampIsISO8601WithMicroseconds() {
        XCTAssertEqual(JupyterMessage.timestamp(Date(timeIntervalSince1970: 1_700_000_000.25)), "2023-11-14T22:13:20.250000Z")
    }

    func testConnectionFile() throws {
        let json = #"{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "key": "k", "signature_scheme": "hmac-sha256"}"#
        let c = try JupyterConnection(json: Data(json.utf8))
        XCTAssertEqual(c.endpoint(c.shellPort), "tcp://127.0.0.1:5001")
        XCTAssertEqual(c.heartbeatPort, 5005)
        XCTAssertThrowsError(try JupyterConnection(json: Data(json.replacingOccurrences(of: "5005", with: "\"x\"").utf8), path: "c.json")) {
            XCTAssertEqual("\($0)", "c.json: `hb_port` must be a port number (0–65535)")
        }
        XCTAssertThrowsError(try JupyterConnection(json: Data(json.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5").utf8), path: "c.json")) {
            XCTAssertEqual("\($0)", "c.json: signature scheme `hmac-md5` is not supported (hmac-sha256)")
        }
        XCTAssertThrowsError(try JupyterConnection(contentsOf: "/no/such/connection.json")) {
            XCTAssertEqual("\($0)", "/no/such/connection.json: cannot read the connection file: no such file or folder")
        }
    }

    func testKernelSpec() throws {
        let spec = try XCTUnwrap(JSONSerialization.jsonObject(with: JupyterKernelSpec.json(executable: "/opt/facet")) as? [String: Any])
        XCTAssertEqual(spec["argv"] as? [String], ["/opt/facet", "jupyter", "kernel", "-f", "{connection_file}"])
        XCTAssertEqual(spec["display_name"] as? String, "Facet")
        XCTAssertEqual(spec["language"] as? String, "facet")
        XCTAssertEqual(spec["interrupt_mode"] as? String, "message")
        XCTAssertEqual(try JupyterKernelSpec.folder(.user, environment: ["HOME": "/home/u"]), "/home/u/.local/share/jupyter/kernels/facet")
        XCTAssertEqual(try JupyterKernelSpec.folder(.user, environment: ["JUPYTER_DATA_DIR": "/j", "HOME": "/home/u"]), "/j/kernels/facet")
        XCTAssertEqual(try JupyterKernelSpec.folder(.sysPrefix, environment: ["VIRTUAL_ENV": "/v"]), "/v/share/jupyter/kernels/facet")
        XCTAssertEqual(try JupyterKernelSpec.folder(.prefix("/p")), "/p/share/jupyter/kernels/facet")
    }

    func testInstallAndUninstallCommands() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("facet-spec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let install = try FacetCLI.run(["jupyter", "install", "--prefix", prefix.path])
        XCTAssertEqual(install.status, 0, install.stderr)
        let json = prefix.appendingPathComponent("share/jupyter/kernels/facet/kernel.json")
        let spec = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let argv = try XCTUnwrap(spec["argv"] as? [String])
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: argv[0]), "argv[0] is the facet binary: \(argv[0])")
        XCTAssertEqual(try FacetCLI.run(["jupyter", "uninstall", "--prefix", prefix.path]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json.path))
        let again = try FacetCLI.run(["jupyter", "uninstall", "--prefix", prefix.path])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("no Facet kernelspec in \(prefix.path)/share/jupyter/kernels/facet"), again.stderr)
        let both = try FacetCLI.run(["jupyter", "install", "--user", "--prefix", prefix.path])
        XCTAssertTrue(both.stderr.contains("choose one of --user, --sys-prefix and --prefix"), both.stderr)
    }

    func testDisplaysByFileExtension() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47])
        let p = try XCTUnwrap(JupyterDisplay.figure(fileName: "fig1-grid.png", contents: png, caption: "filters"))
        XCTAssertEqual(p["image/png"] as? String, "iVBORw==")
        XCTAssertEqual(p["text/plain"] as? String, "filters")
        let s = try XCTUnwrap(JupyterDisplay.figure(fileName: "fig2-roc.svg", contents: Data("<svg/>".utf8), caption: "ROC"))
        XCTAssertEqual(s["image/svg+xml"] as? String, "<svg/>")
        XCTAssertNil(JupyterDisplay.figure(fileName: "x.pdf", contents: Data(), caption: ""))
        XCTAssertEqual(JupyterDisplay.markdown("| a |")["text/markdown"] as? String, "| a |")
        XCTAssertEqual(JupyterDisplay.progressText("\r\u{1B}[2Ktrain 3/10 loss 1.2\n"), "train 3/10 loss 1.2")
    }

    /// An SVG figure goes with a PNG drawn from it (JupyterLab shows only the PNG in an untrusted
    /// notebook): twice the SVG's size, the metadata giving the 1× size; the text is drawn too.
    func testSVGFiguresCarryAPNGOfThemselves() throws {
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">"#
            + ##"<rect x="0" y="0" width="60" height="40" fill="#1f77b4"/><text x="64" y="24" font-size="14">AUC</text></svg>"##
        let (data, metadata) = try XCTUnwrap(JupyterDisplay.figureDisplay(fileName: "fig1-roc.svg", contents: Data(svg.utf8),
                                                                          caption: "ROC"))
        XCTAssertEqual(data["image/svg+xml"] as? String, svg)
        let png = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(data["image/png"] as? String)))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        func word(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual([word(16), word(20)], [240, 80])
        XCTAssertEqual(metadata["image/png"] as? [String: Int], ["width": 120, "height": 40])
        // Drawn, not blank: the bar's blue and the text's black are in the pixels' PNG (the
        // rendering itself is librsvg's), so the image is larger than a white one.
        let blank = try SVGRaster.png(#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"/>"#)
        XCTAssertGreaterThan(png.count, blank.png.count)
        XCTAssertThrowsError(try SVGRaster.png("not svg")) { XCTAssertFalse("\($0)".isEmpty) }
    }

    // MARK: a kernel on ipc sockets, asked directly

    func makeKernel() throws -> JupyterKernel {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("facet-k-\(UUID().uuidString.prefix(8))").path
        let json = #"{"transport": "ipc", "ip": "\#(base)", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": ""}"#
        return try JupyterKernel(connection: JupyterConnection(json: Data(json.utf8)))
    }

    /// A request that runs no code, answered by the kernel, as the reply's JSON content.
    func answer(_ k: JupyterKernel, _ type: String, _ content: [String: Any]) throws -> [String: Any] {
        let message = JupyterMessage(type: type, content: content, parent: nil, session: "test")
        return try XCTUnwrap(k.respond(to: JupyterRequest(message))).content
    }

    func testIsCompleteFromTheLexer() throws {
        let k = try makeKernel()
        XCTAssertEqual(try answer(k, "is_complete_request", ["code": "let x = [1,"])["status"] as? String, "incomplete")
        XCTAssertEqual(try answer(k, "is_complete_request", ["code": "let x = [1,"])["indent"] as? String, "  ")
        XCTAssertEqual(try answer(k, "is_complete_request", ["code": "let x = [1, 2]"])["status"] as? String, "complete")
        XCTAssertEqual(try answer(k, "is_complete_request", ["code": "let x = 2)"])["status"] as? String, "invalid")
    }

    func testRequestsAreReadOnceWithTheProtocolsDefaults() throws {
        func request(_ type: String, _ content: [String: Any]) -> JupyterRequest {
            JupyterRequest(JupyterMessage(type: type, content: content, parent: nil, session: "test"))
        }
        // The cursor counts Unicode scalars, stays inside the code, and is its end when absent or
        // not a number.
        guard case let .complete(a) = request("complete_request", ["code": "é = 1", "cursor_pos": 99]) else { return XCTFail() }
        XCTAssertEqual(a, CodeAtCursor(code: "é = 1", cursor: 5))
        guard case let .inspect(b) = request("inspect_request", ["code": "abc", "cursor_pos": -4]) else { return XCTFail() }
        XCTAssertEqual(b.cursor, 0)
        guard case let .inspect(c) = request("inspect_request", ["code": "abc", "cursor_pos": "2"]) else { return XCTFail() }
        XCTAssertEqual(c.cursor, 3)
        guard case let .execute(e) = request("execute_request", ["code": "1", "silent": true]) else { return XCTFail() }
        XCTAssertFalse(e.storeHistory, "a silent request never enters history")
        guard case let .shutdown(restart) = request("shutdown_request", ["restart": true]), restart else { return XCTFail() }
        guard case let .history(h) = request("history_request", ["hist_access_type": "search", "pattern": "let*", "unique": true, "n": 2])
        else { return XCTFail() }
        XCTAssertEqual(h, HistoryRequest(access: .search(pattern: "let*", unique: true, n: 2)))
        guard case .unsupported(type: "debug_request") = request("debug_request", [:]) else { return XCTFail() }
    }

    func testHistorySelection() throws {
        let history: [(count: Int, code: String)] = [(1, "let a = 1"), (2, "a"), (3, "let a = 1"), (5, "let b = 2")]
        func counts(_ access: HistoryRequest.Access) -> [Int] { HistoryRequest(access: access).select(from: history).map(\.count) }
        XCTAssertEqual(counts(.tail(n: nil)), [1, 2, 3, 5])
        XCTAssertEqual(counts(.tail(n: 2)), [3, 5])
        XCTAssertEqual(counts(.range(start: 2, stop: 5)), [2, 3])
        XCTAssertEqual(counts(.search(pattern: "let*", unique: false, n: nil)), [1, 3, 5])
        // unique keeps each text's latest entry, then the last n of those.
        XCTAssertEqual(counts(.search(pattern: "let*", unique: true, n: nil)), [3, 5])
        XCTAssertEqual(counts(.search(pattern: "let*", unique: true, n: 1)), [5])
        // The reply: (session, line, input), or (session, line, [input, null]) with output.
        let k = try makeKernel()
        k.history = history
        let plain = try answer(k, "history_request", ["hist_access_type": "tail", "n": 1])["history"] as? [[Any]]
        XCTAssertEqual(plain?.first?[1] as? Int, 5)
        XCTAssertEqual(plain?.first?[2] as? String, "let b = 2")
        let withOutput = try answer(k, "history_request", ["hist_access_type": "range", "start": 2, "stop": 3, "output": true])["history"] as? [[Any]]
        let pair = try XCTUnwrap(withOutput?.first?[2] as? [Any])
        XCTAssertEqual(pair.first as? String, "a")
        XCTAssertTrue(pair.last is NSNull)
    }

    func testReplyAndIOPubShapes() throws {
        let failure = ExecuteOutcome.Failure(name: "Error", value: "bad", traceback: ["t:1:1: bad"])
        XCTAssertEqual(JupyterMessage.json(JupyterReply.executeFailed(count: 3, failure).content),
                       Data(#"{"ename":"Error","evalue":"bad","execution_count":3,"status":"error","traceback":["t:1:1: bad"]}"#.utf8))
        XCTAssertEqual(JupyterMessage.json(JupyterReply.aborted.content), Data(#"{"status":"aborted"}"#.utf8))
        XCTAssertEqual(JupyterMessage.json(JupyterReply.shuttingDown(restart: true).content), Data(#"{"restart":true,"status":"ok"}"#.utf8))
        let update = IOPubMessage.display(data: ["text/plain": "x"], metadata: [:], id: "bar-1", update: true)
        XCTAssertEqual(update.type, "update_display_data")
        XCTAssertEqual(JupyterMessage.json(update.content), Data(#"{"data":{"text/plain":"x"},"metadata":{},"transient":{"display_id":"bar-1"}}"#.utf8))
        XCTAssertEqual(IOPubMessage.display(data: [:], metadata: [:], id: nil, update: false).type, "display_data")
        XCTAssertEqual(JupyterMessage.json(IOPubMessage.status(.idle).content), Data(#"{"execution_state":"idle"}"#.utf8))
    }

    func testWarnIsAWarningItem() throws {
        // What the kernel sends as a stderr stream; the REPL prints it as `warning: …`.
        let session = try Session(loadStdlib: false)
        var items: [OutputItem] = []
        session.sink = { items.append($0) }
        try session.run("warn(\"careful:\", 2, \"left\")", name: "t")
        XCTAssertEqual(items, [.warning("careful: 2 left")])
    }

    func testCompletionAndInspection() throws {
        let k = try makeKernel()
        try XCTUnwrap(k.interpreter as? FacetInterpreter).session.run("let learning = {rate: 1, rounds: 2}", name: "t")
        let c = try answer(k, "complete_request", ["code": "print(lear", "cursor_pos": 10])
        XCTAssertEqual(c["matches"] as? [String], ["learning", "learning_curves"])
        XCTAssertEqual(c["cursor_start"] as? Int, 6)
        let m = try answer(k, "complete_request", ["code": "learning.r + 1", "cursor_pos": 10])
        XCTAssertEqual(m["matches"] as? [String], ["rate", "rounds"])
        let help = try answer(k, "inspect_request", ["code": "train(m)", "cursor_pos": 2])
        XCTAssertEqual(help["found"] as? Bool, true)
        XCTAssertTrue(((help["data"] as? [String: Any])?["text/plain"] as? String ?? "").hasPrefix("train("))
        XCTAssertEqual(try answer(k, "inspect_request", ["code": "nothing_here", "cursor_pos": 3])["found"] as? Bool, false)
    }
}
