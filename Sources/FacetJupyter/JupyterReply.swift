import Foundation

/// What the kernel answers on the shell or control socket, typed; `content` is the one place its
/// protocol JSON is spelled out.
enum JupyterReply {
    case kernelInfo([String: Any])
    case executed(count: Int)
    case executeFailed(count: Int, ExecuteOutcome.Failure)
    /// A queued cell skipped after an earlier one failed.
    case aborted
    case completions(matches: [String], start: Int, end: Int)
    /// Help for the word at the cursor, nil when there is none.
    case inspection(String?)
    case completeness(CodeCompleteness)
    case history([(count: Int, code: String)], withOutput: Bool)
    case commInfo
    case interrupted
    case shuttingDown(restart: Bool)

    var content: [String: Any] {
        let none = [String: Any]()
        switch self {
        case var .kernelInfo(info):
            info["status"] = "ok"
            return info
        case let .executed(count):
            return ["status": "ok", "execution_count": count, "payload": [Any](), "user_expressions": none]
        case let .executeFailed(count, f):
            return ["status": "error", "execution_count": count, "ename": f.name, "evalue": f.value, "traceback": f.traceback]
        case .aborted:
            // ipykernel's aborted reply is `{"status": "aborted"}` alone: with an execution_count
            // JupyterLab would show the failed cell's number on every skipped cell, as if it had run.
            return ["status": "aborted"]
        case let .completions(matches, start, end):
            return ["status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": none]
        case let .inspection(text):
            guard let text else { return ["status": "ok", "found": false, "data": none, "metadata": none] }
            return ["status": "ok", "found": true, "data": ["text/plain": text], "metadata": none]
        case let .completeness(c):
            switch c {
            case .complete: return ["status": "complete"]
            case let .incomplete(indent): return ["status": "incomplete", "indent": indent]
            case .invalid: return ["status": "invalid"]
            case .unknown: return ["status": "unknown"]
            }
        case let .history(rows, withOutput):
            // (session, line, input), or (session, line, [input, output]) with `output`; session 0
            // is this kernel's own.
            return ["status": "ok", "history": rows.map { [0, $0.count, withOutput ? [$0.code, NSNull()] : $0.code] as [Any] }]
        case .commInfo:
            return ["status": "ok", "comms": none]
        case .interrupted:
            return ["status": "ok"]
        case let .shuttingDown(restart):
            return ["status": "ok", "restart": restart]
        }
    }
}

/// What the kernel publishes on iopub, typed; `type` and `content` spell out the protocol's.
enum IOPubMessage {
    enum State: String { case starting, busy, idle }
    case status(State)
    case executeInput(code: String, count: Int)
    case stream(name: String, text: String)
    case executeResult(count: Int, text: String)
    /// A display_data, or with `update` an update_display_data of display `id`.
    case display(data: [String: Any], metadata: [String: Any], id: String?, update: Bool)
    case error(ExecuteOutcome.Failure)

    var type: String {
        switch self {
        case .status: return "status"
        case .executeInput: return "execute_input"
        case .stream: return "stream"
        case .executeResult: return "execute_result"
        case let .display(_, _, _, update): return update ? "update_display_data" : "display_data"
        case .error: return "error"
        }
    }

    var content: [String: Any] {
        switch self {
        case let .status(state):
            return ["execution_state": state.rawValue]
        case let .executeInput(code, count):
            return ["code": code, "execution_count": count]
        case let .stream(name, text):
            return ["name": name, "text": text]
        case let .executeResult(count, text):
            return ["execution_count": count, "data": ["text/plain": text], "metadata": [String: Any]()]
        case let .display(data, metadata, id, _):
            return ["data": data, "metadata": metadata, "transient": id.map { ["display_id": $0] } ?? [String: Any]()]
        case let .error(f):
            return ["ename": f.name, "evalue": f.value, "traceback": f.traceback]
        }
    }
}
