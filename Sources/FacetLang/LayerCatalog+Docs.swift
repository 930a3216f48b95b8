// MARK: The docs' layer table

/// The layer-statement table of docs/language.md, generated from `layerCatalog`;
/// `LayerCatalogTests` fails when the file's copy differs, so the docs cannot drift.
public func layerTableMarkdown() -> String {
    var lines = ["| statement | engine layer | notes |", "|---|---|---|"]
    for d in layerCatalog {
        let engine: String
        switch d.build {
        case .input: engine = "the net's input"
        case .layer: engine = "`.\(d.keyword)`"   // LayerCatalogTests checks the engine's kind is the keyword
        }
        let defaults = d.arguments.compactMap { a in a.defaultValue.map { "; `\(a.placeholder)` defaults to \($0)" } }
        lines.append("| `\(d.usage)` | \(engine) | \(d.doc + defaults.joined()) |")
    }
    return lines.joined(separator: "\n")
}
