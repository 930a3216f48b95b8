// MARK: Expressions, loosest binding first:
//   pipe `|`  <  or  <  and  <  not  <  comparison  <  range `..`  <  + -  <  * / %  <  unary -  <  postfix

extension Parser {
    static let comparisonOperators: [Symbol: BinaryOp] = [
        .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual,
    ]

    mutating func parseExpression() throws -> Expr {
        var lhs = try parseOr()
        while true {
            // A pipeline may continue on the next line: `faces\n  | align`.
            var look = 0
            while peek(look).kind == .newline { look += 1 }
            guard peek(look).isSymbol(.pipe) else { break }
            skipNewlines()
            advance()
            skipContinuationLines()
            let rhs = try parseOr()
            lhs = try node(.pipe(lhs, rhs), lhs.range.to(rhs.range))
        }
        return lhs
    }

    mutating func parseOr() throws -> Expr {
        var lhs = try parseAnd()
        while peek.isKeyword(.or) {
            advance(); skipContinuationLines()
            let rhs = try parseAnd()
            lhs = try node(.binary(.or, lhs, rhs), lhs.range.to(rhs.range))
        }
        return lhs
    }

    mutating func parseAnd() throws -> Expr {
        var lhs = try parseNot()
        while peek.isKeyword(.and) {
            advance(); skipContinuationLines()
            let rhs = try parseNot()
            lhs = try node(.binary(.and, lhs, rhs), lhs.range.to(rhs.range))
        }
        return lhs
    }

    mutating func parseNot() throws -> Expr {
        if peek.isKeyword(.not) {
            try enter(peek.range)
            defer { nesting -= 1 }
            let start = advance().range
            let operand = try parseNot()
            return try node(.unary(.not, operand), start.to(operand.range))
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> Expr {
        let lhs = try parseRange()
        let ops = Parser.comparisonOperators
        guard case let .symbol(s) = peek.kind, let op = ops[s] else { return lhs }
        advance(); skipContinuationLines()
        let rhs = try parseRange()
        if case let .symbol(s2) = peek.kind, ops[s2] != nil {
            throw Diagnostic(peek.range, "comparisons cannot be chained", hint: "use `and`: `a < b and b < c`")
        }
        return try node(.binary(op, lhs, rhs), lhs.range.to(rhs.range))
    }

    mutating func parseRange() throws -> Expr {
        let lhs = try parseAdditive()
        guard peek.isSymbol(.dotdot) || peek.isSymbol(.dotdotless) else { return lhs }
        let inclusive = advance().isSymbol(.dotdot)
        let rhs = try parseAdditive()
        return try node(.range(lhs, rhs, inclusive: inclusive), lhs.range.to(rhs.range))
    }

    mutating func parseAdditive() throws -> Expr {
        var lhs = try parseMultiplicative()
        while peek.isSymbol(.plus) || peek.isSymbol(.minus) {
            let op: BinaryOp = advance().isSymbol(.plus) ? .add : .subtract
            skipContinuationLines()
            let rhs = try parseMultiplicative()
            lhs = try node(.binary(op, lhs, rhs), lhs.range.to(rhs.range))
        }
        return lhs
    }

    mutating func parseMultiplicative() throws -> Expr {
        var lhs = try parseUnary()
        while peek.isSymbol(.star) || peek.isSymbol(.slash) || peek.isSymbol(.percent) {
            let t = advance()
            let op: BinaryOp = t.isSymbol(.star) ? .multiply : t.isSymbol(.slash) ? .divide : .remainder
            skipContinuationLines()
            let rhs = try parseUnary()
            lhs = try node(.binary(op, lhs, rhs), lhs.range.to(rhs.range))
        }
        return lhs
    }

    mutating func parseUnary() throws -> Expr {
        if peek.isSymbol(.minus) {
            try enter(peek.range)
            defer { nesting -= 1 }
            let start = advance().range
            marks.unaryMinus.insert(start.start)
            let operand = try parseUnary()
            return try node(.unary(.negate, operand), start.to(operand.range))
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws -> Expr {
        var e = try parsePrimary()
        while true {
            if peek.isSymbol(.lparen), !peek.spaceBefore {
                try enter(peek.range)
                defer { nesting -= 1 }
                advance()
                var arguments: [CallArgument] = []
                skipNewlines()
                while !peek.isSymbol(.rparen) {
                    arguments.append(try parseArgument())
                    let mark = position
                    skipNewlines()
                    if !match(.comma) { position = mark; break }
                    skipNewlines()
                }
                _ = try expectClosing(.rparen, "to close the argument list")
                e = try node(.call(e, arguments), range(from: e.range))
            } else if peek.isSymbol(.lbracket), !peek.spaceBefore {
                try enter(peek.range)
                defer { nesting -= 1 }
                advance(); skipNewlines()
                let index = try parseExpression()
                _ = try expectClosing(.rbracket, "to close the index")
                e = try node(.index(e, index), range(from: e.range))
            } else if peek.isSymbol(.dot) {
                advance()
                // Field names may be reserved words: `m.heads`.
                if case let .keyword(k) = peek.kind {
                    advance()
                    e = try node(.member(e, k.rawValue), range(from: e.range))
                    continue
                }
                let name = try expectIdentifier("a field name after `.`")
                e = try node(.member(e, name.identifier!), range(from: e.range))
            } else {
                return e
            }
        }
    }

    /// `value` or `name: value`.
    mutating func parseArgument() throws -> CallArgument {
        if let label = peek.identifier, peek(1).isSymbol(.colon) {
            let labelToken = advance()
            advance()
            skipNewlines()
            return CallArgument(label: label, labelRange: labelToken.range, value: try parseExpression())
        }
        if let label = peek.identifier, peek(1).isSymbol(.assign) {
            throw Diagnostic(peek(1).range, "named arguments are written `\(label): value`, not `\(label) = value`")
        }
        return CallArgument(value: try parseExpression())
    }

    mutating func parsePrimary() throws -> Expr {
        let t = peek
        let opens = t.isSymbol(.lparen) || t.isSymbol(.lbracket) || t.isSymbol(.lbrace)
        if opens { try enter(t.range) }
        defer { if opens { nesting -= 1 } }
        switch t.kind {
        case let .number(v): advance(); return Expr(.number(v), t.range)
        case let .string(s): advance(); return Expr(.string(s), t.range)
        case .keyword(.true): advance(); return Expr(.bool(true), t.range)
        case .keyword(.false): advance(); return Expr(.bool(false), t.range)
        case .keyword(.none): advance(); return Expr(.none, t.range)
        case let .identifier(name): advance(); return Expr(.name(name), t.range)
        case .symbol(.lparen):
            advance(); skipNewlines()
            let inner = try parseExpression()
            _ = try expectClosing(.rparen, "to close `(`")
            return Expr(inner.kind, range(from: t.range))
        case .symbol(.lbracket):
            advance(); skipNewlines()
            var items: [Expr] = []
            while !peek.isSymbol(.rbracket) {
                items.append(try parseExpression())
                let mark = position
                skipNewlines()
                if !match(.comma) { position = mark; break }
                skipNewlines()
            }
            _ = try expectClosing(.rbracket, "to close the list")
            return try node(.list(items), range(from: t.range))
        case .symbol(.lbrace):
            advance(); skipNewlines()
            var fields: [Field] = []
            while !peek.isSymbol(.rbrace) {
                let name = try expectIdentifier("a field name in the record")
                _ = try expect(.colon, "after field `\(name.range.text)`")
                skipNewlines()
                fields.append(Field(name: name.identifier!, nameRange: name.range, value: try parseExpression()))
                let hadNewline = peek.kind == .newline
                skipNewlines()
                if !match(.comma) && !hadNewline { break }
                skipNewlines()
            }
            _ = try expectClosing(.rbrace, "to close the record")
            return try node(.record(fields), range(from: t.range))
        default:
            var hint: String?
            if t.isSymbol(.assign) { hint = "to compare, write `==`" }
            throw Diagnostic(t.range, "expected an expression, found \(t.quoted)", hint: hint)
        }
    }
}

extension Parser {
    /// Expects a closing bracket, possibly on a later line. When it is missing, the error is
    /// reported at the end of the line where the bracketed text stopped, and parsing resumes
    /// on the next line instead of swallowing it.
    mutating func expectClosing(_ s: Symbol, _ what: String) throws -> Token {
        let mark = position
        skipNewlines()
        if peek.isSymbol(s) { return advance() }
        position = mark
        throw Diagnostic(peek.range, "expected `\(s.rawValue)` \(what), found \(peek.quoted)")
    }
}

extension Parser {
    /// After a binary operator the expression may continue on the next line, unless that line
    /// starts a new statement: then the error stays on this line and the next is parsed normally.
    mutating func skipContinuationLines() {
        let mark = position
        skipNewlines()
        switch peek.kind {
        case .keyword(.let), .keyword(.net), .keyword(.for), .keyword(.if), .keyword(.use), .keyword(.heads), .keyword(.import), .eof:
            position = mark
        case .symbol(.rbrace):
            position = mark
        default:
            break
        }
    }
}
