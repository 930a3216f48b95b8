import Foundation

/// The rows of a FER2013 CSV (`emotion,pixels,Usage`), parsed at byte level.
struct FER2013Table {
    /// Image side (48 for FER2013; any square size is accepted).
    var side: Int
    /// `count × side × side` bytes.
    var pixels: [UInt8]
    /// Emotion class 0...6 per row.
    var emotion: [Int32]
    /// Split per row from the Usage column, nil when the file has no Usage column.
    var usage: [Split]?
    /// 1-based line number of each row, for error messages and sample names.
    var lines: [Int]

    var count: Int { emotion.count }

    /// FER2013's seven emotion classes, in label order.
    static let emotionNames = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
}

/// Byte-level FER2013 parser: no per-row Strings, the data rows split into one chunk per core
/// (at line boundaries) and parsed in parallel, errors naming file:line.
struct FER2013Parser {
    let name: String   // the file name used in messages
    let bytes: UnsafeRawBufferPointer
    var workers = ProcessInfo.processInfo.activeProcessorCount

    enum Column { case emotion, pixels, usage, other }

    /// The layout every data row must follow, fixed by the header and the first data row.
    struct Layout {
        var columns: [Column]
        var pixelsPerRow: Int
    }

    func parse() throws -> FER2013Table {
        let text = ByteText(bytes)
        var position = text.startsWithBOM ? 3 : 0  // UTF-8 byte-order mark from spreadsheet exports
        var line = 1
        // Skip leading blank lines; the first non-blank line is a header or the first data row.
        while position < text.count, text.isBlank(text.line(at: position)) {
            position = text.line(at: position).next
            line += 1
        }
        guard position < text.count else { throw VisionError("\(name): no data rows") }
        let first = text.line(at: position)
        var columns: [Column] = [.emotion, .pixels, .usage]
        var dataStart = position, dataLine = line
        if let header = try parseHeader(text.fields(first), text: text, line: line) {
            columns = header
            dataStart = first.next
            dataLine = line + 1
        } else if text.fields(first).count == 2 {
            columns = [.emotion, .pixels]  // no header and no Usage column
        }
        let layout = try firstRowLayout(text, from: dataStart, line: dataLine, columns: columns)

        // Parse chunks in parallel; each counts its own lines so numbers can be made absolute after.
        let ranges = text.chunks(from: dataStart, count: max(1, workers))
        var results = [FERChunk?](repeating: nil, count: ranges.count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                (base + k).pointee = FERChunk(text, range: ranges[k], layout: layout)
            }
        }
        var table = FER2013Table(side: Int(Double(layout.pixelsPerRow).squareRoot()), pixels: [], emotion: [],
                                 usage: columns.contains(.usage) ? [] : nil, lines: [])
        table.pixels.reserveCapacity(results.reduce(0) { $0 + $1!.pixels.count })
        var lineOffset = dataLine - 1
        for result in results.map({ $0! }) {
            if let failure = result.failure {
                throw VisionError("\(name):\(lineOffset + failure.line): \(failure.message)")
            }
            table.pixels += result.pixels
            table.emotion += result.emotion
            table.usage? += result.usage
            table.lines += result.lines.map { lineOffset + Int($0) }
            lineOffset += result.lineCount
        }
        guard table.count > 0 else { throw VisionError("\(name): no data rows") }
        return table
    }

    /// Column roles if this row is a header (its first field starts with a non-digit), nil if data.
    /// Column order may vary: the ICML release writes "emotion, Usage, pixels".
    private func parseHeader(_ fields: [Range<Int>], text: ByteText, line: Int) throws -> [Column]? {
        guard let first = fields.first, !first.isEmpty, !text.isDigit(first.lowerBound) else { return nil }
        let names = fields.map { text.string($0).lowercased() }
        let columns: [Column] = names.map {
            switch $0 {
            case "emotion": return .emotion
            case "pixels": return .pixels
            case "usage": return .usage
            default: return .other
            }
        }
        for (needed, label) in [(Column.emotion, "emotion"), (.pixels, "pixels")] where !columns.contains(needed) {
            throw VisionError("\(name):\(line): header has no '\(label)' column (found: \(names.joined(separator: ", ")))")
        }
        return columns
    }

    /// The pixel count of the first data row, which every other row must match.
    private func firstRowLayout(_ text: ByteText, from start: Int, line: Int, columns: [Column]) throws -> Layout {
        var position = start, line = line
        while position < text.count {
            let row = text.line(at: position)
            if !text.isBlank(row) {
                let fields = text.fields(row)
                guard fields.count == columns.count else {
                    throw VisionError("\(name):\(line): expected \(columns.count) fields (\(Self.describe(columns))), found \(fields.count)")
                }
                let count = text.countValues(fields[columns.firstIndex(of: .pixels)!])
                let side = Int(Double(count).squareRoot().rounded())
                guard count > 0, side * side == count else {
                    throw VisionError("\(name):\(line): pixels has \(count) values, which is not a square image")
                }
                return Layout(columns: columns, pixelsPerRow: count)
            }
            position = row.next
            line += 1
        }
        throw VisionError("\(name): no data rows")
    }

    static func describe(_ columns: [Column]) -> String {
        columns.map { c -> String in
            switch c {
            case .emotion: return "emotion"
            case .pixels: return "pixels"
            case .usage: return "Usage"
            case .other: return "other"
            }
        }.joined(separator: ",")
    }
}

extension FER2013Table {
    /// Parses FER2013 CSV bytes; `name` is used in error messages ("name:line: …").
    static func parse(_ bytes: UnsafeRawBufferPointer, name: String) throws -> FER2013Table {
        try FER2013Parser(name: name, bytes: bytes).parse()
    }

    /// Maps and parses a FER2013 CSV file.
    static func load(path: String) throws -> FER2013Table {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, name: path)
    }
}
