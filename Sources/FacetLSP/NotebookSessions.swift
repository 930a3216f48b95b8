import FacetNotebook
import FacetSession
import FacetLang
import Foundation

/// The sessions that check notebooks' cells, one per front matter, made once and reused while
/// the cells are edited. Making a session loads the stdlib, and a session's globals outlive it (a
/// net holds the scope it was defined in), so a session per edit would make a long-running
/// server grow with every keystroke in a notebook.
public final class NotebookSessions {
    /// How many front matters are kept (the oldest goes first).
    public static let capacity = 8
    private var sessions: [String: Result<Session, Error>] = [:]
    private var order: [String] = []

    public init() {}

    /// How many sessions are kept.
    public var count: Int { sessions.count }

    /// A session with the notebook's `params` defined as globals, as `NotebookRunner` binds them
    /// for `facet check`; the same failure when they do not evaluate to a record.
    func session(for notebook: Notebook) throws -> Session {
        let key = "\(notebook.path)\n\(notebook.params?.line ?? 0)\n\(notebook.params?.text ?? "")"
        if let made = sessions[key] { return try made.get() }
        let made = Result { try Self.make(notebook) }
        sessions[key] = made
        order.append(key)
        if order.count > Self.capacity { sessions[order.removeFirst()] = nil }
        return try made.get()
    }

    private static func make(_ notebook: Notebook) throws -> Session {
        let session = try Session(progress: .quiet)
        session.sink = { _ in }
        guard let params = notebook.params else { return session }
        let value = try session.run(params.text, name: notebook.path + " (params)", firstLine: params.line)
        guard case let .record(record) = value else {
            throw ParamsNotARecord(line: params.line, message: "`params` must be a record such as { epochs: 50 }, got \(value.typeName)")
        }
        for field in record.fields { session.interpreter.globals.define(field.name, field.value) }
        return session
    }
}

/// A notebook whose `params` is not a record: an error at the front matter's `params:` line.
struct ParamsNotARecord: Error {
    let line: Int
    let message: String
}
