import FacetLang
import Foundation

/// A raster figure (a PNG sample grid): shows as an `.image` output item — the report links it from
/// its `_files` folder, the REPL writes it and prints the path, a notebook front end sends it as
/// `image/png` — after a note about the choice of samples, if any.
public final class ImageValue: ForeignValue, Renderable {
    public let kind: String
    public let caption: String
    public let png: Data
    /// Said before the image (e.g. "n: 500 is more than the 300 samples: all are shown").
    public let note: String?
    /// What the grid shows, for notebooks and tests (`indices`, `count`, `width`, `height`).
    public let fields: [String: Value]

    init(kind: String, caption: String, png: Data, note: String?, fields: [String: Value]) {
        (self.kind, self.caption, self.png, self.note, self.fields) = (kind, caption, png, note, fields)
    }

    public var typeName: String { "image" }
    public var description: String { "image: \(caption)" + (note.map { " (\($0))" } ?? "") }
    public func member(_ name: String) -> Value? { fields[name] }
    public var memberNames: [String] { fields.keys.sorted() }

    public func render(in session: Session) -> [OutputItem] {
        (note.map { [OutputItem.text("note: " + $0)] } ?? [])
            + [.image(name: session.nextFigureName(kind), data: png, mimeType: "image/png", caption: caption)]
    }
}

/// A value that is also a list of records, so `table(...)` tabulates it (mistakes, metric tables).
protocol RecordList {
    var records: [Record] { get }
}

extension TableValue: RecordList {
    var records: [Record] { rows }
}

/// `mistakes(...)`: the grid of the worst samples and the same samples as records (`index`,
/// `actual`, `predicted`, `probability` or `error`, `loss`), highest loss first.
public final class MistakesValue: ForeignValue, Renderable, RecordList {
    public let grid: ImageValue?
    let records: [Record]
    let markdown: String
    let text: String

    init(grid: ImageValue?, records: [Record], markdown: String, text: String) {
        (self.grid, self.records, self.markdown, self.text) = (grid, records, markdown, text)
    }

    public var typeName: String { "mistakes" }
    /// What `print` shows: the records as a plain-text table.
    public var description: String { text }
    public func member(_ name: String) -> Value? {
        switch name {
        case "list", "rows": return .list(records.map { .record($0) })
        case "count": return .number(Double(records.count))
        case "grid": return grid.map { .foreign($0) }
        default: return nil
        }
    }
    public var memberNames: [String] { ["count", "grid", "list", "rows"] }

    public func render(in session: Session) -> [OutputItem] {
        (grid?.render(in: session) ?? []) + [.markdown(markdown)]
    }
}
