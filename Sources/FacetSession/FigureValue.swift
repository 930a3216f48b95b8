import FacetLang

/// A figure (SVG) with an optional Markdown table of the same numbers, so a report reader gets
/// both the picture and the figures.
public final class FigureValue: ForeignValue, Renderable {
    public let kind: String
    public let caption: String
    public let svg: String
    public let table: String?
    /// The numbers behind the figure, for notebooks to compute with (e.g. a similarity matrix).
    public let fields: [String: Value]

    init(kind: String, caption: String, svg: String, table: String? = nil, fields: [String: Value] = [:]) {
        self.kind = kind; self.caption = caption; self.svg = svg; self.table = table; self.fields = fields
    }

    public var typeName: String { "figure" }
    public var description: String { "figure: \(caption)" + (table.map { "\n" + $0 } ?? "") }
    public func member(_ name: String) -> Value? { name == "svg" ? .string(svg) : fields[name] }
    public var memberNames: [String] { ["svg"] + fields.keys.sorted() }

    public func render(in session: Session) -> [OutputItem] {
        var items: [OutputItem] = [.figure(name: session.nextFigureName(kind), svg: svg, caption: caption)]
        if let table { items.append(.markdown(table)) }
        return items
    }
}

/// A Markdown table value (`table(rows)`, metric tables).
public final class TableValue: ForeignValue, Renderable {
    public let markdown: String
    public let rows: [Record]
    init(markdown: String, rows: [Record] = []) { self.markdown = markdown; self.rows = rows }

    public var typeName: String { "table" }
    public var description: String { markdown }
    public func member(_ name: String) -> Value? { name == "rows" ? .list(rows.map { .record($0) }) : nil }
    public var memberNames: [String] { ["rows"] }
    public func render(in session: Session) -> [OutputItem] { [.markdown(markdown)] }
}
