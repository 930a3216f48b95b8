import FacetLang
import Foundation

/// What completes the text before a cursor — the one rule every front end asks (the REPL's Tab,
/// the Jupyter kernel's `complete_request`, a language server):
///
/// - a name: session variables and nets, builtins, keywords, layer, head and option words;
/// - after `value.`: that value's members (record fields, a net's or a run's fields, ...);
/// - at an argument of a call: the callee's parameter names as labels (`epochs:`), then names;
/// - inside a string where a path is expected (`import "`, a `path` argument): file names.
///
/// Read from the lexer's tokens, so strings and comments are seen as the parser sees them.
/// Offsets count Unicode scalars, as Jupyter's `cursor_pos` does.
public struct Completion: Equatable, Sendable {
    /// Where the text that a match replaces starts; it ends at the cursor.
    public var start: Int
    /// Replacements for the text from `start` to the cursor, in the order to offer them.
    public var matches: [String]

    public init(start: Int, matches: [String]) { self.start = start; self.matches = matches }
}

extension Interpreter {
    /// Completions at `cursor` (Unicode scalars into `code`; default: its end).
    ///
    ///     complete("faces.te")          // start 6, ["test"]
    ///     complete("train(m, d, epo")   // start 12, ["epochs:"]
    ///     complete("load(\"mod")        // start 6, ["models/"] when that folder exists
    public func complete(_ code: String, cursor: Int? = nil) -> Completion {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(0, cursor ?? scalars.count), scalars.count)
        let before = String(String.UnicodeScalarView(scalars[..<cursor]))
        let bytes = Array(before.utf8)
        // Byte offsets (the lexer's) back to scalar offsets.
        func scalarOffset(_ byte: Int) -> Int { String(decoding: bytes[..<byte], as: UTF8.self).unicodeScalars.count }

        let tokens = tokenizeLeniently(SourceFile(name: "<completion>", text: before))
            .filter { $0.kind != .eof && $0.kind != .newline }
        let last = tokens.last
        let lastEnd = last?.range.end ?? 0
        // In a comment: nothing to complete.
        if bytes[lastEnd...].contains(UInt8(ascii: "#")) { return Completion(start: cursor, matches: []) }

        // Inside a string that is still open at the cursor.
        if let last, case let .string(text) = last.kind, lastEnd == bytes.count, Self.isOpenString(last) {
            guard expectsPath(tokens, stringAt: tokens.count - 1) else { return Completion(start: cursor, matches: []) }
            let (folder, matches) = Self.pathCompletions(text)
            return Completion(start: scalarOffset(last.range.start + 1) + folder.unicodeScalars.count, matches: matches)
        }

        // The word the cursor ends (an identifier or a keyword being typed), if any.
        var word = "", wordIndex = tokens.count
        if let last, lastEnd == bytes.count {
            switch last.kind {
            case let .identifier(s): word = s; wordIndex = tokens.count - 1
            case let .keyword(k): word = k.rawValue; wordIndex = tokens.count - 1
            default: break
            }
        }
        let start = cursor - word.unicodeScalars.count

        // After `owner.`: the owner's members.
        if wordIndex > 0, tokens[wordIndex - 1].isSymbol(.dot), tokens[wordIndex - 1].range.end == (wordIndex < tokens.count ? tokens[wordIndex].range.start : bytes.count) {
            let members = value(ofChainEndingAt: wordIndex - 2, in: tokens).map(memberNames) ?? []
            return Completion(start: start, matches: members.filter { $0.hasPrefix(word) }.sorted())
        }

        // At an argument of a call: its parameters as labels first.
        var labels: [String] = []
        if let call = openCall(tokens, before: wordIndex), Self.startsArgument(tokens, at: wordIndex, call: call.paren) {
            labels = call.parameters.map { $0 + ":" }.filter { $0.hasPrefix(word) }
        }
        return Completion(start: start, matches: labels + completions(word))
    }

    /// Names that complete `prefix`: session variables and nets, builtins, keywords and layer,
    /// head and option words (from the layer catalog), sorted and without duplicates.
    public func completions(_ prefix: String) -> [String] {
        let words = globals.allNames.union(registry.names).union(Keyword.allCases.map(\.rawValue))
            .union(layerWords)
        return words.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The members `value.` offers.
    public func memberNames(_ value: Value) -> [String] {
        switch value {
        case let .record(r): return r.fields.map(\.name)
        case let .foreign(f): return f.memberNames
        case .net, .netDefinition: return Self.netMemberNames
        default: return []
        }
    }

    // MARK: reading the tokens

    /// The value of `a.b.c` ending at token `index`, from the session (members read as the
    /// interpreter reads them); nil for anything but a chain of names.
    func value(ofChainEndingAt index: Int, in tokens: [Token]) -> Value? {
        var names: [String] = [], i = index
        while i >= 0, let name = tokens[i].identifier {
            names.insert(name, at: 0)
            guard i >= 2, tokens[i - 1].isSymbol(.dot) else { break }
            i -= 2
        }
        guard let first = names.first, var value = globals.lookup(first) ?? registry[first].map(Value.builtin) else { return nil }
        let range = tokens[index].range
        for name in names.dropFirst() {
            guard let next = try? member(value, name, range) else { return nil }
            value = next
        }
        return value
    }

    /// The innermost call whose `(` is still open before token `index`: its parenthesis and its
    /// callee's parameter names (a builtin's, or a `net` definition's).
    func openCall(_ tokens: [Token], before index: Int) -> (paren: Int, parameters: [String])? {
        var open: [Int] = []
        for (i, t) in tokens[..<index].enumerated() {
            guard case let .symbol(s) = t.kind else { continue }
            switch s {
            case .lparen, .lbracket, .lbrace: open.append(i)
            case .rparen, .rbracket, .rbrace: _ = open.popLast()
            default: break
            }
        }
        guard let paren = open.last, tokens[paren].isSymbol(.lparen), paren > 0,
              let callee = value(ofChainEndingAt: paren - 1, in: tokens) else { return nil }
        switch callee {
        case let .builtin(b): return (paren, b.parameters.filter { !$0.variadic }.map(\.name))
        case let .netDefinition(d): return (paren, d.parameterNames)
        default: return nil
        }
    }

    /// Whether token `index` begins an argument of the call opened at `paren` (right after the
    /// `(` or a `,` of that call).
    static func startsArgument(_ tokens: [Token], at index: Int, call paren: Int) -> Bool {
        guard index > 0 else { return false }
        let previous = tokens[index - 1]
        return index - 1 == paren || previous.isSymbol(.comma) && depth(tokens, from: paren, to: index - 1) == 1
    }

    /// Brackets open between token `from` (an opening one) and token `to`.
    static func depth(_ tokens: [Token], from: Int, to: Int) -> Int {
        var depth = 0
        for t in tokens[from..<to] {
            if t.isSymbol(.lparen) || t.isSymbol(.lbracket) || t.isSymbol(.lbrace) { depth += 1 }
            if t.isSymbol(.rparen) || t.isSymbol(.rbracket) || t.isSymbol(.rbrace) { depth -= 1 }
        }
        return depth
    }

    /// A string token the cursor is still inside: its closing quote is missing.
    static func isOpenString(_ token: Token) -> Bool {
        let text = token.range.text
        guard text.count >= 2, text.hasSuffix("\"") else { return true }
        // `"a\"` ends in an escaped quote: still open.
        let backslashes = text.dropLast().reversed().prefix { $0 == "\\" }.count
        return backslashes % 2 == 1
    }

    /// Whether the string at token `index` is where a path goes: after `import`, or as a call's
    /// argument whose parameter is a path (`path`, `file`, `folder`; `save(run, "`).
    func expectsPath(_ tokens: [Token], stringAt index: Int) -> Bool {
        guard index > 0 else { return false }
        if tokens[index - 1].isKeyword(.import) { return true }
        var labelled: String?
        var argumentStart = index
        if index >= 2, tokens[index - 1].isSymbol(.colon), let label = tokens[index - 2].identifier {
            labelled = label
            argumentStart = index - 2
        }
        guard let call = openCall(tokens, before: argumentStart),
              Self.startsArgument(tokens, at: argumentStart, call: call.paren) else { return false }
        let name: String
        if let labelled {
            name = labelled
        } else {
            // Positional: count the call's commas at its own depth.
            var position = 0
            for i in (call.paren + 1)..<argumentStart where tokens[i].isSymbol(.comma)
                && Self.depth(tokens, from: call.paren, to: i) == 1 {
                position += 1
            }
            guard position < call.parameters.count else { return false }
            name = call.parameters[position]
        }
        return Self.pathParameters.contains(name)
    }

    /// Parameter names that take a file or folder.
    static let pathParameters: Set<String> = ["path", "file", "folder", "directory"]

    /// Entries of the folder a partial path names (relative to the working folder), whose names
    /// start with its last part; folders end in `/`. Hidden entries only when the part starts with
    /// a dot. Returns the folder part (kept as typed) and the completed last parts.
    public static func pathCompletions(_ partial: String) -> (folder: String, matches: [String]) {
        let folder = partial.range(of: "/", options: .backwards).map { String(partial[..<$0.upperBound]) } ?? ""
        let stem = String(partial.dropFirst(folder.count))
        var directory = folder.isEmpty ? "." : folder
        if directory.hasPrefix("~") { directory = (directory as NSString).expandingTildeInPath }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return (folder, []) }
        let matches = names.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.map { name in
            var isFolder: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue ? name + "/" : name
        }
        return (folder, matches.sorted())
    }
}
