import CVision
import Foundation

/// Face crops laid out in rows and columns with a caption under each tile and, optionally, a label
/// at the start of each row; encoded as a grayscale PNG by OpenCV (`CVision/grid.cpp`).
///
/// Geometry (what a reader of the PNG can rely on): each crop pixel becomes `scale × scale` pixels
/// of the same value; tile (row, column) starts at `origin(row:column:)`; captions sit in a band of
/// `captionLines` text lines under their tile; the background is white (255).
public struct SampleGrid: Sendable {
    /// One crop and where it goes.
    public struct Tile: Sendable {
        /// `side × side` display bytes (see `FaceDataset.displayPixels`).
        public var pixels: [UInt8]
        public var row: Int, column: Int
        /// Caption lines ('\n'), wrapped to the tile's width; non-ASCII characters are replaced.
        public var caption: String
        public init(pixels: [UInt8], row: Int, column: Int, caption: String) {
            (self.pixels, self.row, self.column, self.caption) = (pixels, row, column, caption)
        }
    }

    /// Side of the crops in pixels.
    public let side: Int
    public let rows: Int, columns: Int
    /// One label per row (e.g. the class of a `by:` grid), or empty for no label band.
    public let rowLabels: [String]
    public let tiles: [Tile]
    /// Text lines under each tile.
    public let captionLines: Int

    public static let gap = 8, lineHeight = 14, labelWidth = 110
    /// Tiles are enlarged by a whole factor to at least this side, so captions fit under them.
    public static let smallestTile = 120

    /// A grid; every tile must lie within `rows × columns` and have `side²` pixels.
    public init(side: Int, rows: Int, columns: Int, rowLabels: [String] = [], tiles: [Tile], captionLines: Int = 2) throws {
        guard side > 0, rows > 0, columns > 0 else { throw VisionError("a grid needs at least one row and column of crops") }
        guard rowLabels.isEmpty || rowLabels.count == rows else {
            throw VisionError("a grid of \(rows) rows needs \(rows) row labels, got \(rowLabels.count)")
        }
        for t in tiles where t.pixels.count != side * side || !(0..<rows).contains(t.row) || !(0..<columns).contains(t.column) {
            throw VisionError("a tile at row \(t.row), column \(t.column) with \(t.pixels.count) pixels does not fit a \(rows)×\(columns) grid of \(side)×\(side) crops")
        }
        (self.side, self.rows, self.columns, self.rowLabels, self.tiles) = (side, rows, columns, rowLabels, tiles)
        self.captionLines = max(1, captionLines)
    }

    /// Each crop pixel becomes scale × scale pixels.
    public var scale: Int { max(1, (Self.smallestTile + side - 1) / side) }
    public var tileSide: Int { side * scale }
    var labelBand: Int { rowLabels.isEmpty ? 0 : Self.labelWidth }
    var captionBand: Int { captionLines * Self.lineHeight }

    /// Top-left pixel of the tile at (row, column).
    public func origin(row: Int, column: Int) -> (x: Int, y: Int) {
        (Self.gap + labelBand + column * (tileSide + Self.gap), Self.gap + row * (tileSide + captionBand + Self.gap))
    }

    public var width: Int { Self.gap + labelBand + columns * (tileSide + Self.gap) }
    public var height: Int { Self.gap + rows * (tileSide + captionBand + Self.gap) }

    /// The grid as PNG bytes.
    public func png() throws -> Data {
        var texts: [(String, Int, Int, Int, Int)] = []   // text, x, y, width, lines
        for t in tiles {
            let o = origin(row: t.row, column: t.column)
            texts.append((t.caption, o.x, o.y + tileSide, tileSide, captionLines))
        }
        for (row, label) in rowLabels.enumerated() {
            let o = origin(row: row, column: 0)
            texts.append((label, Self.gap, o.y + max(0, tileSide / 2 - Self.lineHeight), Self.labelWidth - Self.gap, 3))
        }
        // The C structs borrow the strings and pixels: keep them alive for the call.
        let strings = texts.map { strdup(asciiText($0.0)) }
        defer { strings.forEach { free($0) } }
        let cTexts = texts.enumerated().map { i, t in
            cv_grid_text(text: UnsafePointer(strings[i]), x: Int32(t.1), y: Int32(t.2), width: Int32(t.3),
                         line_height: Int32(Self.lineHeight), max_lines: Int32(t.4))
        }
        let pixels = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, tiles.count * side * side))
        defer { pixels.deallocate() }
        var cTiles: [cv_grid_tile] = []
        for (i, t) in tiles.enumerated() {
            let slot = pixels + i * side * side
            slot.initialize(from: t.pixels, count: side * side)
            let o = origin(row: t.row, column: t.column)
            cTiles.append(cv_grid_tile(pixels: UnsafePointer(slot), side: Int32(side), x: Int32(o.x), y: Int32(o.y), scale: Int32(scale)))
        }
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        try checkedCall("drawing a \(rows)×\(columns) sample grid") { err, len in
            cTiles.withUnsafeBufferPointer { tp in cTexts.withUnsafeBufferPointer { xp in
                cv_grid_png(Int32(width), Int32(height), tp.baseAddress, Int32(tp.count), xp.baseAddress, Int32(xp.count),
                            &bytes, &length, err, len)
            } }
        }
        defer { cv_bytes_free(bytes) }
        return Data(bytes: bytes!, count: length)
    }
}

/// Text the Hershey font can draw: arrows become "->", other non-ASCII characters '?'.
func asciiText(_ s: String) -> String {
    String(s.replacingOccurrences(of: "→", with: "->").replacingOccurrences(of: "×", with: "x")
        .unicodeScalars.map { $0.isASCII ? Character($0) : "?" })
}
