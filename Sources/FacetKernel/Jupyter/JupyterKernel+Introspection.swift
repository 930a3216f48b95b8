import FacetLang
import Foundation

// MARK: complete_request, inspect_request, is_complete_request, history_request

extension JupyterKernel {
    /// Completion from the language's one source (`Interpreter.complete`, which the REPL's Tab asks
    /// too): names, members after `name.`, a call's parameter labels, paths inside path strings.
    func complete(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let cursor = min(max(0, content["cursor_pos"] as? Int ?? code.unicodeScalars.count), code.unicodeScalars.count)
        let completion = session.interpreter.complete(code, cursor: cursor)
        return ["status": "ok", "matches": completion.matches, "cursor_start": completion.start, "cursor_end": cursor,
                "metadata": [String: Any]()]
    }

    /// A builtin's signature and documentation; a net's canonical text and layer table; another
    /// variable's type and value.
    func inspect(_ content: [String: Any]) -> [String: Any] {
        let code = Array((content["code"] as? String ?? "").unicodeScalars)
        let cursor = min(max(0, content["cursor_pos"] as? Int ?? code.count), code.count)
        let (start, end) = Self.word(in: code, at: cursor)
        let name = String(String.UnicodeScalarView(code[start..<end]))
        var text: String?
        switch session.interpreter.globals.lookup(name) {
        case let .net(n)?:
            let file = SourceFile(name: "<inspect>", text: name)
            let table = (try? summaryTable(n, at: SourceRange(file: file, start: 0, end: name.utf8.count))) ?? ""
            text = n.text + (table.isEmpty ? "" : "\n\n" + table)
        case let .netDefinition(d)?: text = "net \(d.signature)\nCall it (e.g. `summary \(d.name)()`) to see its layers and shapes."
        case let .builtin(b)?: text = "\(b.signature)\n    \(b.doc)"
        case let v?: text = "\(name): \(v.typeName) = \(v.repr)"
        case nil:
            if let b = session.interpreter.registry[name] { text = "\(b.signature)\n    \(b.doc)" }
        }
        guard let text, !name.isEmpty else {
            return ["status": "ok", "found": false, "data": [String: Any](), "metadata": [String: Any]()]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": text], "metadata": [String: Any]()]
    }

    /// From the lexer (`InputStatus`): open brackets → incomplete, with two spaces of indent.
    func isComplete(_ content: [String: Any]) -> [String: Any] {
        let status = InputStatus(of: content["code"] as? String ?? "")
        return status == .incomplete ? ["status": "incomplete", "indent": "  "] : ["status": status.rawValue]
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

    /// The identifier around `cursor` (letters, digits, `_`): its start and end.
    static func word(in code: [Unicode.Scalar], at cursor: Int) -> (Int, Int) {
        func isWord(_ c: Unicode.Scalar) -> Bool { c == "_" || CharacterSet.alphanumerics.contains(c) }
        var start = cursor, end = cursor
        while start > 0, isWord(code[start - 1]) { start -= 1 }
        while end < code.count, isWord(code[end]) { end += 1 }
        return (start, end)
    }
}
