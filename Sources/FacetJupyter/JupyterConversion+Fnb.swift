import FacetFiles
import FacetLang
import FacetNotebook
import Foundation

// MARK: .ipynb → .fnb

extension JupyterConversion {
    /// The .fnb text of a Jupyter notebook: Markdown cells as prose, code cells as ` ```facet `
    /// blocks, separated by one blank line unless the cell's metadata says otherwise. The front
    /// matter is the one kept in the metadata; when the `parameters` cell was edited, its
    /// `let name = value` lines become the `params` record.
    public static func fnb(fromIpynb data: Data, path: String) throws -> String {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let cells = root["cells"] as? [[String: Any]] else {
            throw Failure("\(path): error: not a Jupyter notebook (a JSON object with `cells`)")
        }
        guard (root["nbformat"] as? Int) == 4 else {
            throw Failure("\(path): error: only nbformat 4 notebooks can be converted, this one is \(root["nbformat"] ?? "unversioned")")
        }
        let facet = ((root["metadata"] as? [String: Any])?["facet"] as? [String: Any]) ?? [:]
        var frontMatter = facet["front_matter"] as? String
        var lines: [String] = []
        var written = 0
        var expected: [(cell: Int, code: String?)] = []   // what the .fnb must give back, checked below
        for (index, cell) in cells.enumerated() {
            let source = Self.source(cell["source"])
            let type = cell["cell_type"] as? String ?? ""
            let meta = ((cell["metadata"] as? [String: Any])?["facet"] as? [String: Any]) ?? [:]
            if isParametersCell(["metadata": cell["metadata"] ?? [:]]) {
                frontMatter = try frontMatterWith(parameters: source, stored: frontMatter, title: facet["title"] as? String,
                                                  params: facet["params"] as? String, path: path, cell: index + 1)
                continue
            }
            // Refuse rather than drop: a raw cell (or an unknown kind) has no .fnb form.
            guard type == "markdown" || type == "code" else {
                throw Failure("\(path): error: cell \(index + 1) is a \(type.isEmpty ? "cell without a type" : "\(type) cell"), which a .fnb cannot hold; "
                              + "make it a Markdown cell or remove it, then convert again")
            }
            if let attachments = cell["attachments"] as? [String: Any], !attachments.isEmpty {
                throw Failure("\(path): error: cell \(index + 1) has attached files (\(attachments.keys.sorted().joined(separator: ", "))), which a .fnb cannot hold")
            }
            let blanks = meta["blank_lines_before"] as? Int ?? (written == 0 ? 0 : 1)
            lines += Array(repeating: "", count: max(0, blanks))
            let body = InputFile.normalisingLineEndings(source)
            if type == "markdown" {
                lines += body.components(separatedBy: "\n")
                expected.append((index + 1, nil))
            } else {
                let empty = meta["empty"] as? Bool == true && body.isEmpty
                let bodyLines = empty ? [] : body.components(separatedBy: "\n")
                // A line of backticks inside the cell would close a ``` fence: open with more.
                let (open, close) = fences(for: bodyLines, open: meta["fence_open"] as? String, close: meta["fence_close"] as? String)
                lines.append(open)
                lines += bodyLines
                lines.append(close)
                expected.append((index + 1, bodyLines.joined(separator: "\n")))
            }
            written += 1
        }
        lines += Array(repeating: "", count: facet["trailing_blank_lines"] as? Int ?? 0)
        // Without front matter, a first line `---` (a Markdown rule) would open one: a blank line
        // before it keeps the cell's text and its meaning.
        if frontMatter == nil, lines.first?.trimmingCharacters(in: .whitespaces) == "---" { lines.insert("", at: 0) }
        let body = lines
        if let frontMatter { lines = frontMatter.components(separatedBy: "\n") + lines }
        try checkKept(body, expected, path: path)
        let text = lines.joined(separator: "\n") + (facet["final_newline"] as? Bool == false ? "" : "\n")
        // Never write a .fnb that does not read back.
        do { _ = try Notebook(text: text, path: path) } catch {
            throw Failure("\(path): error: the converted notebook would not read back as .fnb (\(error)); nothing was written")
        }
        return text
    }

    /// The fences for a code cell: the stored ones (or ```` ```facet ````), longer when a body line
    /// is a run of backticks that would close them early.
    static func fences(for body: [String], open: String?, close: String?) -> (String, String) {
        let longest = body.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("```") && $0.allSatisfy { $0 == "`" } }.map(\.count).max() ?? 0
        let stored = (open ?? "```facet", close ?? "```")
        let storedTicks = stored.0.trimmingCharacters(in: .whitespaces).prefix { $0 == "`" }.count
        guard longest >= storedTicks else { return stored }
        let ticks = String(repeating: "`", count: longest + 1)
        return (ticks + "facet", ticks)
    }

    /// The .fnb body read back the way `Notebook` reads it must give every code cell back, in
    /// order and unchanged, and no code cell a Markdown cell did not hold; else the conversion is
    /// refused, naming the first cell that would change (a Markdown cell holding a ```` ```facet ````
    /// block or a fence it never closes).
    static func checkKept(_ body: [String], _ expected: [(cell: Int, code: String?)], path: String) throws {
        let got = segments(body[...]).compactMap { s -> String? in
            if case let .code(_, b, _, _) = s { return b.joined(separator: "\n") } else { return nil }
        }
        let want = expected.compactMap(\.code)
        guard got != want else { return }
        let codeCells = expected.filter { $0.code != nil }
        let k = zip(got, want).prefix { $0 == $1 }.count
        // The cell where reading back first goes wrong: the code cell that changed, or the
        // Markdown cell before it that opened a block.
        let at = k < codeCells.count ? codeCells[k].cell : (expected.last?.cell ?? 1)
        let before = expected.last { $0.cell < at && $0.code == nil }?.cell
        let cell = got.count > want.count ? (before ?? at) : at
        throw Failure("\(path): error: cell \(cell) would not survive as .fnb: a Markdown cell holding a ```facet block "
                      + "or an unclosed ``` fence would change the cells after it; put the block in a code cell or close the fence")
    }

    static func source(_ value: Any?) -> String {
        if let s = value as? String { return s }
        return (value as? [String] ?? []).joined()
    }

    /// The front matter for a `parameters` cell: the stored one when the cell is still what it
    /// would generate, else one whose `params` lists the cell's `let name = value` lines.
    static func frontMatterWith(parameters source: String, stored: String?, title: String?, params: String?,
                                path: String, cell: Int) throws -> String? {
        if let params, let generated = try? parametersCell(params, path: path, line: 1, overrides: []),
           Self.source(generated["source"]) == source {
            return stored
        }
        var fields: [String] = []
        for line in source.components(separatedBy: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("let "), let eq = t.firstIndex(of: "=") else {
                throw Failure("\(path): error: cell \(cell) (parameters) line `\(t)`: a parameters cell holds `let name = value` lines")
            }
            let name = t[t.index(t.startIndex, offsetBy: 4)..<eq].trimmingCharacters(in: .whitespaces)
            fields.append("\(name): \(t[t.index(after: eq)...].trimmingCharacters(in: .whitespaces))")
        }
        let record = "params: { " + fields.joined(separator: ", ") + " }"
        guard let stored else {
            return "---\n" + (title.map { "title: \($0)\n" } ?? "") + record + "\n---"
        }
        // Replace the params entry (it may span lines while its braces are open) in the stored front matter.
        var lines = stored.components(separatedBy: "\n")
        if let start = lines.firstIndex(where: { $0.hasPrefix("params:") }) {
            var end = start
            var text = String(lines[start].dropFirst("params:".count))
            while InputStatus(of: text) == .incomplete, end + 1 < lines.count - 1 { end += 1; text += "\n" + lines[end] }
            lines.replaceSubrange(start...end, with: [record])
        } else {
            lines.insert(record, at: lines.count - 1)
        }
        return lines.joined(separator: "\n")
    }
}
