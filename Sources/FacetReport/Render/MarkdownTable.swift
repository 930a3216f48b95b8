/// A Markdown (GitHub pipe) table with aligned columns, consistent number formats and highlighted best cells.
///
/// ```swift
/// var t = try MarkdownTable(headers: ["class", "precision"], rows: [["happy", 0.81], ["sad", 0.52]])
/// t.highlight = .max(.column(1))
/// print(t.render())
/// ```
public struct MarkdownTable: Equatable, Sendable {
    /// One table cell.
    public enum Cell: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
        ExpressibleByIntegerLiteral
    {
        case text(String)
        /// A number written with the column's format; NaN prints "n/a".
        case number(Double)
        /// A number that does not exist (e.g. AUC of a class with no positives); prints "n/a".
        case missing

        /// A number, or `.missing` for `nil`.
        public init(_ value: Double?) { self = value.map(Cell.number) ?? .missing }
        public init(stringLiteral value: String) { self = .text(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
        public init(integerLiteral value: Int) { self = .number(Double(value)) }

        var numericValue: Double? {
            if case .number(let v) = self, v.isFinite { return v }
            return nil
        }
    }

    /// Which cells are best and set in bold.
    public enum Highlight: Equatable, Sendable {
        /// Largest value in the scope.
        case max(Scope)
        /// Smallest value in the scope.
        case min(Scope)
    }

    /// Where a best cell is looked for.
    public enum Scope: Equatable, Sendable {
        case column(Int), eachColumn, eachRow, all
        /// Each of these columns on its own (e.g. the measured ones, not the settings).
        case columns([Int])
    }

    public let headers: [String]
    public let rows: [[Cell]]
    /// Format of number cells in columns with no entry in `columnFormats`.
    public var format: NumberFormat
    /// Per-column number formats, by column index.
    public var columnFormats: [Int: NumberFormat] = [:]
    /// Best cells to set in bold (ties all bold), or none.
    public var highlight: Highlight?

    /// A table; every row must have one cell per header.
    public init(headers: [String], rows: [[Cell]], format: NumberFormat = .fixed(3)) throws {
        try Check.nonEmpty("MarkdownTable", "headers", headers.count)
        for (i, row) in rows.enumerated() where row.count != headers.count {
            throw ReportError.lengthMismatch(function: "MarkdownTable", what: "rows[\(i)]", expected: headers.count, got: row.count)
        }
        self.headers = headers
        self.rows = rows
        self.format = format
    }

    /// The table as Markdown, one line per row, each column padded to its widest cell.
    public func render() -> String {
        let bold = boldCells()
        let body: [[String]] = rows.enumerated().map { r, row in
            row.enumerated().map { c, cell in
                let text = self.text(cell, column: c)
                return bold.contains(Position(row: r, column: c)) ? "**\(text)**" : text
            }
        }
        let header = headers.map(escape)
        let widths = header.indices.map { c in max(3, ([header[c]] + body.map { $0[c] }).map(\.count).max() ?? 0) }
        let rightAligned = headers.indices.map(isNumericColumn)
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return rightAligned[c] ? pad + s : s + pad
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.indices.map { c in
            " " + String(repeating: "-", count: widths[c] - 1) + (rightAligned[c] ? ":" : "-") + " "
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + body.map(line)).joined(separator: "\n") + "\n"
    }

    // MARK: - Cells

    private func text(_ cell: Cell, column: Int) -> String {
        switch cell {
        case .text(let s): return escape(s)
        case .number(let v): return (columnFormats[column] ?? format).string(v)
        case .missing: return "n/a"
        }
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A column with at least one number and no text (blank and missing cells aside) is right-aligned.
    private func isNumericColumn(_ c: Int) -> Bool {
        var sawNumber = false
        for row in rows {
            switch row[c] {
            case .text(let s) where !s.isEmpty: return false
            case .text: break
            case .number: sawNumber = true
            case .missing: break
            }
        }
        return sawNumber
    }

    // MARK: - Highlighting

    private struct Position: Hashable { let row: Int, column: Int }

    private func boldCells() -> Set<Position> {
        guard let highlight else { return [] }
        let (scope, better): (Scope, (Double, Double) -> Bool) = {
            switch highlight {
            case .max(let s): return (s, { $0 > $1 })
            case .min(let s): return (s, { $0 < $1 })
            }
        }()
        let all = rows.indices.flatMap { r in headers.indices.map { Position(row: r, column: $0) } }
        let groups: [[Position]]
        switch scope {
        case .column(let c): groups = [all.filter { $0.column == c }]
        case .eachColumn: groups = headers.indices.map { c in all.filter { $0.column == c } }
        case .columns(let cs): groups = cs.map { c in all.filter { $0.column == c } }
        case .eachRow: groups = rows.indices.map { r in all.filter { $0.row == r } }
        case .all: groups = [all]
        }
        var result = Set<Position>()
        for group in groups {
            let numbered = group.compactMap { p in rows[p.row][p.column].numericValue.map { (p, $0) } }
            guard var best = numbered.first?.1 else { continue }
            for (_, v) in numbered where better(v, best) { best = v }
            for (p, v) in numbered where v == best { result.insert(p) }
        }
        return result
    }
}
