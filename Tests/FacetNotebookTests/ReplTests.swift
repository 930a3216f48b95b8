import XCTest
import FacetLang
import FacetLangTools
@testable import FacetNotebook
@testable import FacetSession
@testable import FacetCache
import FacetTestSupport

/// The REPL's logic directly, its script mode through a pipe, and the real terminal through tmux.
final class ReplTests: XCTestCase {
    func testMultiLineInputCommandsAndErrorsKeepTheSession() throws {
        var out: [String] = []
        let repl = try Repl(write: { out.append($0) })
        repl.feed("let w = 3")
        repl.feed("net t(maps = w) {")
        XCTAssertEqual(repl.prompt, "  ...> ", "inside an open brace")
        repl.feed("  input 8x8x1")
        repl.feed("  conv maps 3x3 relu")
        repl.feed("  softmax 2")
        repl.feed("}")
        XCTAssertEqual(repl.prompt, "facet> ")
        repl.feed("shape(t())")
        XCTAssertEqual(out.last, "6x6x3")
        repl.feed("nope + 1")
        XCTAssertTrue(out.last!.contains("<repl>:1:1: error:"), out.last!)
        XCTAssertTrue(out.last!.contains("^~~~"), "caret under the name: \(out.last!)")
        repl.feed("w * 2")
        XCTAssertEqual(out.last, "6", "the session survived the error")
        repl.feed(":vars")
        XCTAssertTrue(out.contains { $0.contains("w: number = 3") }, "\(out)")
        repl.feed(":sumary t")
        XCTAssertEqual(out.last, "unknown command :sumary — did you mean :summary?; :help lists them")
        XCTAssertTrue(repl.complete("summ", cursor: 4).matches.contains("summary"))
        XCTAssertTrue(repl.complete("print(t", cursor: 7).matches.contains("t"))
        XCTAssertEqual(repl.complete("  :he", cursor: 5), Completion(start: 2, matches: [":help"]))
    }

    /// The REPL asks the lexer whether input is complete: a comment inside an open bracket no
    /// longer hides the bracket that closes it on the next line.
    func testCommentInsideAnOpenBracketEndsWhenTheBracketCloses() throws {
        var out: [String] = []
        let repl = try Repl(write: { out.append($0) })
        repl.feed("let xs = [1,   # the first")
        XCTAssertEqual(repl.prompt, "  ...> ")
        repl.feed("  2]")
        XCTAssertEqual(repl.prompt, "facet> ", "the list is closed")
        repl.feed("len(xs)")
        XCTAssertEqual(out.last, "2")
    }

    func testSaveNotebookWritesTheInputsThatRan() throws {
        let repl = try Repl(write: { _ in })
        repl.feed("let a = 2")
        repl.feed("let b = a +")   // a syntax error is not recorded
        repl.feed("print(a * 5)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("s-\(UUID().uuidString).fnb").path
        repl.feed(":save-notebook \(path)")
        let nb = try Notebook(contentsOf: path)
        XCTAssertEqual(nb.cells.map(\.source), ["let a = 2", "print(a * 5)"])
    }

    /// Runs `facet repl ARGS` with `script` on standard input (a pipe, so script mode).
    private func script(_ script: String, _ args: [String] = []) throws -> (status: Int32, reason: Process.TerminationReason, text: String) {
        let p = Process()
        p.executableURL = FacetCLI.executable
        p.arguments = ["repl"] + args
        var env = ProcessInfo.processInfo.environment
        env["FACET_CACHE_DIR"] = freshCacheFolder().path
        p.environment = env
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output; p.standardError = output
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        input.fileHandleForWriting.closeFile()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason, text)
    }

    func testScriptModeThroughAPipe() throws {
        let (status, reason, text) = try script("let x = [1, 2,\n 3]\nprint(len(x))\nbad(\nprint(\"after\")\n")
        XCTAssertEqual(reason, .exit)
        XCTAssertEqual(status, 1, "a failed statement makes the script fail")
        XCTAssertTrue(text.contains("3\n"), text)
        XCTAssertTrue(text.contains("<stdin>:4: error: input ended inside an open bracket"),
                      "the open `bad(` swallows the next line and is reported at end of input: \(text)")
    }

    /// Errors name the script's own lines (a multi-line input its first line), the first error
    /// stops the script, and `--keep-going` runs the rest; either way the exit status is 1.
    func testScriptErrorsNameScriptLinesAndStopUnlessKeepGoing() throws {
        let source = "let a = 1\nlet xs = [a,\n  nope]\nprint(\"second\")\nlet b = a / 0\nprint(\"end\")\n"
        let stopped = try script(source)
        XCTAssertEqual(stopped.reason, .exit)
        XCTAssertEqual(stopped.status, 1)
        XCTAssertTrue(stopped.text.contains("<stdin>:3:3: error: "), "line 3 of the script, not statement 2: \(stopped.text)")
        XCTAssertFalse(stopped.text.contains("second"), stopped.text)
        XCTAssertTrue(stopped.text.contains("stopped at the first error; --keep-going runs the rest"), stopped.text)

        let kept = try script(source, ["--keep-going"])
        XCTAssertEqual(kept.reason, .exit)
        XCTAssertEqual(kept.status, 1)
        XCTAssertTrue(kept.text.contains("second") && kept.text.contains("end"), kept.text)
        XCTAssertTrue(kept.text.contains("<stdin>:5:13: error: division by zero"), kept.text)

        let clean = try script("let a = 2\nprint(a * 3)\n")
        XCTAssertEqual(clean.status, 0, clean.text)
    }

    // MARK: a real terminal (tmux)

    /// What a tmux command printed when it failed (its arguments, exit status and output).
    private struct TmuxFailure: Error, CustomStringConvertible {
        let arguments: [String], status: Int32, output: String
        var description: String { "tmux \(arguments.joined(separator: " ")) exited with \(status): \(output)" }
    }

    /// The pane's output as events: `tmux pipe-pane` copies everything the terminal shows into a
    /// FIFO that a thread reads; each chunk signals `changed`, and the end of the stream (the pane's
    /// process ended) signals `ended`.
    private final class PaneWatch: @unchecked Sendable {
        let changed = DispatchSemaphore(value: 0)
        let ended = DispatchSemaphore(value: 0)
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("facet-pane-\(UUID().uuidString)")

        init() throws {
            guard mkfifo(fifo.path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
            let path = fifo.path
            Thread.detachNewThread { [changed, ended] in
                let fd = open(path, O_RDONLY)   // returns once tmux's `cat` opens the other end
                var buffer = [UInt8](repeating: 0, count: 4096)
                while fd >= 0, read(fd, &buffer, buffer.count) > 0 { changed.signal() }
                if fd >= 0 { close(fd) }
                ended.signal()
            }
        }

        deinit { try? FileManager.default.removeItem(at: fifo) }
    }

    /// One command in a real terminal: a tmux server of its own (its own socket), so a test never
    /// meets the server of the test before it while that server exits with its last session (CI
    /// once lost a whole test to that race: `new-session` reached the exiting server). Every tmux
    /// command that fails throws with tmux's own words instead of leaving a wait to time out.
    private final class Terminal {
        let socket = "facet-test-\(UUID().uuidString.prefix(8))"
        let session = "repl"
        let pane: PaneWatch

        init(_ command: String) throws {
            pane = try PaneWatch()
            try Terminal.tmux(socket, ["new-session", "-d", "-s", session, "-x", "160", "-y", "50", command])
            try Terminal.tmux(socket, ["pipe-pane", "-t", session, "cat > '\(pane.fifo.path)'"])
        }

        /// Stops this terminal's server (and the command, if it still runs).
        func close() { _ = try? Terminal.tmux(socket, ["kill-server"]) }

        func keys(_ keys: String...) throws { try Terminal.tmux(socket, ["send-keys", "-t", session] + keys) }

        /// The screen as text (capture-pane trims trailing spaces).
        func screen() throws -> String { try Terminal.tmux(socket, ["capture-pane", "-p", "-t", session]) }

        /// Runs tmux through the shell with output to a file, not a pipe: the tmux server that
        /// `new-session` starts inherits descriptors and would hold a pipe open forever.
        @discardableResult
        static func tmux(_ socket: String, _ args: [String]) throws -> String {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            let quoted = (["-L", socket] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            // posix_spawn + waitpid, not Foundation's Process: Process waits for EOF on a descriptor
            // that the daemonised tmux server inherits, so it never returns after `new-session`.
            let command = "tmux \(quoted.joined(separator: " ")) > '\(file.path)' 2>&1 < /dev/null"
            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
            defer { argv.forEach { free($0) } }
            guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let output = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            guard exit == 0 else { throw TmuxFailure(arguments: args, status: exit, output: output) }
            return output
        }

        /// Reads the screen each time the terminal has drawn something (the event) until `done`
        /// accepts it; `timeout` only bounds a failure, saying `what` and showing the screen as it
        /// is then (read again, not the last one an event brought).
        @discardableResult
        func wait(_ what: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line,
                  until done: (String) -> Bool) throws -> String {
            let deadline = DispatchTime.now() + timeout
            var current = try screen()
            while !done(current) {
                guard pane.changed.wait(timeout: deadline) == .success else {
                    let now = (try? screen()) ?? current
                    if done(now) { return now }
                    XCTFail("\(what); the screen after \(timeout) s:\n\(now)", file: file, line: line)
                    return now
                }
                current = try screen()
            }
            return current
        }

        @discardableResult
        func wait(containing text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
            try wait("the screen never showed \(text.debugDescription)", timeout: timeout, file: file, line: line) { $0.contains(text) }
        }

        /// Types `line` and Enter, waits until the screen shows `text`, then for the next prompt
        /// (so the next keys reach readline, not the terminal's echo).
        @discardableResult
        func enter(_ line: String, showing text: String, prompt: String = "facet>",
                   file: StaticString = #filePath, line number: UInt = #line) throws -> String {
            try keys(line, "Enter")
            let screen = try wait(containing: text, file: file, line: number)
            try wait(lastLine: prompt, file: file, line: number)
            return screen
        }

        /// Waits until the screen's last non-empty line is `text` (trailing spaces aside): a prompt
        /// drawn and nothing typed after it yet.
        @discardableResult
        func wait(lastLine text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
            try wait("the screen's last line never was \(text.debugDescription)", timeout: timeout, file: file, line: line) {
                let last = $0.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                return last.map { $0.trimmingCharacters(in: .whitespaces) == text } == true
            }
        }
    }

    func testTerminalEditingCompletionHistoryAndErrors() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            return XCTFail("tmux is missing: scripts/test installs it")
        }
        let history = FileManager.default.temporaryDirectory.appendingPathComponent("facet-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: history) }
        let command = "FACET_HISTORY=\(history) \(FacetCLI.executable.path) repl"
        let terminal = try Terminal(command)
        defer { terminal.close() }
        try terminal.wait(lastLine: "facet>")

        // multi-line input while a brace is open, a line at a time: keys typed while a line runs
        // are echoed by the terminal before readline draws its prompt, which garbles the screen
        for line in ["net t(w = 2) {", "input 8x8x1", "conv w 3x3 relu", "softmax 2"] {
            try terminal.enter(line, showing: line, prompt: "...>")
        }
        try terminal.enter("}", showing: "  ...> }")
        // tab completion of a builtin, then of a user net
        try terminal.keys("summ", "Tab")
        try terminal.wait(containing: "facet> summary")
        try terminal.enter("(t())", showing: "6x6x2")
        // an error keeps the session
        try terminal.enter("missing_name * 2", showing: "<repl>:1:1: error")
        try terminal.enter("print(40 + 2)", showing: "\n42")
        // Ctrl-D leaves (the pane's output ends: the event); history persists into a new session
        try terminal.keys("C-d")
        XCTAssertEqual(terminal.pane.ended.wait(timeout: .now() + 20), .success, "the REPL ended on Ctrl-D")
        let saved = (try? String(contentsOfFile: history, encoding: .utf8)) ?? ""
        XCTAssertTrue(saved.contains("print(40 + 2)"), saved)

        let second = try Terminal(command)
        defer { second.close() }
        try second.wait(lastLine: "facet>")
        try second.keys("Up")
        try second.wait(containing: "facet> print(40 + 2)")
    }

    /// One completion rule with Jupyter: members after a dot and a call's labels complete at a
    /// terminal too; `help` alone says how to use it.
    func testTerminalCompletesMembersAndLabelsAndHelpAloneShowsUsage() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            return XCTFail("tmux is missing: scripts/test installs it")
        }
        let history = FileManager.default.temporaryDirectory.appendingPathComponent("facet-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: history) }
        let terminal = try Terminal("FACET_HISTORY=\(history) \(FacetCLI.executable.path) repl")
        defer { terminal.close() }
        try terminal.wait(lastLine: "facet>")

        // Waits for the next prompt (the event), not a time: keys typed while the line runs are echoed
        // by the terminal before readline draws its prompt, which garbles the screen this test reads.
        try terminal.enter("let faces = synthetic(n: 40, seed: 1) | split(0.8, 0.1, 0.1)", showing: "render faces done")
        try terminal.keys("faces.te", "Tab")
        try terminal.wait(containing: "facet> faces.test")
        try terminal.keys("C-u", "help(na", "Tab")
        try terminal.wait(containing: "facet> help(name:")
        try terminal.keys("C-u", "help", "Enter")
        let screen = try terminal.wait(containing: "Type help() to list every builtin")
        XCTAssertFalse(screen.contains("<function help"), screen)
    }
}
