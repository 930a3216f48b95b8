import Foundation

/// A position as LSP counts it: 0-based line and UTF-16 code units into that line.
public struct Position: Equatable, Sendable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) { self.line = line; self.character = character }

    var json: [String: Any] { ["line": line, "character": character] }

    init?(_ json: Any?) {
        guard let d = json as? [String: Any], let l = (d["line"] as? NSNumber)?.intValue,
              let c = (d["character"] as? NSNumber)?.intValue else { return nil }
        line = l; character = c
    }
}

/// An open document: its text, version and the line index positions are converted with.
/// Positions past a line's end or past the last line are clamped, never trusted.
public struct TextDocument {
    public let uri: String
    public private(set) var text: String
    public var version: Int
    /// UTF-8 byte offset of each line's start.
    private var lineStarts: [Int] = [0]
    private var bytes: [UInt8] = []

    public init(uri: String, text: String, version: Int) {
        self.uri = uri; self.version = version; self.text = ""
        replace(text)
    }

    /// The file-system path of a `file://` URI (nil for other schemes).
    public var path: String? { Self.path(of: uri) }

    public static func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        return URL(string: uri)?.path ?? String(uri.dropFirst(7)).removingPercentEncoding
    }

    public var isNotebook: Bool { uri.hasSuffix(".fnb") }

    mutating func replace(_ new: String) {
        text = new
        bytes = Array(new.utf8)
        lineStarts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { lineStarts.append(i + 1) }
    }

    public var lineCount: Int { lineStarts.count }

    /// The byte offset of a position (clamped to the document).
    public func offset(of p: Position) -> Int {
        guard p.line >= 0 else { return 0 }
        guard p.line < lineStarts.count else { return bytes.count }
        let start = lineStarts[p.line]
        var end = p.line + 1 < lineStarts.count ? lineStarts[p.line + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == 13 { end -= 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        var units = 0, offset = start
        for scalar in line.unicodeScalars {
            if units >= p.character { break }
            units += scalar.utf16.count
            offset += scalar.utf8.count
        }
        return offset
    }

    /// The position of a byte offset (clamped).
    public func position(of offset: Int) -> Position {
        let o = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        let prefix = String(decoding: bytes[lineStarts[lo]..<o], as: UTF8.self)
        return Position(line: lo, character: prefix.utf16.count)
    }

    /// The end of a line (before its newline), as a position.
    public func endOfLine(_ line: Int) -> Position {
        let l = max(0, min(line, lineStarts.count - 1))
        var end = l + 1 < lineStarts.count ? lineStarts[l + 1] - 1 : bytes.count
        if end > lineStarts[l], bytes[end - 1] == 13 { end -= 1 }
        return position(of: end)
    }

    /// The text of a 0-based line, without its line break.
    public func line(_ line: Int) -> String {
        guard line >= 0, line < lineStarts.count else { return "" }
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == 13 { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// Applies one `contentChanges` entry: a range and its new text, or the whole text.
    public mutating func apply(_ change: [String: Any]) throws {
        guard let newText = change["text"] as? String else { throw ChangeError("a change without text") }
        guard let range = change["range"] as? [String: Any] else { replace(newText); return }
        guard let s = Position(range["start"]), let e = Position(range["end"]) else { throw ChangeError("a change with a malformed range") }
        let a = offset(of: s), b = max(a, offset(of: e))
        var out = Array(bytes[..<a])
        out.append(contentsOf: Array(newText.utf8))
        out.append(contentsOf: bytes[b...])
        replace(String(decoding: out, as: UTF8.self))
    }

    /// The identifier (letters, digits, `_`) around a byte offset, with its byte range.
    public func word(at offset: Int) -> (String, Range<Int>)? {
        func isWord(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
        var a = min(max(offset, 0), bytes.count), b = a
        while a > 0, isWord(bytes[a - 1]) { a -= 1 }
        while b < bytes.count, isWord(bytes[b]) { b += 1 }
        guard a < b else { return nil }
        return (String(decoding: bytes[a..<b], as: UTF8.self), a..<b)
    }
}

struct ChangeError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
