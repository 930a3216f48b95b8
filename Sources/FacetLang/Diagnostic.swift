import Foundation

/// One problem found in source text, at a place. Rendered to text only in `rendered`.
public struct Diagnostic: Error, Equatable, CustomStringConvertible, @unchecked Sendable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var range: SourceRange
    public var message: String
    /// Extra help, e.g. "did you mean `ferc`?".
    public var hint: String?
    /// The `import` statements through which the file with the problem was loaded, nearest
    /// first; rendered as `imported from main.facet:3` lines.
    public var importedFrom: [SourceRange] = []
    /// For a problem found in another file while checking a statement of this one (a net defined
    /// elsewhere, called here with a bad argument): that statement. Editors show it there.
    public var reachedFrom: SourceRange?

    /// An error at `range`.
    public init(_ range: SourceRange, _ message: String, hint: String? = nil) {
        self.init(severity: .error, range, message, hint: hint)
    }

    public init(severity: Severity, _ range: SourceRange, _ message: String, hint: String? = nil) {
        self.severity = severity; self.range = range; self.message = message; self.hint = hint
    }

    /// `file:line:col: error: message` — the one-line form.
    public var description: String { "\(range): \(severity.rawValue): \(message)" }

    /// The one-line form, the source line, a caret with `~` under the rest of the range, and the hint.
    public var rendered: String {
        let (line, column) = range.file.location(of: range.start)
        // Unprintable characters (NUL, escapes) shown as one visible mark each, so the caret still lines up.
        let source = String(String.UnicodeScalarView(range.file.lineText(line).unicodeScalars.map { printable($0) || $0 == "\t" ? $0 : "\u{FFFD}" }))
        let (endLine, endColumn) = range.file.location(of: range.end)
        let chars = Array(source)
        // Only underline within the first line of a multi-line range.
        let stop = endLine == line ? max(endColumn, column + 1) : chars.count + 1
        var marker = ""
        for i in 0..<max(0, column - 1) where i < chars.count {
            marker.append(chars[i] == "\t" ? "\t" : " ")
        }
        marker += "^" + String(repeating: "~", count: max(0, min(stop, chars.count + 1) - column - 1))
        var out = "\(description)\n    \(source)\n    \(marker)"
        if let hint { out += "\n    hint: \(hint)" }
        for r in importedFrom { out += "\n    imported from \(r.file.name):\(r.line)" }
        return out
    }

    /// This diagnostic, in a file loaded through the `import` statements `chain` (nearest first).
    func imported(from chain: [SourceRange]) -> Diagnostic {
        var d = self
        d.importedFrom += chain
        return d
    }
}

/// False for control and other invisible characters that must not reach a terminal raw.
func printable(_ s: Unicode.Scalar) -> Bool {
    switch s.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
    default: return true
    }
}

/// Several diagnostics thrown together by one stage (lexing, parsing, checking, running).
public struct DiagnosticError: Error, CustomStringConvertible, @unchecked Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}

/// Edit distance for "did you mean" suggestions; a swap of neighbours counts as one edit.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
    }
    return d[a.count][b.count]
}

/// The closest candidate to `name`, if it is close enough to be a plausible typo.
public func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    for c in candidates where c != name {
        let d = editDistance(name, c)
        if d <= max(1, name.count / 3), best == nil || d < best!.1 || (d == best!.1 && c < best!.0) {
            best = (c, d)
        }
    }
    return best?.0
}

/// "did you mean `x`?" or nil.
func didYouMean(_ name: String, _ candidates: some Sequence<String>) -> String? {
    suggestion(for: name, among: candidates).map { "did you mean `\($0)`?" }
}
