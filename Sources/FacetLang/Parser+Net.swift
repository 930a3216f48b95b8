// MARK: Net bodies: layer statements, heads, `heads { }`

extension Parser {
    /// `conv 64 5x5 stride 1 pad 0 relu` — positional arguments (numbers, sizes, expressions)
    /// and option words, up to the end of the line.
    mutating func parseLayer() throws -> Stmt {
        let keyword = advance()
        var arguments: [Expr] = []
        var options: [LayerOption] = []
        while !atStatementEnd {
            if let word = peek.identifier, layerOptionWords.contains(word) {
                let w = advance()
                var value: Expr?
                if layerValueOptions.contains(word) {
                    guard !atStatementEnd else { throw Diagnostic(peek.range, "expected a value after `\(word)`, found \(peek.quoted)") }
                    value = try parseOr()
                }
                options.append(LayerOption(name: word, range: value.map { w.range.to($0.range) } ?? w.range, value: value))
                continue
            }
            if peek.isSymbol(.comma) {
                throw Diagnostic(peek.range, "layer arguments are separated by spaces, not commas")
            }
            arguments.append(try parseSize())
        }
        let layer = LayerStmt(keyword: keyword.identifier!, keywordRange: keyword.range, arguments: arguments, options: options)
        return Stmt(.layer(layer), range(from: keyword.range))
    }

    /// An expression, or a size `a x b [x c]` when `x` follows it.
    mutating func parseSize() throws -> Expr {
        let first = try parseOr()
        guard peek.identifier == "x" else { return first }
        var parts = [first]
        while peek.identifier == "x" {
            marks.sizeSeparators.insert(advance().range.start)
            parts.append(try parseOr())
        }
        return try node(.size(parts), first.range.to(parts.last!.range))
    }

    /// `softmax 7` (bare) or the part after `name:` inside `heads { }`.
    mutating func parseHead(name: Token?) throws -> Stmt {
        let keyword = advance()
        guard !atStatementEnd, !peek.isSymbol(.comma) else {
            throw Diagnostic(peek.range, "`\(keyword.range.text)` needs its number of outputs, e.g. `\(keyword.range.text) 7`")
        }
        let size = try parseOr()
        let start = name?.range ?? keyword.range
        let head = HeadStmt(name: name?.identifier, nameRange: name?.range, keyword: keyword.identifier!,
                            keywordRange: keyword.range, size: size, range: range(from: start))
        return Stmt(.head(head), head.range)
    }

    /// `heads { emotion: softmax 7  age: softmax 17 }` — entries separated by spaces, commas or lines.
    mutating func parseHeadsBlock() throws -> Stmt {
        let start = advance().range
        _ = try expect(.lbrace, "after `heads`")
        let open = previous.range
        var heads: [HeadStmt] = []
        while true {
            while peek.kind == .newline || peek.isSymbol(.comma) {
                if peek.isSymbol(.comma) { marks.headCommas.insert(peek.range.start) }
                advance()
            }
            if peek.isSymbol(.rbrace) || atEnd { break }
            marks.headEntries.insert(peek.range.start)
            let name = try expectIdentifier("a head name (`name: softmax N`)")
            _ = try expect(.colon, "after head name `\(name.range.text)`")
            guard let word = peek.identifier, headKeywords.contains(word) else {
                let word = peek.identifier ?? peek.range.text
                throw Diagnostic(peek.range, "expected a head kind (softmax, sigmoid, regress), found \(peek.quoted)",
                                 hint: didYouMean(word, headKeywords))
            }
            guard case let .head(h) = try parseHead(name: name).kind else { continue }
            heads.append(h)
        }
        guard peek.isSymbol(.rbrace) else { throw Diagnostic(open, "this `{` is never closed") }
        markBlock(open: open, close: advance().range, statements: heads.count)
        return Stmt(.heads(heads), range(from: start))
    }
}
