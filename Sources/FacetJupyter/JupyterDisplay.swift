import Foundation

/// How Facet's output items look in a notebook: MIME bundles for `display_data`.
public enum JupyterDisplay {
    /// A Markdown table: `text/markdown`, with `plain` (else the same text) as the `text/plain` fallback.
    public static func markdown(_ text: String, plain: String? = nil) -> [String: Any] {
        ["text/markdown": text, "text/plain": plain ?? text]
    }

    /// A figure file's bundle, its MIME type chosen by the file's extension: `.svg` →
    /// `image/svg+xml` (text) and `image/png` drawn from it, `.png` → `image/png` (base64); the
    /// caption is the plain-text fallback. Nil for an extension no notebook front end displays.
    public static func figure(fileName: String, contents: Data, caption: String) -> [String: Any]? {
        figureDisplay(fileName: fileName, contents: contents, caption: caption)?.data
    }

    /// A figure's `data` and `metadata` for `display_data`. An SVG goes with a PNG of itself
    /// (`SVGRaster`, twice its size, the metadata giving the 1× size), because JupyterLab hides SVG in
    /// an untrusted notebook and shows the PNG there; where drawing fails the SVG goes alone.
    public static func figureDisplay(fileName: String, contents: Data, caption: String)
        -> (data: [String: Any], metadata: [String: Any])? {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "svg":
            let svg = String(decoding: contents, as: UTF8.self)
            var data: [String: Any] = ["image/svg+xml": svg, "text/plain": caption]
            var metadata: [String: Any] = [:]
            if let image = try? SVGRaster.png(svg, scale: pngScale) {
                data["image/png"] = image.png.base64EncodedString()
                metadata["image/png"] = ["width": Int((Double(image.width) / pngScale).rounded()),
                                         "height": Int((Double(image.height) / pngScale).rounded())]
            }
            return (data, metadata)
        case "png": return (["image/png": contents.base64EncodedString(), "text/plain": caption], [:])
        case "jpg", "jpeg": return (["image/jpeg": contents.base64EncodedString(), "text/plain": caption], [:])
        default: return nil
        }
    }

    /// How much larger than its own size an SVG figure's PNG is drawn.
    public static let pngScale = 2.0

    /// Seconds of work before a progress display opens in a notebook.
    public static let progressDelay: TimeInterval = 0.5

    /// One line of a progress bar as drawn for a terminal, made plain: the carriage return and
    /// erase-line codes the bar redraws with are dropped, and so is the final newline.
    public static func progressText(_ drawn: String) -> String {
        var text = drawn.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\u{1B}[2K", with: "")
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
