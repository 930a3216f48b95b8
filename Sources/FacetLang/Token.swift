/// What a token is. Layer and head words (`conv`, `softmax`) are plain identifiers: they are
/// keywords only at the start of a statement inside a `net` body.
public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case number(Double)
    case string(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case newline
    case eof
}

/// Reserved words.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, net, `for`, `in`, `if`, `else`, `true`, `false`, and, or, not, use, heads, none, `import`
}

/// Punctuation and operators.
public enum Symbol: String, CaseIterable, Sendable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", colon = ":", semicolon = ";", dot = ".", dotdot = "..", dotdotless = "..<"
    case assign = "=", equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">=", plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case pipe = "|"
}

/// One lexeme with its place in the source.
public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    /// Whether whitespace or a comment precedes the token on its line: `f(x)` is a call,
    /// `f (x)` passes `(x)` as a command argument.
    public var spaceBefore: Bool

    /// The name, when the token is an identifier.
    public var identifier: String? { if case let .identifier(s) = kind { return s } else { return nil } }
    /// Whether the token is the symbol `s`.
    public func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }
    /// Whether the token is the keyword `k`.
    public func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .string: return "string \(range.text)"
        default: return "`\(range.text)`"
        }
    }
}
