import FacetFiles
import FacetEngine
import FacetLang
import FacetLangTools
import FacetCache
import FacetSession
import Foundation

/// The REPL's logic, independent of how lines are read: multi-line input while brackets are
/// open, `:commands`, evaluation in a session, and errors that never end the session.
public final class Repl {
    public private(set) var session: Session
    /// Inputs that ran without error, for `:save-notebook`.
    public private(set) var history: [String] = []
    private var pending: [String] = []
    /// In script mode: the script's name and the lines read so far, so errors name the script's
    /// own lines. Nil at a terminal, where each input is its own line 1.
    private var script: (name: String, line: Int)?
    /// The script line the pending input started on.
    private var pendingFirstLine = 1
    /// Inputs and commands that failed so far.
    public private(set) var failures = 0
    /// Stop reading after the first failure (script mode without `--keep-going`).
    public var stopAtFirstError = false
    private let write: (String) -> Void
    private let seed: UInt64
    private let cache: CachePolicy
    public private(set) var finished = false

    /// `cache`: where `train` results are cached (off unless given; `facet repl` passes the default folder).
    public init(seed: UInt64 = 1, cache: CachePolicy = .off, write: @escaping (String) -> Void = { print($0) }) throws {
        self.seed = seed
        self.cache = cache
        self.write = write
        session = try Session(seed: seed)
        session.cachePolicy = cache
        attachSink()
    }

    private func attachSink() {
        session.sink = { [write] item in
            switch item {
            case let .text(t): write(t)
            case let .markdown(m): write(m)
            case let .figure(name, svg, caption):
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-figures")
                try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let url = dir.appendingPathComponent(name + ".svg")
                try? Data(svg.utf8).write(to: url, options: .atomic)
                write("[figure: \(caption) → \(url.path)]")
            case let .image(name, data, mimeType, caption):
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-figures")
                try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let url = dir.appendingPathComponent(name + "." + OutputItem.fileExtension(mimeType: mimeType))
                try? data.write(to: url, options: .atomic)
                write("[figure: \(caption) → \(url.path)]")
            case let .error(e): write(e)
            case let .warning(w): write("warning: \(w)")
            }
        }
    }

    /// The prompt for the next line: `facet> `, or `  ...> ` inside an open bracket.
    public var prompt: String { pending.isEmpty ? "facet> " : "  ...> " }

    /// Runs a script line by line as if typed (standard input that is not a terminal): errors name
    /// the script's lines, and the first error ends the run unless `keepGoing`. True when nothing failed.
    public func runScript(name: String = "<stdin>", keepGoing: Bool, next: () -> String?) -> Bool {
        script = (name, 0)
        stopAtFirstError = !keepGoing
        while !finished, let line = next() { feed(line) }
        if finished, failures > 0, stopAtFirstError {
            write("stopped at the first error; --keep-going runs the rest of the script")
        } else {
            end()
        }
        return failures == 0
    }

    /// Feeds one line; runs it when the input is complete.
    public func feed(_ line: String) {
        if script != nil { script!.line += 1 }
        if pending.isEmpty { pendingFirstLine = script?.line ?? 1 }
        if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
            command(line.trimmingCharacters(in: .whitespaces))
            return
        }
        pending.append(line)
        let text = pending.joined(separator: "\n")
        if InputStatus(of: text) == .incomplete { return }
        pending = []
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
        evaluate(text)
    }

    /// Ends input (Ctrl-D): an unfinished multi-line input is reported, not lost silently.
    public func end() {
        if !pending.isEmpty {
            let place = script.map { "\($0.name):\(pendingFirstLine): " } ?? ""
            fail("\(place)error: input ended inside an open bracket:\n" + pending.joined(separator: "\n"))
            pending = []
        }
        finished = true
    }

    /// Drops a half-typed multi-line input (Ctrl-C at the prompt).
    public func cancelPending() { pending = [] }

    func evaluate(_ text: String) {
        Interrupt.clear()
        let started = Date()
        do {
            let value = try session.run(text, name: script?.name ?? "<repl>", firstLine: pendingFirstLine)
            history.append(text)
            if case .none = value {} else { session.show(value) }
            if Interrupt.requested {
                write("interrupted after \(ProgressBar.duration(Date().timeIntervalSince(started))) — the session is intact")
            }
            session.agreeOnCell(failed: false, message: "")
        } catch let e as DiagnosticError {
            session.agreeOnCell(failed: true, message: e.description)
            fail(e.description)
        } catch {
            session.agreeOnCell(failed: true, message: "error: \(FileFailure.describe(error))")
            fail("error: \(FileFailure.describe(error))")
        }
        Interrupt.clear()
    }

    /// Reports a failed input or command; in script mode without `--keep-going` it ends the run.
    private func fail(_ message: String) {
        write(message)
        failures += 1
        if stopAtFirstError { finished = true }
    }

    // MARK: commands

    static let commands: [(name: String, usage: String, doc: String)] = [
        (":help", ":help [topic]", "this list, or a builtin's signature and documentation"),
        (":load", ":load FILE", "run a .facet file (or a .fnb notebook's cells) in this session"),
        (":vars", ":vars", "variables and nets defined in this session"),
        (":summary", ":summary NET", "layer table of a net: shapes, parameters, FLOPs, memory"),
        (":time", ":time EXPR", "evaluate and print the wall time"),
        (":reset", ":reset", "start a fresh session (same seed)"),
        (":cache", ":cache", "the result cache: its folder, and this session's hits and misses"),
        (":save-notebook", ":save-notebook FILE", "write this session's inputs as an .fnb notebook"),
        (":quit", ":quit", "leave (Ctrl-D too)"),
    ]

    func command(_ line: String) {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0], arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":help":
            if arg.isEmpty {
                write(Self.commands.map { "  \($0.usage.padding(toLength: 22, withPad: " ", startingAt: 0)) \($0.doc)" }.joined(separator: "\n"))
                write("Builtins: \(session.interpreter.registry.names.joined(separator: ", "))\nType :help NAME for one of them.")
            } else {
                evaluate("help(\"\(arg.replacingOccurrences(of: "\"", with: ""))\")")
            }
        case ":load":
            guard !arg.isEmpty else { return write("usage: :load FILE") }
            load(arg)
        case ":vars":
            let names = session.userNames
            if names.isEmpty { write("(no variables yet)") }
            for n in names {
                let v = session.interpreter.globals.lookup(n) ?? .none
                let text = v.repr.split(separator: "\n").first.map(String.init) ?? ""
                write("  \(n): \(v.typeName) = \(text.count > 70 ? String(text.prefix(67)) + "..." : text)")
            }
        case ":summary":
            guard !arg.isEmpty else { return write("usage: :summary NET") }
            evaluate("summary(\(arg))")
        case ":time":
            guard !arg.isEmpty else { return write("usage: :time EXPR") }
            let t0 = Date()
            evaluate(arg)
            write("time: \(ProgressBar.duration(Date().timeIntervalSince(t0)))")
        case ":reset":
            do { session = try Session(seed: seed); session.cachePolicy = cache; attachSink(); history = []; write("session reset") }
            catch { write("error: \(FileFailure.describe(error))") }
        case ":cache":
            write(session.cacheReport)
        case ":save-notebook":
            guard !arg.isEmpty else { return write("usage: :save-notebook FILE") }
            saveNotebook(arg)
        case ":quit", ":q", ":exit":
            finished = true
        default:
            let hint = suggestion(for: name, among: Self.commands.map(\.name)).map { " — did you mean \($0)?" } ?? ""
            fail("unknown command \(name)\(hint); :help lists them")
        }
    }

    func load(_ path: String) {
        do {
            if path.hasSuffix(".fnb") {
                let nb = try Notebook(contentsOf: path)
                for cell in nb.cells {
                    let v = try session.run(cell.source, name: path, firstLine: cell.firstLine)
                    if case .none = v {} else { session.show(v) }
                }
            } else {
                let text: String
                do { text = try InputFile.text(path) } catch { return fail("error: cannot read \(FileFailure.describe(error))") }
                try session.run(text, name: path)
            }
            history.append(":load \(path)")
            write("loaded \(path)")
        } catch let e as DiagnosticError {
            fail(e.description)
        } catch {
            fail("error: \(FileFailure.describe(error))")
        }
    }

    func saveNotebook(_ path: String) {
        var text = "---\ntitle: REPL session\n---\n\nInputs of a `facet repl` session, in order.\n\n"
        for input in history {
            if input.hasPrefix(":load ") {
                text += "Loaded `\(input.dropFirst(6))` in the session.\n\n"
                continue
            }
            text += "```facet\n\(input)\n```\n\n"
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            write("wrote \(history.count) inputs to \(path)")
        } catch {
            write("error: cannot write \(path): \(FileFailure.reason(error))")
        }
    }

    /// Tab completion at `cursor` (Unicode scalars into `line`, the line being typed): `:commands`
    /// and their arguments (a file for `:load`, a builtin for `:help`), else the language's
    /// completion (`Interpreter.complete`, as in Jupyter) over the pending input and this line.
    public func complete(_ line: String, cursor: Int) -> Completion {
        let typed = String(String.UnicodeScalarView(line.unicodeScalars.prefix(cursor)))
        if pending.isEmpty, typed.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
            let leading = typed.prefix { $0 == " " }.unicodeScalars.count
            let command = typed.dropFirst(leading)
            guard let space = command.firstIndex(of: " ") else {
                return Completion(start: leading, matches: Self.commands.map(\.name).filter { $0.hasPrefix(command) })
            }
            let argumentStart = leading + command[..<space].unicodeScalars.count + 1
            let argument = String(command[command.index(after: space)...])
            switch command[..<space] {
            case ":load":
                let (folder, matches) = Interpreter.pathCompletions(argument)
                return Completion(start: argumentStart + folder.unicodeScalars.count, matches: matches)
            case ":help":
                return Completion(start: argumentStart, matches: session.interpreter.registry.names.filter { $0.hasPrefix(argument) })
            default:
                let c = session.interpreter.complete(argument)
                return Completion(start: argumentStart + c.start, matches: c.matches)
            }
        }
        // Lines already typed of an open bracket give the context (`train(m, d,` on the line before).
        let before = pending.isEmpty ? "" : pending.joined(separator: "\n") + "\n"
        let offset = before.unicodeScalars.count
        let c = session.interpreter.complete(before + typed)
        return Completion(start: max(0, c.start - offset), matches: c.matches)
    }
}
