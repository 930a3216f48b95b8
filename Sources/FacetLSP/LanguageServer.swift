import FacetEngine
import FacetSession
import FacetLang
import FacetLangTools
import Foundation

/// `facet lsp`: a Language Server Protocol server for `.facet` files and the code cells of `.fnb`
/// notebooks, built on the same checker as `facet check` (one rule for what is an error).
///
/// One thread reads and answers in order. Diagnostics are published when no further message is
/// waiting, so a storm of edits is analysed once, at its end (the debounce); requests analyse the
/// text as it is when they arrive, so their answers are never stale.
public final class LanguageServer {
    /// Where framed messages go (stdout for `facet lsp`, a buffer in tests).
    private let send: (Data) -> Void
    private let interpreter: Interpreter
    private let notebookSessions: NotebookSessions
    private var documents: [String: TextDocument] = [:]
    private var analyses: [String: (version: Int, analysis: Analysis)] = [:]
    private var dirty: [String] = []
    private var initialized = false
    public private(set) var shutdownRequested = false
    /// Set by `exit`: the process status to end with (0 after `shutdown`, 1 without).
    public private(set) var exitCode: Int32?

    /// `session`: a quiet session with the stdlib loaded; the server checks in scratch copies of
    /// its globals and runs nothing but a notebook's `params` record, as `facet check` does. `notebookSessions` check notebooks' cells (servers may
    /// share them, as the fuzz target does).
    public init(session: Session, notebookSessions: NotebookSessions = NotebookSessions(), send: @escaping (Data) -> Void) {
        self.interpreter = session.interpreter
        self.notebookSessions = notebookSessions
        self.send = send
    }

    // MARK: the loop

    /// Reads framed messages from `input` until it closes or `exit` arrives; returns the status.
    public func serve(input: FileHandle) -> Int32 {
        var parser = FrameParser()
        while exitCode == nil {
            let chunk = input.availableData
            if chunk.isEmpty { break }
            parser.append(Array(chunk))
            while exitCode == nil {
                do {
                    guard let body = try parser.next() else { break }
                    handle(body)
                } catch {
                    respondError(id: NSNull(), .parseError, "\(error)")
                }
            }
            // Everything that had arrived is answered: now publish what changed (debounce).
            if !parser.hasPending { publishDirty() }
        }
        return exitCode ?? 0
    }

    /// One message body (JSON). Requests get exactly one response; notifications none.
    public func handle(_ body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) else {
            return respondError(id: NSNull(), .parseError, "the message is not JSON")
        }
        guard let message = object as? [String: Any] else {
            return respondError(id: NSNull(), .invalidRequest, "a message must be a JSON object")
        }
        let id = message["id"]
        guard let method = message["method"] as? String else {
            if id != nil, message["result"] != nil || message["error"] != nil { return }   // a response to us
            return respondError(id: id ?? NSNull(), .invalidRequest, "a request needs a method")
        }
        let params = message["params"] as? [String: Any] ?? [:]
        do {
            if let id {
                guard initialized || method == "initialize" else {
                    return respondError(id: id, .serverNotInitialized, "initialize first")
                }
                let result = try request(method, params)
                respond(id: id, result: result)
            } else {
                try notification(method, params)
            }
        } catch let e as LSPError {
            if let id { respondError(id: id, e.code, e.message) }
        } catch {
            if let id { respondError(id: id, .internalError, "\(error)") }
        }
    }

    struct LSPError: Error {
        let code: RPCError
        let message: String
        init(_ code: RPCError, _ message: String) { self.code = code; self.message = message }
    }

    // MARK: dispatch

    private func request(_ method: String, _ p: [String: Any]) throws -> Any {
        switch method {
        case "initialize":
            initialized = true
            return ["capabilities": Self.capabilities, "serverInfo": ["name": "facet", "version": Engine.version]]
        case "shutdown":
            shutdownRequested = true
            return NSNull()
        case "textDocument/hover": return try hover(p) ?? NSNull()
        case "textDocument/inlayHint": return try inlayHints(p)
        case "textDocument/documentSymbol": return try symbols(p)
        case "textDocument/definition": return try definition(p) ?? NSNull()
        case "textDocument/references": return try references(p)
        case "textDocument/completion": return try completion(p)
        case "textDocument/formatting": return try formatting(p)
        case "textDocument/rename": return try rename(p)
        default: throw LSPError(.methodNotFound, "facet lsp does not answer \(method)")
        }
    }

    private func notification(_ method: String, _ p: [String: Any]) throws {
        switch method {
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration": return
        case "exit": exitCode = shutdownRequested ? 0 : 1
        case "textDocument/didOpen":
            guard let d = p["textDocument"] as? [String: Any], let uri = d["uri"] as? String, let text = d["text"] as? String
            else { return }
            documents[uri] = TextDocument(uri: uri, text: text, version: (d["version"] as? NSNumber)?.intValue ?? 0)
            markDirty(uri)
        case "textDocument/didChange":
            guard let d = p["textDocument"] as? [String: Any], let uri = d["uri"] as? String, var doc = documents[uri],
                  let changes = p["contentChanges"] as? [[String: Any]] else { return }
            for c in changes { try? doc.apply(c) }
            doc.version = (d["version"] as? NSNumber)?.intValue ?? doc.version + 1
            documents[uri] = doc
            markDirty(uri)
        case "textDocument/didClose":
            guard let d = p["textDocument"] as? [String: Any], let uri = d["uri"] as? String else { return }
            documents[uri] = nil
            analyses[uri] = nil
            dirty.removeAll { $0 == uri }
            notify("textDocument/publishDiagnostics", ["uri": uri, "diagnostics": []])
        case "textDocument/didSave": return
        default: return   // unknown notifications are ignored, as the protocol asks
        }
    }

    static let capabilities: [String: Any] = [
        "positionEncoding": "utf-16",
        "textDocumentSync": ["openClose": true, "change": 2, "save": false],
        "hoverProvider": true,
        "inlayHintProvider": true,
        "documentSymbolProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "documentFormattingProvider": true,
        "renameProvider": true,
        "completionProvider": ["triggerCharacters": [".", "\"", "/"]],
    ]

    // MARK: output

    private func write(_ message: [String: Any]) {
        var m = message
        m["jsonrpc"] = "2.0"
        guard let body = try? JSONSerialization.data(withJSONObject: m, options: [.withoutEscapingSlashes]) else { return }
        send(FrameParser.frame(body))
    }

    private func respond(id: Any, result: Any) { write(["id": id, "result": result]) }

    private func respondError(id: Any, _ code: RPCError, _ message: String) {
        write(["id": id, "error": ["code": code.rawValue, "message": message]])
    }

    private func notify(_ method: String, _ params: [String: Any]) { write(["method": method, "params": params]) }

    // MARK: analysis

    private func markDirty(_ uri: String) { if !dirty.contains(uri) { dirty.append(uri) } }

    /// Publishes diagnostics for every document changed since the last time.
    public func publishDirty() {
        let uris = dirty
        dirty.removeAll()
        for uri in uris {
            guard let doc = documents[uri] else { continue }
            let a = analysis(uri)
            notify("textDocument/publishDiagnostics",
                   ["uri": uri, "version": doc.version, "diagnostics": (a?.diagnostics ?? []).map { lspDiagnostic($0, in: doc) }])
        }
    }

    /// The document's analysis at its current version (computed once per version).
    func analysis(_ uri: String) -> Analysis? {
        guard let doc = documents[uri] else { return nil }
        if let cached = analyses[uri], cached.version == doc.version { return cached.analysis }
        let a = Analysis(doc, interpreter: interpreter, notebookSessions: notebookSessions)
        analyses[uri] = (doc.version, a)
        return a
    }

    // What the feature code reads (Analysis.swift).
    var interpreterRegistry: BuiltinRegistry { interpreter.registry }
    func interpreterNet(_ name: String) -> NetValue? { interpreter.netWithDefaults(name) }
    func interpreterDeclaration(_ name: String) -> SourceRange? { interpreter.netDeclaration(name) }
    func interpreterResolve(_ path: String, from file: SourceFile) -> String? { interpreter.resolveImport(path, from: file) }
    func interpreterComplete(_ before: String) -> Completion { interpreter.complete(before) }
    var openDocuments: [TextDocument] { Array(documents.values) }
    func documentsByPath(_ path: String) -> TextDocument? { documents.values.first { $0.path == path } }
    func documentFor(_ p: [String: Any]) throws -> TextDocument { try document(p) }
    func positionFor(_ p: [String: Any]) throws -> Position { try position(p) }

    private func document(_ p: [String: Any]) throws -> TextDocument {
        guard let d = p["textDocument"] as? [String: Any], let uri = d["uri"] as? String else {
            throw LSPError(.invalidParams, "textDocument.uri is missing")
        }
        guard let doc = documents[uri] else { throw LSPError(.invalidParams, "\(uri) is not open") }
        return doc
    }

    private func position(_ p: [String: Any]) throws -> Position {
        guard let pos = Position(p["position"]) else { throw LSPError(.invalidParams, "position is missing or malformed") }
        return pos
    }

    func range(_ r: SourceRange, in doc: TextDocument) -> [String: Any] {
        ["start": lspPosition(r.file, r.start, in: doc).json, "end": lspPosition(r.file, r.end, in: doc).json]
    }

    /// A byte offset of `file` (which may be a notebook cell whose lines are the notebook's) as a
    /// position in `doc`.
    func lspPosition(_ file: SourceFile, _ offset: Int, in doc: TextDocument) -> Position {
        let (line, column) = file.location(of: offset)
        let text = doc.line(line - 1)
        let prefix = String(text.prefix(max(0, column - 1)))
        return Position(line: max(0, line - 1), character: prefix.utf16.count)
    }

    private func lspDiagnostic(_ d: Diagnostic, in doc: TextDocument) -> [String: Any] {
        var message = d.message
        if let hint = d.hint { message += "\nhint: \(hint)" }
        var where_ = d.range
        // A problem in an imported file is shown at this file's import line; one in a net defined
        // elsewhere, at the statement here that reached it.
        if let top = d.importedFrom.last {
            message = "in \(d.range): \(message)"
            where_ = top
        } else if let here = d.reachedFrom {
            message = "in \(d.range): \(message)"
            where_ = here
        }
        let severity: Int
        switch d.severity {
        case .error: severity = 1
        case .warning: severity = 2
        case .note: severity = 3
        }
        return ["range": range(where_, in: doc), "severity": severity, "source": "facet", "message": message]
    }
}
