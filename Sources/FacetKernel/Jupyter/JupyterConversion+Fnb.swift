import FacetLang
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
        for (index, cell) in cells.enumerated() {
            let source = Self.source(cell["source"])
            let type = cell["cell_type"] as? String ?? ""
            let meta = ((cell["metadata"] as? [String: Any])?["facet"] as? [String: Any]) ?? [:]
            if isParametersCell(["metadata": cell["metadata"] ?? [:]]) {
                frontMatter = try frontMatterWith(parameters: source, stored: frontMatter, title: facet["title"] as? String,
                                                  params: facet["params"] as? String, path: path, cell: index + 1)
                continue
            }
            guard type == "markdown" || type == "code" else { continue }   // raw cells have no .fnb form
            let blanks = meta["blank_lines_before"] as? Int ?? (written == 0 ? 0 : 1)
            lines += Array(repeating: "", count: max(0, blanks))
            if type == "markdown" {
                lines += source.components(separatedBy: "\n")
            } else {
                lines.append(meta["fence_open"] as? String ?? "```facet")
                if meta["empty"] as? Bool != true { lines += source.components(separatedBy: "\n") }
                lines.append(meta["fence_close"] as? String ?? "```")
            }
            written += 1
        }
        lines += Array(repeating: "", count: facet["trailing_blank_lines"] as? Int ?? 0)
        if let frontMatter { lines = frontMatter.components(separatedBy: "\n") + lines }
        return lines.joined(separator: "\n") + (facet["final_newline"] as? Bool == false ? "" : "\n")
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
