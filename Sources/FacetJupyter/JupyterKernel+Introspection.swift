import Foundation

// MARK: complete_request, inspect_request, is_complete_request, history_request

extension JupyterKernel {
    /// complete_reply: the interpreter's completions at the cursor.
    func complete(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let cursor = min(max(0, content["cursor_pos"] as? Int ?? code.unicodeScalars.count), code.unicodeScalars.count)
        let completion = interpreter.complete(code, cursor: cursor)
        return ["status": "ok", "matches": completion.matches, "cursor_start": completion.start, "cursor_end": cursor,
                "metadata": [String: Any]()]
    }

    /// inspect_reply: the interpreter's help for the word at the cursor.
    func inspect(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let cursor = min(max(0, content["cursor_pos"] as? Int ?? code.unicodeScalars.count), code.unicodeScalars.count)
        guard let text = interpreter.inspect(code, cursor: cursor) else {
            return ["status": "ok", "found": false, "data": [String: Any](), "metadata": [String: Any]()]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": text], "metadata": [String: Any]()]
    }

    /// is_complete_reply: incomplete input comes with the indent to continue with.
    func isComplete(_ content: [String: Any]) -> [String: Any] {
        switch interpreter.isComplete(content["code"] as? String ?? "") {
        case .complete: return ["status": "complete"]
        case let .incomplete(indent): return ["status": "incomplete", "indent": indent]
        case .invalid: return ["status": "invalid"]
        case .unknown: return ["status": "unknown"]
        }
    }

    /// This kernel's inputs as (session, line, input) triples — (session, line, [input, output])
    /// with `output` (no output is kept: it is null) — by `tail`, `range` or glob `search`.
    func historyReply(_ content: [String: Any]) -> [String: Any] {
        var rows = history
        switch content["hist_access_type"] as? String {
        case "range":
            let start = content["start"] as? Int ?? 0, stop = content["stop"] as? Int ?? Int.max
            rows = rows.filter { $0.0 >= start && $0.0 < stop }
        case "search":
            let pattern = content["pattern"] as? String ?? "*"
            rows = rows.filter { fnmatch(pattern, $0.1, 0) == 0 }
            if content["unique"] as? Bool == true {
                var seen = Set<String>()
                rows = rows.reversed().filter { seen.insert($0.1).inserted }.reversed()
            }
        default: break
        }
        if content["hist_access_type"] as? String != "range", let n = content["n"] as? Int { rows = Array(rows.suffix(max(0, n))) }
        let withOutput = content["output"] as? Bool ?? false
        return ["status": "ok", "history": rows.map { [0, $0.0, withOutput ? [$0.1, NSNull()] : $0.1] as [Any] }]
    }
}
