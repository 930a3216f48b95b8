import FacetFiles
import FacetLang
import Foundation

/// A parsed `.fnb` notebook: optional front matter, then Markdown prose and ` ```facet ` cells.
///
///     ---
///     title: FERC — best network
///     params: { epochs: 50, data: "synthetic" }
///     ---
///     Prose as Markdown.
///     ```facet
///     let m = ferc()
///     ```
///
/// Front matter is `key: value` lines with the keys in `frontMatterKeys`; `params` is a Facet
/// record literal (it may continue over several lines while its braces are open) evaluated by the
/// language, so defaults are typed. Any other key is an error, so a misspelt `parms:` cannot
/// silently drop the parameters.
public struct Notebook: Sendable {
    public enum Block: Sendable, Equatable {
        case prose(String)
        /// Source of a facet cell and the 1-based line of its first source line in the file.
        case code(source: String, firstLine: Int)
    }

    public var path: String
    public var title: String?
    /// Text of the `params:` record and its 1-based line, when present.
    public var params: (text: String, line: Int)?
    public var blocks: [Block]

    /// The front-matter keys a notebook may use.
    public static let frontMatterKeys = ["title", "params"]

    /// The code cells in order.
    public var cells: [(source: String, firstLine: Int)] {
        blocks.compactMap { if case let .code(s, l) = $0 { return (s, l) } else { return nil } }
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var path: String, line: Int, message: String
        public var description: String { "\(path):\(line):1: error: \(message)" }
    }

    /// Reads and parses a notebook file.
    public init(contentsOf path: String) throws {
        let text: String
        do { text = try InputFile.text(path) } catch let e as InputFileError {
            let why = e.reason == "no such file or folder" ? "no such notebook"
                : e.reason == "it is a folder, not a file" ? "it is a folder, not a notebook" : e.reason
            throw ParseError(path: path, line: 0, message: why)
        }
        try self.init(text: text, path: path)
    }

    public init(text: String, path: String) throws {
        self.path = path
        self.blocks = []
        // Split on bytes after reading CRLF and CR as LF: as Swift Characters "\r\n" is one
        // grapheme, not "\n", so a Windows-edited notebook split on "\n" would be one line.
        var lines = InputFile.normalisingLineEndings(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var i = 0
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" { i = try parseFrontMatter(lines) }
        blocks = try Self.blocks(lines[i...], path: path)
    }

    /// Reads the front matter after the opening `---`; returns the index of the first line after it.
    private mutating func parseFrontMatter(_ lines: [String]) throws -> Int {
        var i = 1
        while i < lines.count {
            let line = lines[i]
            if line.trimmingCharacters(in: .whitespaces) == "---" { return i + 1 }
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { i += 1; continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw ParseError(path: path, line: i + 1, message: "front matter lines look like `key: value`, got `\(line)`")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let start = i + 1
            if key == "params" {
                // The record continues while the lexer sees an open bracket.
                while InputStatus(of: value) == .incomplete, i + 1 < lines.count,
                      lines[i + 1].trimmingCharacters(in: .whitespaces) != "---" {
                    i += 1; value += "\n" + lines[i]
                }
                params = (value, start)
            } else if key == "title" {
                title = Self.unquote(value)
            } else {
                throw ParseError(path: path, line: i + 1, message: Self.unknownKeyMessage(key))
            }
            i += 1
        }
        throw ParseError(path: path, line: 1, message: "front matter opened with `---` is never closed")
    }

    /// Prose and ` ```facet ` cells; fenced blocks in other languages stay prose.
    private static func blocks(_ lines: ArraySlice<String>, path: String) throws -> [Block] {
        var blocks: [Block] = []
        var prose: [String] = []
        func flushProse() {
            let text = prose.joined(separator: "\n").trimmingCharacters(in: .newlines)
            if !text.isEmpty { blocks.append(.prose(text)) }
            prose = []
        }
        var i = lines.startIndex
        while i < lines.endIndex {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { prose.append(line); i += 1; continue }
            let info = trimmed.drop { $0 == "`" }.trimmingCharacters(in: .whitespaces)
            let fence = String(trimmed.prefix { $0 == "`" })
            let open = i + 1
            guard let close = lines[(i + 1)...].firstIndex(where: {
                let t = $0.trimmingCharacters(in: .whitespaces)
                return t.hasPrefix(fence) && t.allSatisfy { $0 == "`" }
            }) else {
                throw ParseError(path: path, line: open, message: "code block opened here is never closed with \(fence)")
            }
            let body = Array(lines[(i + 1)..<close])
            if info == "facet" {
                flushProse()
                blocks.append(.code(source: body.joined(separator: "\n"), firstLine: open + 1))
            } else {
                prose.append(line); prose += body; prose.append(fence)
            }
            i = close + 1
        }
        flushProse()
        return blocks
    }

    static func unknownKeyMessage(_ key: String) -> String {
        var message = "unknown front-matter key `\(key)`"
        if let s = suggestion(for: key, among: frontMatterKeys) { message += "; did you mean `\(s)`?" }
        return message + " (a notebook's front matter takes \(frontMatterKeys.map { "`\($0)`" }.joined(separator: " and ")))"
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { return String(s.dropFirst().dropLast()) }
        return s
    }
}
