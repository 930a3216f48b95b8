import CSVG
import Foundation

/// A figure's SVG drawn as PNG by librsvg (`CSVG`), for front ends that show SVG only in places
/// they trust: JupyterLab sanitises SVG away in an untrusted notebook (one nbclient or papermill
/// executed, or one received from someone else) but shows PNG.
public enum SVGRaster {
    /// PNG bytes and their size in pixels.
    public struct Image {
        public var png: Data
        public var width: Int, height: Int
    }

    /// Why an SVG could not be drawn (librsvg's words).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `svg` drawn at `scale` times its own size (2: sharp on high-density screens; the front end
    /// is told the 1× size), on white.
    public static func png(_ svg: String, scale: Double = 2) throws -> Image {
        var bytes = Array(svg.utf8)
        if bytes.isEmpty { bytes = [0] }
        var png: UnsafeMutablePointer<UInt8>?
        var length = 0, width: Int32 = 0, height: Int32 = 0
        var message = [CChar](repeating: 0, count: 512)
        let status = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { text in
                csvg_render_png(text, svg.utf8.count, scale, &png, &length, &width, &height, &message, message.count)
            }
        }
        guard status == 0, let png else { throw Failure(description: String(cString: message)) }
        defer { csvg_free(png) }
        return Image(png: Data(bytes: png, count: length), width: Int(width), height: Int(height))
    }
}
