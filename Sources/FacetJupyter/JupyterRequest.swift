import Foundation

/// A request on the shell or control socket, read once from its message: the kernel dispatches on
/// this and its fields, never on message-type strings or untyped content. Missing or mistyped
/// fields take the protocol's defaults, as ipykernel's do.
enum JupyterRequest {
    case kernelInfo
    case execute(ExecuteRequest)
    case complete(CodeAtCursor)
    case inspect(CodeAtCursor)
    case isComplete(code: String)
    case history(HistoryRequest)
    case commInfo
    case interrupt
    case shutdown(restart: Bool)
    /// A request this kernel does not implement (debug_request, comm messages): no reply, as the
    /// protocol allows; a front end then treats the feature as absent.
    case unsupported(type: String)

    init(_ message: JupyterMessage) {
        let content = message.content
        switch message.type {
        case "kernel_info_request": self = .kernelInfo
        case "execute_request": self = .execute(ExecuteRequest(content: content))
        case "complete_request": self = .complete(CodeAtCursor(content))
        case "inspect_request": self = .inspect(CodeAtCursor(content))
        case "is_complete_request": self = .isComplete(code: content["code"] as? String ?? "")
        case "history_request": self = .history(HistoryRequest(content))
        case "comm_info_request": self = .commInfo
        case "interrupt_request": self = .interrupt
        case "shutdown_request": self = .shutdown(restart: content["restart"] as? Bool ?? false)
        default: self = .unsupported(type: message.type)
        }
    }
}

/// Code and a cursor in it (complete_request, inspect_request). The cursor counts Unicode scalars,
/// as the protocol's `cursor_pos` does; it is kept inside the code, and is its end when absent.
struct CodeAtCursor: Equatable {
    var code: String
    var cursor: Int

    init(code: String, cursor: Int?) {
        self.code = code
        let end = code.unicodeScalars.count
        self.cursor = min(max(0, cursor ?? end), end)
    }

    init(_ content: [String: Any]) {
        self.init(code: content["code"] as? String ?? "", cursor: content["cursor_pos"] as? Int)
    }
}

/// A history_request: which inputs, and whether each comes with its output (none is kept: null).
struct HistoryRequest: Equatable {
    enum Access: Equatable {
        /// The last `n` inputs (all when nil).
        case tail(n: Int?)
        /// Execution counts from `start` up to, not including, `stop`.
        case range(start: Int, stop: Int)
        /// Inputs matching a glob; with `unique`, each text once (its latest); then the last `n`.
        case search(pattern: String, unique: Bool, n: Int?)
    }
    var access: Access
    var output: Bool

    init(access: Access, output: Bool = false) { self.access = access; self.output = output }

    init(_ content: [String: Any]) {
        let n = content["n"] as? Int
        switch content["hist_access_type"] as? String {
        case "range": access = .range(start: content["start"] as? Int ?? 0, stop: content["stop"] as? Int ?? Int.max)
        case "search": access = .search(pattern: content["pattern"] as? String ?? "*", unique: content["unique"] as? Bool ?? false, n: n)
        default: access = .tail(n: n)
        }
        output = content["output"] as? Bool ?? false
    }

    /// The rows of `history` (execution count, input) this request asks for, oldest first.
    func select(from history: [(count: Int, code: String)]) -> [(count: Int, code: String)] {
        switch access {
        case let .tail(n):
            return n.map { Array(history.suffix(max(0, $0))) } ?? history
        case let .range(start, stop):
            return history.filter { $0.count >= start && $0.count < stop }
        case let .search(pattern, unique, n):
            var rows = history.filter { fnmatch(pattern, $0.code, 0) == 0 }
            if unique {
                var seen = Set<String>()
                rows = rows.reversed().filter { seen.insert($0.code).inserted }.reversed()
            }
            return n.map { Array(rows.suffix(max(0, $0))) } ?? rows
        }
    }
}
