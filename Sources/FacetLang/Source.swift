import FacetFiles
import Foundation

/// One unit of source text: a `.facet` file, a notebook cell or a REPL line.
public final class SourceFile: @unchecked Sendable {
    /// Name used in diagnostics (`paper.facet`, `cell 3`, `<repl>`).
    public let name: String
    public let text: String
    /// UTF-8 bytes of `text`; ranges are byte offsets into this array.
    public let bytes: [UInt8]
    /// Byte offset at which each line starts.
    let lineStarts: [Int]
    /// Line number of the text's first line in the file it came from: a notebook cell starting
    /// on line 13 of its `.fnb` has 13, so diagnostics give the notebook's line numbers.
    public let firstLine: Int
    /// `firstLine - 1`: lines of the container before this text.
    public var lineOffset: Int { firstLine - 1 }

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.firstLine = firstLine
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where buffer[i] == 10 { starts.append(i + 1) }
        }
        self.lineStarts = starts
    }

    /// Reads a file from disk, naming it by the path as given: a regular file, UTF-8, any line
    /// endings (`InputFile.text`).
    public convenience init(path: String) throws {
        let text = try InputFile.text(path)
        self.init(name: path, text: text)
    }

    /// 1-based line (in the container, see `lineOffset`) and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let (line, column) = localLocation(of: offset)
        return (line + lineOffset, column)
    }

    /// Line within this text and column of a byte offset.
    public func localLocation(of offset: Int) -> (line: Int, column: Int) {
        let o = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {   // last line start <= o
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        let prefix = bytes[lineStarts[lo]..<o]
        return (lo + 1, String(decoding: prefix, as: UTF8.self).count + 1)
    }

    /// The text of a 1-based line (counted like `location`), without its newline.
    public func lineText(_ line: Int) -> String {
        let line = line - lineOffset
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    func slice(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

/// A half-open byte range in one source file; every token, AST node and compiled layer has one.
public struct SourceRange: Equatable, CustomStringConvertible, @unchecked Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file; self.start = start; self.end = max(start, end)
    }

    public static func == (a: SourceRange, b: SourceRange) -> Bool {
        a.file === b.file && a.start == b.start && a.end == b.end
    }

    /// The range from the start of `self` to the end of `other`.
    public func to(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var line: Int { file.location(of: start).line }
    public var column: Int { file.location(of: start).column }

    /// `paper.facet:12:3`
    public var description: String {
        let (l, c) = file.location(of: start)
        return "\(file.name):\(l):\(c)"
    }

    /// The source text the range covers.
    public var text: String { file.slice(start..<min(end, file.bytes.count)) }
}
