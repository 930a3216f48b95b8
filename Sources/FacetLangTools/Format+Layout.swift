import FacetLang

/// Lays out tokens and comments as canonical lines (the rules are listed on `Format`). Works on
/// the token stream, so every token and comment keeps its order; the parser's `LayoutMarks`
/// say what spacing alone cannot (unary `-`, size `x`, blocks versus records).
struct LineLayout {
    enum Item {
        case token(Token)
        case semicolon
        case comment(SourceRange)
    }

    struct Line {
        var indent = 0
        var text = ""
        var comment: String?
        var ownComment = false
        var blankBefore = false
        /// Ends with a block `{` whose body goes on the next lines.
        var opensBlock = false
        /// Starts with the `}` of such a block.
        var closesBlock = false
        var netStart = false
        var netEnd = false
    }

    /// An open bracket or block on the way down.
    struct Open {
        let offset: Int
        let isBlock: Bool
        let column: Int
        let lineIndent: Int
        var endsLine = false
    }

    let items: [Item]
    /// The tokens without newlines, and each one's index by its offset (to look at neighbours).
    let tokenList: [Token]
    let tokenIndex: [Int: Int]
    let marks: LayoutMarks
    let topNetStarts: Set<Int>
    let topNetCloses: Set<Int>
    /// Blocks written on one line with at most one statement: they stay on their line.
    let inlineOpens: Set<Int>
    let inlineCloses: Set<Int>

    init(tokens: [Token], comments: [SourceRange], marks: LayoutMarks, program: [Stmt]) {
        var items: [(Int, Item)] = comments.map { ($0.start, .comment($0)) }
        for t in tokens {
            switch t.kind {
            case .eof: continue
            case .newline: if t.range.text == ";" { items.append((t.range.start, .semicolon)) }
            default: items.append((t.range.start, .token(t)))
            }
        }
        self.items = items.sorted { $0.0 < $1.0 }.map(\.1)
        tokenList = tokens.filter { $0.kind != .newline && $0.kind != .eof }
        tokenIndex = Dictionary(uniqueKeysWithValues: tokenList.enumerated().map { ($1.range.start, $0) })
        self.marks = marks
        var starts: Set<Int> = [], closes: Set<Int> = []
        for stmt in program { if case .net = stmt.kind { starts.insert(stmt.range.start); closes.insert(stmt.range.end - 1) } }
        topNetStarts = starts; topNetCloses = closes
        var opens: Set<Int> = [], inlineCloses: Set<Int> = []
        let file = tokens.first?.range.file
        for (open, block) in marks.blocks where block.statements <= 1 {
            if let file, file.localLocation(of: open).line == file.localLocation(of: block.close).line {
                opens.insert(open); inlineCloses.insert(block.close)
            }
        }
        inlineOpens = opens; self.inlineCloses = inlineCloses
    }

    // MARK: Lines

    func text() -> String {
        var lines: [Line] = []
        var stack: [Open] = []
        var previous: Token?          // the last token placed, on this line or an earlier one
        var previousOnLine = false    // whether `previous` is on the current line
        var previousLine = -1         // source line of the last item
        var breakNext = false
        var lastWasOpen = false

        /// Before a new line's indent is worked out: a bracket that was the last token ends its line.
        func endLine() {
            if lastWasOpen, !stack.isEmpty { stack[stack.count - 1].endsLine = true }
            lastWasOpen = false
        }
        func startLine(blank: Bool, indent: Int) {
            lines.append(Line(indent: indent, blankBefore: blank))
            previousOnLine = false
        }

        for (n, item) in items.enumerated() {
            switch item {
            case .semicolon:
                breakNext = true
            case let .comment(r):
                let line = r.file.localLocation(of: r.start).line
                let text = String(r.text.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
                if !lines.isEmpty, line == previousLine {
                    lines[lines.count - 1].comment = text
                } else {
                    endLine()
                    let next = items[(n + 1)...].lazy.compactMap { if case let .token(t) = $0 { t } else { nil } }.first
                    startLine(blank: previousLine >= 0 && line > previousLine + 1,
                              indent: indent(for: next, closing: false, stack: stack, after: previous))
                    lines[lines.count - 1].text = text
                    lines[lines.count - 1].ownComment = true
                    breakNext = false
                }
                previousLine = line
            case let .token(t):
                if marks.headCommas.contains(t.range.start) { continue }
                let line = t.range.file.localLocation(of: t.range.start).line
                let closing = isCloser(t)
                let newLine = lines.isEmpty || !previousOnLine || line != previousLine || breakNext
                    || (previous.map { isBlockOpen($0) && !inlineOpens.contains($0.range.start) } ?? false)
                    || (closing && marks.blockCloses[t.range.start] != nil && !inlineCloses.contains(t.range.start))
                    || (marks.headEntries.contains(t.range.start) && !inlineOpens.contains(stack.last?.offset ?? -1))
                if newLine {
                    endLine()
                    startLine(blank: previousLine >= 0 && line > previousLine + 1,
                              indent: indent(for: t, closing: closing, stack: stack, after: previous))
                    breakNext = false
                } else if let p = previous {
                    lines[lines.count - 1].text += separator(p, t)
                }
                var current = lines[lines.count - 1]
                if closing, !stack.isEmpty { stack.removeLast() }
                if current.text.isEmpty, marks.blockCloses[t.range.start] != nil, !inlineCloses.contains(t.range.start) {
                    current.closesBlock = true
                }
                let column = current.indent + current.text.count
                current.text += t.range.text
                if topNetStarts.contains(t.range.start) && stack.isEmpty { current.netStart = true }
                if topNetCloses.contains(t.range.start) && stack.isEmpty { current.netEnd = true }
                lastWasOpen = isOpener(t)
                if lastWasOpen {
                    let block = isBlockOpen(t)
                    // A block's body indents from its statement's level, wherever its `{` ends up.
                    let level = block ? stack.last { $0.isBlock }.map { $0.lineIndent + 2 } ?? 0 : current.indent
                    stack.append(Open(offset: t.range.start, isBlock: block, column: column, lineIndent: level))
                    if block && !inlineOpens.contains(t.range.start) { current.opensBlock = true }
                }
                lines[lines.count - 1] = current
                previous = t
                previousOnLine = true
                previousLine = line
            }
        }
        return render(blankLines(lines))
    }

    /// Where a new line starts: after the innermost open block (two more than the line that
    /// opened it), aligned after an open bracket with text after it on its line, or two more
    /// than such a bracket's line when it ends its line. A closer goes back to its opener's line.
    /// A pipeline or an operator continued on the next line indents two more.
    func indent(for t: Token?, closing: Bool, stack: [Open], after previous: Token?) -> Int {
        guard let top = stack.last else { return continues(t, after: previous) ? 2 : 0 }
        if closing { return top.lineIndent }
        if top.isBlock || top.endsLine {
            return top.lineIndent + 2 + (top.isBlock && continues(t, after: previous) ? 2 : 0)
        }
        return top.column + 1
    }

    func continues(_ t: Token?, after previous: Token?) -> Bool {
        if t?.isSymbol(.pipe) == true { return true }
        guard let p = previous else { return false }
        if p.isKeyword(.and) || p.isKeyword(.or) { return true }
        guard case let .symbol(s) = p.kind else { return false }
        let binary: Set<Symbol> = [.plus, .star, .slash, .percent, .equal, .notEqual, .less, .lessEqual,
                                   .greater, .greaterEqual, .pipe]
        return binary.contains(s) || (s == .minus && !marks.unaryMinus.contains(p.range.start))
    }

    // MARK: Spacing within a line

    func separator(_ p: Token, _ t: Token) -> String {
        if t.isSymbol(.comma) || t.isSymbol(.rparen) || t.isSymbol(.rbracket) || t.isSymbol(.colon) { return "" }
        if t.isSymbol(.rbrace) {
            guard let open = marks.blockCloses[t.range.start] else { return "" }   // a record: `{a: 1}`
            return p.range.start == open ? "" : " "
        }
        if p.isSymbol(.lparen) || p.isSymbol(.lbracket) { return "" }
        if p.isSymbol(.lbrace) { return isBlockOpen(p) ? " " : "" }
        for s in [Symbol.dot, .dotdot, .dotdotless] where p.isSymbol(s) || t.isSymbol(s) { return "" }
        if p.isSymbol(.minus), marks.unaryMinus.contains(p.range.start) { return "" }
        // `5x5` between numbers, `k x k` otherwise.
        if isTightSize(t) || isTightSize(p) { return "" }
        // `f(x)` is a call and `f (x)` a command with an argument: keep what was written.
        if t.isSymbol(.lparen) || t.isSymbol(.lbracket) || (t.isSymbol(.lbrace) && !isBlockOpen(t)), endsExpression(p) {
            return t.spaceBefore ? " " : ""
        }
        return " "
    }

    /// A size `x` with a number on each side.
    func isTightSize(_ t: Token) -> Bool {
        guard marks.sizeSeparators.contains(t.range.start), let i = tokenIndex[t.range.start],
              i > 0, i + 1 < tokenList.count else { return false }
        if case .number = tokenList[i - 1].kind, case .number = tokenList[i + 1].kind { return true }
        return false
    }

    func endsExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier, .number, .string: return true
        case .keyword(let k): return [.true, .false, .none].contains(k)
        case .symbol(let s): return [.rparen, .rbracket, .rbrace].contains(s)
        default: return false
        }
    }

    func isOpener(_ t: Token) -> Bool { t.isSymbol(.lparen) || t.isSymbol(.lbracket) || t.isSymbol(.lbrace) }
    func isCloser(_ t: Token) -> Bool { t.isSymbol(.rparen) || t.isSymbol(.rbracket) || t.isSymbol(.rbrace) }
    func isBlockOpen(_ t: Token) -> Bool { t.isSymbol(.lbrace) && marks.blocks[t.range.start] != nil }

    // MARK: Blank lines and output

    /// At most one blank line, none at the start or end of a block or the text, one around
    /// every top-level net (before the comments right above it).
    func blankLines(_ input: [Line]) -> [Line] {
        var lines = input
        for i in lines.indices {
            if i == 0 || lines[i - 1].opensBlock || lines[i].closesBlock { lines[i].blankBefore = false }
        }
        for k in lines.indices where lines[k].netStart {
            var j = k
            while j > 0, lines[j - 1].ownComment, !lines[j].blankBefore { j -= 1 }
            if j > 0 { lines[j].blankBefore = true }
        }
        for k in lines.indices where lines[k].netEnd && k + 1 < lines.count { lines[k + 1].blankBefore = true }
        return lines
    }

    /// Lines as text; trailing comments of consecutive lines start in one column.
    func render(_ lines: [Line]) -> String {
        var out = ""
        var i = 0
        while i < lines.count {
            var j = i
            if lines[i].comment != nil {
                while j + 1 < lines.count, lines[j + 1].comment != nil, !lines[j + 1].blankBefore { j += 1 }
            }
            let column = (i...j).map { lines[$0].indent + lines[$0].text.count }.max()! + 2
            for k in i...j {
                let line = lines[k]
                if line.blankBefore { out += "\n" }
                var text = String(repeating: " ", count: line.indent) + line.text
                if let c = line.comment { text += String(repeating: " ", count: column - text.count) + c }
                out += text + "\n"
            }
            i = j + 1
        }
        return out
    }
}
