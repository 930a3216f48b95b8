import FacetLang

/// `facet fmt`: the one canonical layout of Facet source, for `.facet` files and the
/// ` ```facet ` cells of notebooks.
///
///     let tidy = try Format.source("net a{input 8x8x1;conv 4 3 x 3}", name: "a.facet")
///
/// The layout (see docs/language.md, "Formatting"): two-space indentation per block, and
/// continuation lines aligned after the bracket they are in (or indented two more when the
/// bracket ends its line); one space around binary operators, `|`, `=` and after `,` and `:`,
/// none inside brackets, around `.` and `..`, or after unary `-`; `5x5` between numbers and
/// `k x k` otherwise; one statement, layer or head per line (`;` and several heads on a line are
/// split; a block with one statement may stay on its line); one blank line at most, none at
/// the start or end of a block, and one around every top-level net. Line breaks the author put
/// inside an expression stay (like gofmt). Comments stay where they were written: on their own
/// line at the indentation of the code, or after the code on its line, with the trailing
/// comments of consecutive lines aligned.
public enum Format {
    /// The canonical form of Facet source text. Throws `DiagnosticError` when the text does not
    /// parse, or when the result would not be the same program or not be canonical itself (a
    /// bug in the formatter, reported instead of writing a changed program).
    public static func source(_ text: String, name: String, firstLine: Int = 1) throws -> String {
        let file = SourceFile(name: name, text: text, firstLine: firstLine)
        let (tokens, comments) = try tokenizeKeepingComments(file)
        let (program, marks) = try parseWithLayout(tokens)
        let formatted = LineLayout(tokens: tokens, comments: comments, marks: marks, program: program).text()
        try verify(formatted, program, file)
        return formatted
    }

    /// A notebook with each ` ```facet ` cell formatted and everything else (front matter,
    /// prose, other code blocks) unchanged. Diagnostics carry the notebook's line numbers.
    public static func notebook(_ text: String, name: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        var i = 0
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            i = 1
            while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces) != "---" { i += 1 }
            i += 1
        }
        while i < lines.count {
            let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { i += 1; continue }
            let fence = String(trimmed.prefix { $0 == "`" })
            let info = trimmed.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
            guard let close = lines[(i + 1)...].firstIndex(where: {
                let t = $0.trimmingCharacters(in: .whitespaces)
                return t.hasPrefix(fence) && t.allSatisfy { $0 == "`" }
            }) else { break }   // an unclosed block: `facet check` reports it; nothing to format
            if info == "facet" {
                let body = lines[(i + 1)..<close].joined(separator: "\n")
                var formatted = try source(body, name: name, firstLine: i + 2)
                if formatted.hasSuffix("\n") { formatted.removeLast() }
                let cell = formatted.isEmpty ? [] : formatted.components(separatedBy: "\n")
                lines.replaceSubrange((i + 1)..<close, with: cell)
                i += cell.count + 2
            } else {
                i = close + 1
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Refuses a result that is not the same program (range-free ASTs differ) or not a fixed point.
    static func verify(_ formatted: String, _ program: [Stmt], _ original: SourceFile) throws {
        let again = SourceFile(name: original.name, text: formatted, firstLine: original.firstLine)
        let where0 = SourceRange(file: original, start: 0, end: 0)
        guard let (tokens, comments) = try? tokenizeKeepingComments(again),
              let (reparsed, marks) = try? parseWithLayout(tokens),
              dump(reparsed, ranges: false) == dump(program, ranges: false) else {
            throw DiagnosticError([Diagnostic(where0, "facet fmt would change what this code means (a bug in facet fmt); the file is left as it is")])
        }
        guard LineLayout(tokens: tokens, comments: comments, marks: marks, program: reparsed).text() == formatted else {
            throw DiagnosticError([Diagnostic(where0, "facet fmt does not reach one layout for this code (a bug in facet fmt); the file is left as it is")])
        }
    }
}
