/// Parses tokens into statements. Reports several syntax errors per file: after an error the
/// parser skips to the next statement boundary (panic mode), so one mistake gives one message.
///
///     let program = try parse(try tokenize(file))
public func parse(_ tokens: [Token]) throws -> [Stmt] {
    var parser = Parser(tokens: tokens)
    let program = parser.parseProgram()
    if !parser.diagnostics.isEmpty { throw DiagnosticError(parser.diagnostics) }
    return program
}

/// Tokenizes and parses a source file.
public func parse(_ file: SourceFile) throws -> [Stmt] { try parse(try tokenize(file)) }

/// Parses tokens and also returns what the parser learned about their layout (for `facet fmt`).
public func parseWithLayout(_ tokens: [Token]) throws -> (program: [Stmt], marks: LayoutMarks) {
    var parser = Parser(tokens: tokens)
    let program = parser.parseProgram()
    if !parser.diagnostics.isEmpty { throw DiagnosticError(parser.diagnostics) }
    return (program, parser.marks)
}

struct Parser {
    let tokens: [Token]
    var position = 0
    var diagnostics: [Diagnostic] = []
    static let maxErrors = 50
    /// Brackets, unary operators and blocks open right now; bounded so parsing cannot
    /// exhaust the stack on pathological input.
    var nesting = 0
    static let maxNesting = 100
    /// Deepest expression tree accepted (a chain `1+1+...` is as deep as it is long). Later
    /// stages recurse once per level; a debug build needs about 10 KiB of stack per level.
    static let maxExprDepth = 200
    /// Blocks open right now: `import` is refused inside one.
    var blockDepth = 0
    var marks = LayoutMarks()

    init(tokens: [Token]) { self.tokens = tokens }

    // MARK: Token access

    var peek: Token { tokens[position] }
    var previous: Token { tokens[max(0, position - 1)] }
    func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }
    var atEnd: Bool { peek.kind == .eof }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[position]
        if t.kind != .eof { position += 1 }
        return t
    }

    mutating func match(_ s: Symbol) -> Bool {
        if peek.isSymbol(s) { advance(); return true }
        return false
    }

    mutating func expect(_ s: Symbol, _ what: String) throws -> Token {
        if peek.isSymbol(s) { return advance() }
        throw Diagnostic(peek.range, "expected `\(s.rawValue)` \(what), found \(peek.quoted)")
    }

    mutating func expectIdentifier(_ what: String) throws -> Token {
        if peek.identifier != nil { return advance() }
        var hint: String?
        if case let .keyword(k) = peek.kind { hint = "`\(k.rawValue)` is a reserved word" }
        throw Diagnostic(peek.range, "expected \(what), found \(peek.quoted)", hint: hint)
    }

    /// Counts one more level of nesting, refusing input nested absurdly deep.
    mutating func enter(_ at: SourceRange) throws {
        nesting += 1
        if nesting > Parser.maxNesting {
            nesting -= 1
            throw Diagnostic(at, "nested more than \(Parser.maxNesting) levels deep")
        }
    }

    /// A composite expression node, refused when its tree is too deep.
    func node(_ kind: ExprKind, _ range: SourceRange) throws -> Expr {
        let e = Expr(kind, range)
        if e.depth > Parser.maxExprDepth {
            throw Diagnostic(range, "expression is too long or deep (more than \(Parser.maxExprDepth) levels)")
        }
        return e
    }

    mutating func skipNewlines() { while peek.kind == .newline { advance() } }

    /// The range from `start` to the end of the last consumed token.
    func range(from start: SourceRange) -> SourceRange { start.to(previous.range) }

    var atStatementEnd: Bool {
        peek.kind == .newline || peek.kind == .eof || peek.isSymbol(.rbrace)
    }

    // MARK: Statement lists and recovery

    mutating func parseProgram() -> [Stmt] {
        let body = parseStatements(inNet: false, inBlock: false)
        return body
    }

    /// Statements up to `}` (left for the caller) or the end of input, recovering from errors.
    mutating func parseStatements(inNet: Bool, inBlock: Bool) -> [Stmt] {
        var body: [Stmt] = []
        while true {
            skipNewlines()
            if atEnd || (inBlock && peek.isSymbol(.rbrace)) { break }
            if !inBlock && peek.isSymbol(.rbrace) {
                report(Diagnostic(peek.range, "unexpected `}` with no block to close"))
                advance()
                continue
            }
            do {
                let stmt = try parseStatement(inNet: inNet)
                if !atStatementEnd {
                    var hint = "put each statement on its own line or separate them with `;`"
                    if peek.isSymbol(.assign), case let .expression(e) = stmt.kind, case let .name(n) = e.kind {
                        hint = "to name a value write `let \(n) = ...`; names cannot be reassigned"
                    }
                    throw Diagnostic(peek.range, "expected end of statement, found \(peek.quoted)", hint: hint)
                }
                body.append(stmt)
            } catch let d as Diagnostic {
                report(d)
                synchronize()
            } catch {
                synchronize()
            }
            if diagnostics.count >= Parser.maxErrors { break }
        }
        return body
    }

    mutating func report(_ d: Diagnostic) {
        // One error per place: a later error at the same spot is a cascade.
        if let last = diagnostics.last, last.range.start == d.range.start { return }
        diagnostics.append(d)
    }

    /// Skips to the end of the current statement: a newline outside brackets, or a `}` that
    /// closes the enclosing block (left in place).
    mutating func synchronize() {
        var depth = 0
        while !atEnd {
            let t = peek
            if depth == 0 && t.kind == .newline { advance(); return }
            if depth == 0 && t.isSymbol(.rbrace) { return }
            if t.isSymbol(.lparen) || t.isSymbol(.lbracket) || t.isSymbol(.lbrace) { depth += 1 }
            if t.isSymbol(.rparen) || t.isSymbol(.rbracket) || t.isSymbol(.rbrace) { depth = max(0, depth - 1) }
            advance()
        }
    }

    /// `{ statements }`
    mutating func parseBlock(inNet: Bool, _ what: String) throws -> [Stmt] {
        try enter(peek.range)
        blockDepth += 1
        defer { nesting -= 1; blockDepth -= 1 }
        _ = try expect(.lbrace, what)
        let open = previous.range
        let body = parseStatements(inNet: inNet, inBlock: true)
        if !peek.isSymbol(.rbrace) {
            throw Diagnostic(open, "this `{` is never closed", hint: "add `}` to end the block")
        }
        markBlock(open: open, close: advance().range, statements: body.count)
        return body
    }

    // MARK: Statements

    mutating func parseStatement(inNet: Bool) throws -> Stmt {
        let start = peek.range
        switch peek.kind {
        case .keyword(.let):
            advance()
            let name = try expectIdentifier("a name after `let`")
            if peek.isSymbol(.colon) {
                throw Diagnostic(peek.range, "expected `=` after `let \(name.range.text)`", hint: "write `let name = value`")
            }
            _ = try expect(.assign, "after `let \(name.range.text)`")
            let value = try parseExpression()
            return Stmt(.letBinding(name: name.identifier!, nameRange: name.range, value: value), range(from: start))
        case .keyword(.net):
            if inNet { throw Diagnostic(start, "a net cannot be defined inside another net", hint: "define it at the top level and `use` it") }
            return try parseNet()
        case .keyword(.for):
            advance()
            let variable = try expectIdentifier("a loop variable after `for`")
            guard peek.isKeyword(.in) else { throw Diagnostic(peek.range, "expected `in` after `for \(variable.range.text)`, found \(peek.quoted)") }
            advance()
            let sequence = try parseExpression()
            let body = try parseBlock(inNet: inNet, "to start the loop body")
            return Stmt(.forLoop(variable: variable.identifier!, variableRange: variable.range, sequence: sequence, body: body),
                        range(from: start))
        case .keyword(.if):
            return try parseIf(inNet: inNet)
        case .keyword(.import):
            return try parseImport()
        case .keyword(.else):
            throw Diagnostic(start, "`else` without `if`", hint: "`else` goes on the same line as the `}` that ends the `if` body")
        case .keyword(.use):
            guard inNet else { throw Diagnostic(start, "`use` belongs inside a `net` body") }
            advance()
            let net = try parseExpression()
            return Stmt(.use(net), range(from: start))
        case .keyword(.heads):
            guard inNet else { throw Diagnostic(start, "`heads` belongs inside a `net` body") }
            return try parseHeadsBlock()
        case let .identifier(word) where inNet:
            if layerKeywords.contains(word) { return try parseLayer() }
            if headKeywords.contains(word) { return try parseHead(name: nil) }
            if peek(1).isSymbol(.colon) {
                throw Diagnostic(start, "a named head goes inside a `heads { }` block", hint: "write `heads { \(word): ... }`")
            }
            throw Diagnostic(start, "unknown layer `\(word)`",
                             hint: didYouMean(word, layerKeywords + headKeywords + ["heads", "use"])
                                ?? "layers: \((layerKeywords + headKeywords).joined(separator: ", "))")
        case let .identifier(word):
            if (layerKeywords + headKeywords).contains(word), case .number = peek(1).kind {
                throw Diagnostic(start, "`\(word)` is a layer statement; it belongs inside a `net` body")
            }
            if startsCommandArgument(peek(1)) { return try parseCommand() }
            return Stmt(.expression(try parseExpression()), range(from: start))
        default:
            if inNet, case .number = peek.kind {
                throw Diagnostic(start, "expected a layer statement, found \(peek.quoted)")
            }
            return Stmt(.expression(try parseExpression()), range(from: start))
        }
    }

    mutating func parseIf(inNet: Bool) throws -> Stmt {
        let start = advance().range
        let condition = try parseExpression()
        let then = try parseBlock(inNet: inNet, "to start the `if` body")
        var elseBody: [Stmt]?
        if peek.isKeyword(.else) {
            advance()
            if peek.isKeyword(.if) { elseBody = [try parseIf(inNet: inNet)] } else {
                elseBody = try parseBlock(inNet: inNet, "after `else`")
            }
        }
        return Stmt(.ifElse(condition: condition, then: then, else: elseBody), range(from: start))
    }

    /// `net NAME(a = 1, b) { body }` — the parentheses are optional when there are no parameters.
    mutating func parseNet() throws -> Stmt {
        let start = advance().range
        let name = try expectIdentifier("a net name after `net`")
        var parameters: [Parameter] = []
        if match(.lparen) {
            skipNewlines()
            while !peek.isSymbol(.rparen) {
                let p = try expectIdentifier("a parameter name")
                var value: Expr?
                if peek.isSymbol(.colon) {
                    throw Diagnostic(peek.range, "parameter defaults are written `\(p.range.text) = value`")
                }
                if match(.assign) { value = try parseExpression() }
                parameters.append(Parameter(name: p.identifier!, range: p.range, defaultValue: value))
                let mark = position
                skipNewlines()
                if !match(.comma) { position = mark; break }
                skipNewlines()
            }
            _ = try expectClosing(.rparen, "to close the parameter list")
        }
        let body = try parseBlock(inNet: true, "to start the body of net `\(name.range.text)`")
        let decl = NetDecl(name: name.identifier!, nameRange: name.range, parameters: parameters, body: body)
        return Stmt(.net(decl), range(from: start))
    }

    /// `import "path/to/file.facet"`
    mutating func parseImport() throws -> Stmt {
        let start = advance().range
        guard blockDepth == 0 else {
            throw Diagnostic(start, "`import` belongs at the top level of a file, not inside a block")
        }
        guard case let .string(path) = peek.kind else {
            throw Diagnostic(peek.range, "expected a file path in quotes after `import`, found \(peek.quoted)",
                             hint: "write `import \"blocks.facet\"`")
        }
        let pathToken = advance()
        return Stmt(.importFile(path: path, pathRange: pathToken.range), range(from: start))
    }

    mutating func markBlock(open: SourceRange, close: SourceRange, statements: Int) {
        marks.blocks[open.start] = LayoutMarks.Block(close: close.start, statements: statements)
        marks.blockCloses[close.start] = open.start
    }

    /// A statement-level call without parentheses: `summary m`, `print "a", b`.
    mutating func parseCommand() throws -> Stmt {
        let callee = advance()
        var arguments: [CallArgument] = []
        repeat {
            arguments.append(try parseArgument())
        } while match(.comma)
        let r = range(from: callee.range)
        return Stmt(.expression(try node(.call(Expr(.name(callee.identifier!), callee.range), arguments), r)), r)
    }

    /// Whether `t` after a statement's first word makes the statement a command call.
    func startsCommandArgument(_ t: Token) -> Bool {
        guard t.spaceBefore else { return false }
        switch t.kind {
        case .number, .string, .identifier: return true
        case .keyword(let k): return [.true, .false, .none, .not].contains(k)
        case .symbol(let s): return [.lbracket, .lparen, .lbrace].contains(s)
        default: return false
        }
    }
}
