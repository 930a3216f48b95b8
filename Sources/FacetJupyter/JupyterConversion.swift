import FacetLang
import FacetNotebook
import FacetFiles
import Foundation

/// `.fnb` ↔ `.ipynb`. Prose becomes Markdown cells and ` ```facet ` blocks code cells; the front
/// matter is kept verbatim in the notebook's metadata (`facet.front_matter`), and its `params`
/// also become a papermill-style `parameters` cell (`let name = value` lines). Blank lines and
/// fences that differ from the usual layout are noted in cell metadata, so .fnb → .ipynb → .fnb
/// gives the file back byte for byte.
public enum JupyterConversion {
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// Reads `path` and converts it to `format` ("ipynb" or "fnb").
    public static func convert(path: String, to format: String, parameters: [(String, String)] = []) throws -> Data {
        let data: Data
        do { data = try InputFile.data(path) } catch { throw Failure("\(path): error: \(FileFailure.reason(error))") }
        switch format {
        case "ipynb":
            let text: String
            do { text = try InputFile.text(data, path: path) } catch { throw Failure("\(path): error: \(FileFailure.reason(error))") }
            return try ipynb(fromFnb: text, path: path, parameters: parameters)
        default:
            return Data(try fnb(fromIpynb: data, path: path).utf8)
        }
    }

    // MARK: .fnb → .ipynb

    public static func ipynb(fromFnb text: String, path: String, parameters: [(String, String)] = []) throws -> Data {
        let notebook: Notebook
        let text = InputFile.normalisingLineEndings(text)
        do { notebook = try Notebook(text: text, path: path) } catch { throw Failure("\(error)") }
        var lines = text.components(separatedBy: "\n")
        let finalNewline = text.hasSuffix("\n")
        if finalNewline { lines.removeLast() }
        if text.isEmpty { lines = [] }

        var facet: [String: Any] = [:]
        var bodyStart = 0
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---",
           let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            facet["front_matter"] = lines[...close].joined(separator: "\n")
            bodyStart = close + 1
        }
        if let title = notebook.title { facet["title"] = title }
        var cells: [[String: Any]] = []
        if let params = notebook.params {
            facet["params"] = params.text
            cells.append(try parametersCell(params.text, path: path, line: params.line, overrides: parameters))
        } else if let (name, _) = parameters.first {
            throw Failure("parameter `\(name)` is not declared in \(path)'s front matter (it declares none)")
        }

        var blanks = 0
        for segment in segments(lines[bodyStart...]) {
            var meta: [String: Any] = [:]
            let expected = cells.filter { !isParametersCell($0) }.isEmpty ? 0 : 1
            if blanks != expected { meta["blank_lines_before"] = blanks }
            switch segment {
            case let .prose(core, trailingBlanks):
                cells.append(cell("markdown", core.joined(separator: "\n"), meta))
                blanks = trailingBlanks
            case let .code(open, body, close, trailingBlanks):
                if open != "```facet" { meta["fence_open"] = open }
                if close != "```" { meta["fence_close"] = close }
                if body.isEmpty { meta["empty"] = true }
                cells.append(cell("code", body.joined(separator: "\n"), meta))
                blanks = trailingBlanks
            case let .blank(count):
                blanks += count
            }
        }
        if blanks != 0 { facet["trailing_blank_lines"] = blanks }
        if !finalNewline { facet["final_newline"] = false }
        for i in cells.indices { cells[i]["id"] = "facet-\(i + 1)" }
        return json(notebookJSON(cells: cells, facet: facet))
    }

    enum Segment {
        /// Prose lines (first and last not empty) and the empty lines after them.
        case prose([String], trailingBlanks: Int)
        case code(open: String, body: [String], close: String, trailingBlanks: Int)
        /// Empty lines before the first cell.
        case blank(Int)
    }

    /// The body split as `Notebook` splits it (same fence rule), keeping every line.
    static func segments(_ lines: ArraySlice<String>) -> [Segment] {
        var result: [Segment] = []
        var prose: [String] = []
        func flush() {
            var core = prose
            var trailing = 0
            while core.last == "" { core.removeLast(); trailing += 1 }
            var leading = 0
            while core.first == "" { core.removeFirst(); leading += 1 }
            if leading > 0 { addBlanks(leading) }
            if !core.isEmpty { result.append(.prose(core, trailingBlanks: trailing)) } else { addBlanks(trailing) }
            prose = []
        }
        func addBlanks(_ n: Int) {
            switch result.last {
            case let .prose(c, t)?: result[result.count - 1] = .prose(c, trailingBlanks: t + n)
            case let .code(o, b, c, t)?: result[result.count - 1] = .code(open: o, body: b, close: c, trailingBlanks: t + n)
            case let .blank(t)?: result[result.count - 1] = .blank(t + n)
            case nil: result.append(.blank(n))
            }
        }
        var i = lines.startIndex
        while i < lines.endIndex {
            let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { prose.append(lines[i]); i += 1; continue }
            let fence = String(trimmed.prefix { $0 == "`" })
            guard let close = lines[(i + 1)...].firstIndex(where: {
                let t = $0.trimmingCharacters(in: .whitespaces)
                return t.hasPrefix(fence) && t.allSatisfy { $0 == "`" }
            }) else { prose += lines[i...]; break }   // Notebook has already rejected this
            if trimmed.drop { $0 == "`" }.trimmingCharacters(in: .whitespaces) == "facet" {
                flush()
                result.append(.code(open: lines[i], body: Array(lines[(i + 1)..<close]), close: lines[close], trailingBlanks: 0))
            } else {
                prose += lines[i...close]
            }
            i = close + 1
        }
        flush()
        return result
    }

    /// `let name = value` for each field of the front matter's `params`, `-p` overrides applied.
    static func parametersCell(_ params: String, path: String, line: Int, overrides: [(String, String)]) throws -> [String: Any] {
        let scratch = Interpreter(registry: BuiltinRegistry(), output: { _ in })
        let value: Value
        do { value = try scratch.run(SourceFile(name: path + " (params)", text: params, firstLine: line)) } catch {
            throw Failure("\(error)")
        }
        guard case let .record(record) = value else {
            throw Failure("\(path):\(line): `params` must be a record such as { epochs: 50 }, got \(value.typeName)")
        }
        var fields = record.fields.map { ($0.name, $0.value.repr) }
        for (name, text) in overrides {
            guard let i = fields.firstIndex(where: { $0.0 == name }) else {
                throw Failure("parameter `\(name)` is not declared in \(path)'s front matter (it declares: \(fields.map(\.0).joined(separator: ", ")))")
            }
            let literal = (try? scratch.run(SourceFile(name: "<parameter>", text: text))) ?? .string(text)
            fields[i].1 = literal.repr
        }
        let source = fields.map { "let \($0.0) = \($0.1)" }.joined(separator: "\n")
        return cell("code", source, ["tags": ["parameters"], "facet": ["parameters": true]])
    }

    static func isParametersCell(_ cell: [String: Any]) -> Bool {
        ((cell["metadata"] as? [String: Any])?["tags"] as? [String])?.contains("parameters") == true
    }

    static func cell(_ type: String, _ source: String, _ facetMeta: [String: Any]) -> [String: Any] {
        var metadata: [String: Any] = [:]
        if let tags = facetMeta["tags"] { metadata["tags"] = tags; metadata["facet"] = facetMeta["facet"] }
        else if !facetMeta.isEmpty { metadata["facet"] = facetMeta }
        var c: [String: Any] = ["cell_type": type, "metadata": metadata, "source": sourceLines(source)]
        if type == "code" { c["outputs"] = [Any](); c["execution_count"] = NSNull() }
        return c
    }

    /// Jupyter's source form: lines each ending in "\n" but the last.
    static func sourceLines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        let parts = text.components(separatedBy: "\n")
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }.filter { !$0.isEmpty }
    }

    static func notebookJSON(cells: [[String: Any]], facet: [String: Any]) -> [String: Any] {
        [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": [
                "kernelspec": ["name": "facet", "display_name": "Facet", "language": "facet"],
                "language_info": ["name": "facet", "file_extension": ".facet", "mimetype": "text/x-facet"],
                "facet": facet,
            ],
            "cells": cells,
        ]
    }

    static func json(_ object: Any) -> Data {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return data + Data("\n".utf8)
    }
}
