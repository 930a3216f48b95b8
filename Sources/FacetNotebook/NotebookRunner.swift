import FacetCache
import FacetEngine
import FacetLang
import FacetSession
import Foundation

/// Runs a notebook's cells in order in one session and writes its Markdown report.
public struct NotebookRunner {
    public struct Options {
        /// `-p name=value` overrides, as text (parsed as Facet expressions; bare words are strings).
        public var parameters: [(name: String, value: String)] = []
        public var seed: UInt64 = 1
        public var keepGoing = false
        public var progress: ProgressBar.Style = ProgressBar.defaultStyle
        /// The result cache (`facet run` uses the default folder; off unless set).
        public var cache = CachePolicy.off
        /// The MPI ranks this run is one of (nil: a single process). Only rank 0 writes the report.
        public var collective: (any Collective)?
        public init() {}
    }

    public struct CellResult {
        public var index: Int
        public var source: String
        public var firstLine: Int
        public var outputs: [OutputItem]
        public var seconds: Double
        public var failed: Bool
        public var skipped: Bool
    }

    public struct Result {
        public var report: URL
        public var cells: [CellResult]
        public var succeeded: Bool
        /// True when a stop signal cut the run short (later cells were not run).
        public var interrupted: Bool
        /// The signal that asked the run to stop, if one did (also one that came while the report
        /// was written, after the last cell).
        public var stopSignal: Int32?
        /// Why the front-matter parameters or `-p` overrides could not be bound; no cell ran then.
        public var parameterErrors: [String]
        public var seconds: Double
        /// The session the cells ran in, as they left it (a caller may look at its values).
        public var session: Session
    }

    public let notebook: Notebook
    public let options: Options

    public init(notebook: Notebook, options: Options) { self.notebook = notebook; self.options = options }

    /// Runs every cell and writes the report to `output` (and figures to `<output stem>_files/`).
    /// Returns normally even when a cell failed; `succeeded` says whether all ran cleanly. Throws
    /// `OutputError` before any cell runs when the report could not be written there, and after
    /// the run when writing it failed (the previous report and figures are then unchanged).
    public func run(writingTo output: URL) throws -> Result {
        let start = Date()
        let policy = OutputPolicy(collective: options.collective)
        let writer = policy.writes
        do {
            if writer { try ReportFiles(report: output).checkWritable() }
        } catch {
            // The other ranks would start the cells and wait for rank 0 in the first collective.
            if let c = options.collective, c.size > 1 { c.abort("facet: rank 0 failed: \(error)") }
            throw error
        }
        // Other ranks run the same cells silently: no progress, warnings, report or cache writes.
        let session = try Session(seed: options.seed, progress: policy.progress(options.progress))
        session.collective = options.collective
        session.cachePolicy = policy.cache(options.cache)
        session.warningsToStderr = writer
        var paramErrors: [String] = []
        var resolved: [(String, Value)] = []
        do {
            resolved = try bindParameters(session)
        } catch let e as UnknownParameterError {
            throw e   // the command line's mistake: nothing runs and the previous report stays
        } catch {
            paramErrors.append(render(error))   // the notebook's own `params`: reported in place
        }
        Interrupt.clear()
        return try Interrupt.stoppable {
            let cells = runCells(session, skipAll: !paramErrors.isEmpty)
            let signal = Interrupt.stopSignal
            let seconds = Date().timeIntervalSince(start)
            if writer {
                try ReportWriter(notebook: notebook, output: output).write(
                    cells: cells, parameterErrors: paramErrors.map(OutputItem.error), session: session, parameters: resolved,
                    stoppedBy: signal, seconds: seconds)
            }
            let failed = !paramErrors.isEmpty || cells.contains(where: \.failed)
            return Result(report: output, cells: cells, succeeded: !failed && signal == nil, interrupted: signal != nil,
                          stopSignal: Interrupt.stopSignal, parameterErrors: paramErrors,
                          seconds: seconds, session: session)
        }
    }

    /// Runs the cells in order; after a failure (unless `keepGoing`) or a stop signal the rest are
    /// marked skipped.
    func runCells(_ session: Session, skipAll: Bool) -> [CellResult] {
        var cells: [CellResult] = []
        var failed = skipAll
        for (i, cell) in notebook.cells.enumerated() {
            if failed && !options.keepGoing || Interrupt.requested {
                cells.append(CellResult(index: i + 1, source: cell.source, firstLine: cell.firstLine, outputs: [],
                                        seconds: 0, failed: false, skipped: true))
                continue
            }
            var items: [OutputItem] = []
            session.sink = { items.append($0) }
            session.origin = "cell \(i + 1)"
            let t0 = Date()
            var cellFailed = false, failure = ""
            do {
                let value = try session.run(cell.source, name: notebook.path, firstLine: cell.firstLine)
                if case .none = value {} else { session.show(value) }
            } catch {
                cellFailed = true
                failure = render(error)
                items.append(.error(failure))
            }
            session.agreeOnCell(failed: cellFailed, message: failure)
            failed = failed || cellFailed
            cells.append(CellResult(index: i + 1, source: cell.source, firstLine: cell.firstLine, outputs: items,
                                    seconds: Date().timeIntervalSince(t0), failed: cellFailed, skipped: false))
        }
        return cells
    }

    /// Checks every code cell without running anything (`facet check NOTEBOOK.fnb`): the cells are
    /// checked as one program, in order, with the parameters bound, so a name defined in one cell is
    /// known in the next. Diagnostics carry the notebook's own line numbers.
    public func check() throws -> [Diagnostic] {
        let session = try Session(seed: options.seed, progress: .quiet)
        _ = try bindParameters(session)
        let cells = notebook.cells
        guard let first = cells.first else { return [] }
        var text = ""
        var line = first.firstLine   // the line `text` has reached
        for cell in cells {
            // Blank lines stand in for prose and fences, so lines keep their numbers.
            text += String(repeating: "\n", count: max(0, cell.firstLine - line)) + cell.source + "\n"
            line = cell.firstLine + cell.source.filter { $0 == "\n" }.count + 1
        }
        return session.check(SourceFile(name: notebook.path, text: text, firstLine: first.firstLine))
    }

    /// Front-matter defaults overridden by `-p`; unknown names are an error. Each parameter becomes a
    /// global variable.
    func bindParameters(_ session: Session) throws -> [(String, Value)] {
        var values: [(String, Value)] = []
        if let params = notebook.params {
            let v = try session.run(params.text, name: notebook.path + " (params)", firstLine: params.line)
            guard case let .record(r) = v else {
                throw KernelError("\(notebook.path):\(params.line): `params` must be a record such as { epochs: 50 }, got \(v.typeName)")
            }
            values = r.fields.map { ($0.name, $0.value) }
        }
        for (name, text) in options.parameters {
            guard let i = values.firstIndex(where: { $0.0 == name }) else {
                let known = values.map(\.0)
                var msg = "parameter `\(name)` is not declared in \(notebook.path)'s front matter"
                msg += known.isEmpty ? " (it declares none)" : " (it declares: \(known.joined(separator: ", ")))"
                if let s = suggestion(for: name, among: known) { msg += "; did you mean `\(s)`?" }
                throw UnknownParameterError(message: msg)
            }
            values[i].1 = try parseParameter(text, session)
        }
        // Each parameter becomes a global; no `params` record, which would hide the `params` builtin.
        for (name, value) in values { session.interpreter.globals.define(name, value) }
        return values
    }

    /// `3` → number, `true` → bool, `"x"` or a bare word → string, `[1, 2]` → list.
    func parseParameter(_ text: String, _ session: Session) throws -> Value {
        let probe = try? Session.parseLiteral(text, session)
        return probe ?? .string(text)
    }

    func render(_ error: Error) -> String {
        if let d = error as? DiagnosticError { return d.description }
        return "\(error)"
    }
}

extension Session {
    /// Evaluates a literal expression (used for `-p` values); nil when it is not one.
    static func parseLiteral(_ text: String, _ session: Session) throws -> Value? {
        let scratch = Interpreter(registry: BuiltinRegistry(), output: { _ in })
        guard let v = try? scratch.run("\(text)", name: "<parameter>") else { return nil }
        switch v {
        case .number, .string, .bool, .list, .record, .range: return v
        default: return nil
        }
    }
}

/// A `-p name=value` whose name the notebook does not declare: a mistake on the command line,
/// found before any cell runs and before the report is touched.
public struct UnknownParameterError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
