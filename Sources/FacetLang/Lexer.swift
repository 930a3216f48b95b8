/// Splits source text into tokens. Reports every bad character and unterminated string,
/// then throws them together.
///
///     let tokens = try tokenize(SourceFile(name: "x.facet", text: "input 48x48x1"))
///
/// `48x48x1` lexes as `48` `x` `48` `x` `1`: an `x` right after a number is always its own token,
/// so the parser can read sizes (`5x5`, `k x k`).
public func tokenize(_ file: SourceFile) throws -> [Token] {
    try tokenizeKeepingComments(file).tokens
}

/// Tokens and the ranges of the `#` comments between them (from `#` to the end of the line),
/// for tools that keep comments: `facet fmt`.
public func tokenizeKeepingComments(_ file: SourceFile) throws -> (tokens: [Token], comments: [SourceRange]) {
    var lexer = Lexer(file: file)
    lexer.run()
    if !lexer.diagnostics.isEmpty { throw DiagnosticError(lexer.diagnostics) }
    return (lexer.tokens, lexer.comments)
}

/// The tokens of text that need not lex to its end (an open string, a stray character), as far
/// as the lexer gets, without its diagnostics: what completion at a cursor reads.
public func tokenizeLeniently(_ file: SourceFile) -> [Token] {
    var lexer = Lexer(file: file)
    lexer.run()
    return lexer.tokens
}

struct Lexer {
    let file: SourceFile
    let b: [UInt8]
    var i = 0
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []
    var comments: [SourceRange] = []
    var spaceBefore = false

    init(file: SourceFile) { self.file = file; self.b = file.bytes }

    func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: file, start: start, end: end) }

    mutating func add(_ kind: TokenKind, _ start: Int) {
        tokens.append(Token(kind: kind, range: range(start, i), spaceBefore: spaceBefore))
        spaceBefore = false
    }

    mutating func run() {
        while i < b.count {
            let c = b[i], start = i
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1; spaceBefore = true
            case UInt8(ascii: "#"):
                while i < b.count, b[i] != UInt8(ascii: "\n") { i += 1 }
                comments.append(range(start, i))
                spaceBefore = true
            case UInt8(ascii: "\n"):
                i += 1
                if let last = tokens.last, last.kind != .newline { add(.newline, start) }
                spaceBefore = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                lexNumber()
            case UInt8(ascii: "\""):
                lexString()
            case _ where isIdentifierStart(c):
                while i < b.count, isIdentifierPart(b[i]) { i += 1 }
                let word = file.slice(start..<i)
                if let k = Keyword(rawValue: word) { add(.keyword(k), start) } else { add(.identifier(word), start) }
            default:
                lexSymbol()
            }
        }
        // End-of-input errors point just after the last real token, not at an empty last line.
        let end = tokens.last { $0.kind != .newline }?.range.end ?? 0
        spaceBefore = true
        tokens.append(Token(kind: .newline, range: range(end, end), spaceBefore: true))
        tokens.append(Token(kind: .eof, range: range(end, end), spaceBefore: true))
    }

    mutating func lexNumber() {
        let start = i
        while i < b.count, isDigit(b[i]) { i += 1 }
        if i + 1 < b.count, b[i] == UInt8(ascii: "."), isDigit(b[i + 1]) {
            i += 1
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < b.count, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
            if j < b.count, isDigit(b[j]) {
                i = j
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
        }
        let text = file.slice(start..<i)
        let value = Double(text) ?? .nan
        add(.number(value), start)
        // Double("1e309") is +∞; a literal that does not fit is an error, like division by zero.
        if !value.isFinite {
            diagnostics.append(Diagnostic(range(start, i), "number `\(text)` is too large (numbers go up to about 1.8e308)"))
        }
        // `5x5`: the `x` is a separate identifier token, never the start of `x5`.
        if i < b.count, b[i] == UInt8(ascii: "x") {
            i += 1
            add(.identifier("x"), i - 1)
        } else if i < b.count, isIdentifierStart(b[i]) {
            while i < b.count, isIdentifierPart(b[i]) { i += 1 }
            diagnostics.append(Diagnostic(range(start, i), "malformed number `\(file.slice(start..<i))`",
                                          hint: "sizes are written `5x5`; put a space between a number and a name"))
        }
    }

    mutating func lexString() {
        let start = i
        i += 1
        var bytes: [UInt8] = []
        while i < b.count, b[i] != UInt8(ascii: "\"") {
            if b[i] == UInt8(ascii: "\n") { break }
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count {
                let e = b[i + 1]
                switch e {
                case UInt8(ascii: "n"): bytes.append(10)
                case UInt8(ascii: "t"): bytes.append(9)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(e)
                default:
                    diagnostics.append(Diagnostic(range(i, i + 2), "unknown escape `\\\(Character(Unicode.Scalar(e)))` in string",
                                                  hint: "known escapes: \\n \\t \\\" \\\\"))
                }
                i += 2
                continue
            }
            bytes.append(b[i]); i += 1
        }
        if i >= b.count || b[i] != UInt8(ascii: "\"") {
            diagnostics.append(Diagnostic(range(start, i), "unterminated string", hint: "close it with `\"` on the same line"))
            add(.string(String(decoding: bytes, as: UTF8.self)), start)
            return
        }
        i += 1
        add(.string(String(decoding: bytes, as: UTF8.self)), start)
    }

    mutating func lexSymbol() {
        let start = i
        if let (s, length) = symbol(at: i) {
            i += length
            if s == .semicolon { add(.newline, start) } else { add(.symbol(s), start) }
            return
        }
        // Skip a whole UTF-8 scalar so the error covers one character.
        i += 1
        while i < b.count, b[i] & 0xC0 == 0x80 { i += 1 }
        let text = file.slice(start..<i)
        var hint: String?
        if text == "×" { hint = "write sizes with the letter x: `5x5`" }
        if text == "'" { hint = "strings use double quotes" }
        let shown = text.unicodeScalars.allSatisfy(printable) ? "`\(text)`"
            : text.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
        diagnostics.append(Diagnostic(range(start, i), "unexpected character \(shown)", hint: hint))
        spaceBefore = true
    }
}

extension Lexer {
    /// The longest symbol starting at byte `i`, matched on bytes (this is the lexer's hot path).
    func symbol(at i: Int) -> (Symbol, Int)? {
        func next(_ k: Int) -> UInt8 { i + k < b.count ? b[i + k] : 0 }
        let eq = UInt8(ascii: "=")
        switch b[i] {
        case UInt8(ascii: "("): return (.lparen, 1)
        case UInt8(ascii: ")"): return (.rparen, 1)
        case UInt8(ascii: "["): return (.lbracket, 1)
        case UInt8(ascii: "]"): return (.rbracket, 1)
        case UInt8(ascii: "{"): return (.lbrace, 1)
        case UInt8(ascii: "}"): return (.rbrace, 1)
        case UInt8(ascii: ","): return (.comma, 1)
        case UInt8(ascii: ":"): return (.colon, 1)
        case UInt8(ascii: ";"): return (.semicolon, 1)
        case UInt8(ascii: "+"): return (.plus, 1)
        case UInt8(ascii: "-"): return (.minus, 1)
        case UInt8(ascii: "*"): return (.star, 1)
        case UInt8(ascii: "/"): return (.slash, 1)
        case UInt8(ascii: "%"): return (.percent, 1)
        case UInt8(ascii: "|"): return (.pipe, 1)
        case UInt8(ascii: "."):
            guard next(1) == UInt8(ascii: ".") else { return (.dot, 1) }
            return next(2) == UInt8(ascii: "<") ? (.dotdotless, 3) : (.dotdot, 2)
        case eq: return next(1) == eq ? (.equal, 2) : (.assign, 1)
        case UInt8(ascii: "!"): return next(1) == eq ? (.notEqual, 2) : nil
        case UInt8(ascii: "<"): return next(1) == eq ? (.lessEqual, 2) : (.less, 1)
        case UInt8(ascii: ">"): return next(1) == eq ? (.greaterEqual, 2) : (.greater, 1)
        default: return nil
        }
    }
}

func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
func isIdentifierStart(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || c == UInt8(ascii: "_")
}
func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
