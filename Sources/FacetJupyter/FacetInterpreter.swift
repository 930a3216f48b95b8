import FacetCache
import FacetEngine
import FacetFiles
import FacetLang
import FacetLangTools
import FacetSession
import Foundation

/// Facet behind the Jupyter seam: one `Session`; a cell's output items become displays and streams
/// (`JupyterDisplay` says how each looks). The only file of the kernel that knows the session.
public final class FacetInterpreter: JupyterInterpreter {
    public private(set) var session: Session

    public init(seed: UInt64 = 1, cache: CachePolicy = .off) throws {
        session = try Session(seed: seed, progress: .quiet)
        session.cachePolicy = cache
        session.warningsToStderr = false
    }

    public var info: [String: Any] {
        [
            "implementation": "facet",
            "implementation_version": Engine.version,
            "language_info": [
                "name": "facet",
                "version": Engine.version,
                "mimetype": "text/x-facet",
                "file_extension": ".facet",
                "pygments_lexer": "text",
                "codemirror_mode": "text",
            ],
            "banner": "Facet \(Engine.version) — nets, shapes, training and reports for face attributes",
        ]
    }

    // MARK: execute

    public func execute(_ request: ExecuteRequest, count: Int, output: any JupyterOutput) -> ExecuteOutcome {
        // The sink and progress display go to the request now running.
        session.sink = { [weak self] item in self?.show(item, on: output) }
        // `summary` as a Markdown table, its text as the plain fallback.
        session.interpreter.outputTable = { text, markdown in
            output.display(JupyterDisplay.markdown(markdown, plain: text), metadata: [:], id: nil, update: false)
        }
        session.progressDisplay = { Self.progressWriter(output) }
        session.origin = "In[\(count)]"

        var failure: ExecuteOutcome.Failure?
        var ranToEnd = false
        Interrupt.clear()
        let started = Date()
        do {
            let value = try session.run(request.code, name: "In[\(count)]")
            ranToEnd = true
            result(value, on: output)
        } catch let e as DiagnosticError {
            let first = e.diagnostics.first.map { "\($0.range): \($0.message)" } ?? e.description
            failure = .init(name: "error", value: first, traceback: e.description.components(separatedBy: "\n"))
        } catch {
            let text = FileFailure.describe(error)
            failure = .init(name: "error", value: text, traceback: ["error: " + text])
        }
        if Interrupt.requested {
            // The training stopped at the next batch; whatever was bound before (and the partial
            // run, when `train` ended the cell) stays in the session.
            // Timed over the whole cell (a training's own bar says only how long it trained).
            let note = "interrupted after \(ProgressBar.duration(Date().timeIntervalSince(started))): the cell stopped "
                + "at the next batch; every variable defined so far is kept"
            failure = .init(name: "Interrupted", value: note, traceback: (failure.map { $0.traceback } ?? []) + [note])
            Interrupt.clear()
        }
        session.progressDisplay = nil
        return ExecuteOutcome(ranToEnd: ranToEnd, failure: failure)
    }

    public func interrupt() { if !Interrupt.requested { Interrupt.raise(SIGINT) } }

    public func interruptOnSIGINT() {
        signal(SIGINT) { _ in if !Interrupt.requested { Interrupt.raise(SIGINT) } }
    }

    /// The value a cell ends with: tables and figures as displays (as `show` renders them), any
    /// other value as the cell's `execute_result` in plain text.
    func result(_ value: Value, on output: any JupyterOutput) {
        switch value {
        case .none: return
        case let .foreign(f) where f is Renderable: session.show(value)
        default: output.result(value.description)
        }
    }

    /// One output item as a stream or a display.
    func show(_ item: OutputItem, on output: any JupyterOutput) {
        switch item {
        case let .text(t): output.stream("stdout", t + "\n")
        case let .markdown(m): output.display(JupyterDisplay.markdown(m), metadata: [:], id: nil, update: false)
        case let .figure(name, svg, caption):
            if let (bundle, metadata) = JupyterDisplay.figureDisplay(fileName: name + ".svg", contents: Data(svg.utf8),
                                                                     caption: caption) {
                output.display(bundle, metadata: metadata, id: nil, update: false)
            }
        case let .image(_, data, mimeType, caption):
            // Raster figures (sample grids, mistakes) arrive as encoded bytes with their MIME type.
            output.display([mimeType: data.base64EncodedString(), "text/plain": caption], metadata: [:], id: nil, update: false)
        case let .error(e): output.stream("stderr", e + "\n")
        case let .warning(w): output.stream("stderr", "warning: \(w)\n")
        }
    }

    /// A progress bar's writer: its first line opens a display, later lines update that display
    /// in place (one line in the notebook, not one per redraw). Work that ends within half a second
    /// opens no display at all, so quick cells show only their results (as tqdm's `delay` does).
    static func progressWriter(_ output: any JupyterOutput) -> (String) -> Void {
        let id = "facet-progress-" + UUID().uuidString.lowercased()
        let start = Date()
        var opened = false
        return { drawn in
            let text = JupyterDisplay.progressText(drawn)
            guard !text.isEmpty else { return }
            guard opened || Date().timeIntervalSince(start) >= JupyterDisplay.progressDelay else { return }
            output.display(["text/plain": text], metadata: [:], id: id, update: opened)
            opened = true
        }
    }

    // MARK: complete, inspect, is_complete

    /// Completion from the language's one source (`Interpreter.complete`, which the REPL's Tab asks
    /// too): names, members after `name.`, a call's parameter labels, paths inside path strings.
    public func complete(_ code: String, cursor: Int) -> (matches: [String], start: Int) {
        let c = session.interpreter.complete(code, cursor: cursor)
        return (c.matches, c.start)
    }

    /// A builtin's signature and documentation; a net's canonical text and layer table; another
    /// variable's type and value.
    public func inspect(_ code: String, cursor: Int) -> String? {
        let scalars = Array(code.unicodeScalars)
        let (start, end) = Self.word(in: scalars, at: cursor)
        let name = String(String.UnicodeScalarView(scalars[start..<end]))
        guard !name.isEmpty else { return nil }
        switch session.interpreter.globals.lookup(name) {
        case let .net(n)?:
            let file = SourceFile(name: "<inspect>", text: name)
            let table = (try? summaryTable(n, at: SourceRange(file: file, start: 0, end: name.utf8.count))) ?? ""
            return n.text + (table.isEmpty ? "" : "\n\n" + table)
        case let .netDefinition(d)?: return "net \(d.signature)\nCall it (e.g. `summary \(d.name)()`) to see its layers and shapes."
        case let .builtin(b)?: return "\(b.signature)\n    \(b.doc)"
        case let v?: return "\(name): \(v.typeName) = \(v.repr)"
        case nil: return session.interpreter.registry[name].map { "\($0.signature)\n    \($0.doc)" }
        }
    }

    /// From the lexer (`InputStatus`): open brackets → incomplete, with two spaces of indent.
    public func isComplete(_ code: String) -> CodeCompleteness {
        switch InputStatus(of: code) {
        case .complete: return .complete
        case .incomplete: return .incomplete(indent: "  ")
        case .invalid: return .invalid
        }
    }

    /// The identifier around `cursor` (letters, digits, `_`): its start and end.
    static func word(in code: [Unicode.Scalar], at cursor: Int) -> (Int, Int) {
        func isWord(_ c: Unicode.Scalar) -> Bool { c == "_" || CharacterSet.alphanumerics.contains(c) }
        var start = cursor, end = cursor
        while start > 0, isWord(code[start - 1]) { start -= 1 }
        while end < code.count, isWord(code[end]) { end += 1 }
        return (start, end)
    }
}

extension JupyterKernel {
    /// A kernel over a new Facet session (`facet jupyter kernel`).
    public convenience init(connection: JupyterConnection, seed: UInt64 = 1, cache: CachePolicy = .off) throws {
        try self.init(connection: connection, interpreter: FacetInterpreter(seed: seed, cache: cache))
    }
}
