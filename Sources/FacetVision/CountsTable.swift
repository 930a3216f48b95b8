/// Samples per class of each attribute in each part of a data set (train, valid, test; or all
/// samples), and samples whose label is missing: the one counts table, drawn as Markdown in
/// reports (`show data`, a task) and as aligned text by `facet data info`.
public struct CountsTable: Sendable {
    /// One attribute's rows.
    public struct Block: Sendable {
        public let attribute: String
        public let classes: [String]
        /// perClass[k][p]: samples of class k in part p.
        public let perClass: [[Int]]
        /// missing[p]: samples of part p without a label.
        public let missing: [Int]
    }

    public let parts: [String]
    public let blocks: [Block]

    /// Counts of `attributes` (those the data set has, in its order) over `parts`.
    public init(_ data: FaceDataset, attributes: [String], parts: [(name: String, indices: [Int])]) {
        self.parts = parts.map(\.name)
        blocks = data.attributes.filter(attributes.contains).map { name in
            let classes = data.classes[name] ?? []
            let column = data.labels[name] ?? []
            var perClass = [[Int]](repeating: [Int](repeating: 0, count: parts.count), count: classes.count)
            var missing = [Int](repeating: 0, count: parts.count)
            for (p, part) in parts.enumerated() {
                for i in part.indices {
                    if column[i] >= 0 { perClass[Int(column[i])][p] += 1 } else { missing[p] += 1 }
                }
            }
            return Block(attribute: name, classes: classes, perClass: perClass, missing: missing)
        }
    }

    /// Every split as a part, empty ones too (`facet data info`).
    public init(_ data: FaceDataset) {
        self.init(data, attributes: data.attributes, parts: Split.allCases.map { ("\($0)", data.indices(in: $0)) })
    }

    /// A Markdown table (`attribute | class | parts… | total`); `total` adds the sum column; a
    /// "(missing)" row appears when some labels are missing.
    public func markdown(total: Bool) -> String {
        var rows = [["attribute", "class"] + parts + (total ? ["total"] : [])]
        func cells(_ counts: [Int]) -> [String] { counts.map(String.init) + (total ? [String(counts.reduce(0, +))] : []) }
        for b in blocks {
            for (k, className) in b.classes.enumerated() { rows.append([k == 0 ? b.attribute : "", className] + cells(b.perClass[k])) }
            if b.missing.contains(where: { $0 > 0 }) { rows.append(["", "(missing)"] + cells(b.missing)) }
        }
        guard let header = rows.first else { return "" }
        var md = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
        for r in rows.dropFirst() { md += "| " + r.joined(separator: " | ") + " |\n" }
        return md
    }

    /// Aligned text for a terminal: per attribute, `NAME:`, then class names and right-aligned counts.
    public func textLines() -> [String] {
        func right(_ s: String) -> String { s.count >= 8 ? s : String(repeating: " ", count: 8 - s.count) + s }
        var lines: [String] = []
        for b in blocks {
            lines.append("\(b.attribute):")
            let width = max("(missing)".count, b.classes.map(\.count).max() ?? 0) + 2
            lines.append("  " + "class".padding(toLength: width, withPad: " ", startingAt: 0) + parts.map(right).joined())
            for (k, name) in b.classes.enumerated() {
                lines.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + b.perClass[k].map { right(String($0)) }.joined())
            }
            if b.missing.contains(where: { $0 > 0 }) {
                lines.append("  " + "(missing)".padding(toLength: width, withPad: " ", startingAt: 0) + b.missing.map { right(String($0)) }.joined())
            }
        }
        return lines
    }
}
