/// Whether a front end holds a whole input or should read another line.
///
/// The REPL, the notebook's front matter and the Jupyter kernel's `is_complete_request` all ask
/// this one function, and it reads the lexer's tokens, so comments and strings are seen exactly
/// as the parser sees them (`[1,  # one (` is still one open bracket).
public enum InputStatus: String, Equatable, Sendable {
    /// Every bracket is closed: run it (errors, if any, are the parser's to report).
    case complete
    /// A bracket is still open: read another line.
    case incomplete
    /// More lines cannot help (a bracket closed that was never opened, an unterminated string, a
    /// bad character): run it now so the error is reported.
    case invalid

    /// The status of `text` as typed so far.
    ///
    ///     InputStatus(of: "let x = [1,")   // .incomplete
    ///     InputStatus(of: "let x = 1)")    // .invalid
    public init(of text: String) {
        var lexer = Lexer(file: SourceFile(name: "<input>", text: text))
        lexer.run()
        var depth = 0
        for token in lexer.tokens {
            guard case let .symbol(s) = token.kind else { continue }
            switch s {
            case .lparen, .lbracket, .lbrace: depth += 1
            case .rparen, .rbracket, .rbrace:
                depth -= 1
                if depth < 0 { self = .invalid; return }
            default: break
            }
        }
        if !lexer.diagnostics.isEmpty { self = .invalid } else { self = depth > 0 ? .incomplete : .complete }
    }
}
