import Foundation

/// One piece of output a cell or REPL input produced, in order.
public enum OutputItem: Sendable, Equatable {
    /// Plain text (print, summaries, values echoed by the REPL).
    case text(String)
    /// Markdown that goes into a report as is (tables).
    case markdown(String)
    /// An SVG figure; `name` is a file-name stem unique within the run, `caption` its alt text.
    case figure(name: String, svg: String, caption: String)
    /// A raster figure (sample grids): `data` encoded as `mimeType` ("image/png"), so a front end
    /// can send or save it without knowing what it shows; `name` as for `.figure`.
    case image(name: String, data: Data, mimeType: String, caption: String)
    /// An error, already rendered with location and caret.
    case error(String)
    /// Something went wrong and the run recovered (a damaged cache entry removed and recomputed).
    case warning(String)
}

/// A foreign value that knows how it shows in a report and in a terminal.
public protocol Renderable {
    /// Items for `show(value)`.
    func render(in session: Session) -> [OutputItem]
}

extension OutputItem {
    /// The file extension of an image's MIME type ("png" for image/png).
    public static func fileExtension(mimeType: String) -> String {
        mimeType.split(separator: "/").last.map(String.init) ?? "bin"
    }
}
