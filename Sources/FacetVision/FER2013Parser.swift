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

/// Byte-level FER2013 parser: no per-row Strings, one pass over the bytes, errors naming file:line.
struct FER2013Parser {
    let name: String   // the file name used in messages
    let bytes: UnsafeRawBufferPointer

    private enum Column { case emotion, pixels, usage, other }

    private static let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), quote = UInt8(ascii: "\"")

    func parse() throws -> FER2013Table {
        var position = 0
        var line = 1
        // UTF-8 byte-order mark, as written by some spreadsheet exports.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }

        // Header: optional; recognised by a letter in the first field. Column order may vary
        // (the ICML release writes "emotion, Usage, pixels").
        var columns: [Column] = [.emotion, .pixels, .usage]
        var hasUsage = true
        var headerChecked = false
        var table = FER2013Table(side: 0, pixels: [], emotion: [], usage: nil, lines: [])
        var expectedPixels = 0
        var usage: [Split] = []

        // Rough row-count estimate from the first line keeps reallocations rare.
        let firstLineEnd = endOfLine(from: position)
        let estimate = bytes.count / max(1, firstLineEnd - position + 1) + 1

        while position < bytes.count {
            let end = endOfLine(from: position)
            var contentEnd = end
            if contentEnd > position, bytes[contentEnd - 1] == Self.cr { contentEnd -= 1 }  // CRLF
            defer { position = end + 1; line += 1 }
            if isBlank(position, contentEnd) { continue }

            let fields = splitFields(position, contentEnd)
            if !headerChecked {
                headerChecked = true
                if let parsed = try parseHeader(fields, line: line) {
                    columns = parsed
                    hasUsage = columns.contains(.usage)
                    continue
                }
                hasUsage = fields.count >= 3  // no header: emotion,pixels[,Usage]
                if !hasUsage { columns = [.emotion, .pixels] }
            }
            guard fields.count == columns.count else {
                throw error(line, "expected \(columns.count) fields (\(columnList(columns))), found \(fields.count)")
            }
            for (column, field) in zip(columns, fields) {
                switch column {
                case .emotion:
                    table.emotion.append(try parseEmotion(field, line: line))
                case .pixels:
                    if expectedPixels == 0 {
                        expectedPixels = countValues(field)
                        let side = Int(Double(expectedPixels).squareRoot().rounded())
                        guard expectedPixels > 0, side * side == expectedPixels else {
                            throw error(line, "pixels has \(expectedPixels) values, which is not a square image")
                        }
                        table.side = side
                        table.pixels.reserveCapacity(estimate * expectedPixels)
                    }
                    try appendPixels(field, expected: expectedPixels, line: line, into: &table.pixels)
                case .usage:
                    let text = string(field)
                    guard let split = Split(name: text) else {
                        throw error(line, "Usage '\(text)' is not Training, PublicTest or PrivateTest")
                    }
                    usage.append(split)
                case .other:
                    break
                }
            }
            table.lines.append(line)
        }
        guard table.count > 0 else { throw VisionError("\(name): no data rows") }
        if hasUsage { table.usage = usage }
        return table
    }

    // MARK: lines and fields

    private func endOfLine(from start: Int) -> Int {
        guard start < bytes.count else { return bytes.count }
        let base = bytes.baseAddress!.advanced(by: start)
        guard let hit = memchr(base, Int32(Self.newline), bytes.count - start) else { return bytes.count }
        return start + (UnsafeRawPointer(hit) - base)
    }

    private func isBlank(_ start: Int, _ end: Int) -> Bool {
        (start..<end).allSatisfy { bytes[$0] == Self.space || bytes[$0] == Self.tab }
    }

    /// Field ranges with surrounding spaces and quotes trimmed (FER fields never contain commas).
    private func splitFields(_ start: Int, _ end: Int) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(3)
        var fieldStart = start
        for i in start...end where i == end || bytes[i] == Self.comma {
            var a = fieldStart, b = i
            while a < b, bytes[a] == Self.space || bytes[a] == Self.tab || bytes[a] == Self.quote { a += 1 }
            while b > a, bytes[b - 1] == Self.space || bytes[b - 1] == Self.tab || bytes[b - 1] == Self.quote { b -= 1 }
            fields.append(a..<b)
            fieldStart = i + 1
        }
        return fields
    }

    private func string(_ field: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field]), as: UTF8.self)
    }

    // MARK: header and values

    /// Column roles if this row is a header, nil if it is data.
    private func parseHeader(_ fields: [Range<Int>], line: Int) throws -> [Column]? {
        guard let first = fields.first, let byte = bytes[first].first,
              !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        let names = fields.map { string($0).lowercased() }
        let columns: [Column] = names.map {
            switch $0 {
            case "emotion": return .emotion
            case "pixels": return .pixels
            case "usage": return .usage
            default: return .other
            }
        }
        for (needed, label) in [(Column.emotion, "emotion"), (.pixels, "pixels")] where !columns.contains(needed) {
            throw error(line, "header has no '\(label)' column (found: \(names.joined(separator: ", ")))")
        }
        return columns
    }

    private func parseEmotion(_ field: Range<Int>, line: Int) throws -> Int32 {
        guard !field.isEmpty else { throw error(line, "emotion is empty") }
        var value = 0
        for i in field {
            let b = bytes[i]
            guard b >= 48, b <= 57, value < 1000 else { throw error(line, "emotion '\(string(field))' is not an integer") }
            value = value * 10 + Int(b - 48)
        }
        guard value < FER2013Table.emotionNames.count else {
            throw error(line, "emotion \(value) is outside 0...\(FER2013Table.emotionNames.count - 1)")
        }
        return Int32(value)
    }

    private func countValues(_ field: Range<Int>) -> Int {
        var count = 0, inNumber = false
        for i in field {
            let separator = bytes[i] == Self.space || bytes[i] == Self.tab
            if !separator && !inNumber { count += 1 }
            inNumber = !separator
        }
        return count
    }

    /// Appends exactly `expected` space-separated values 0...255.
    private func appendPixels(_ field: Range<Int>, expected: Int, line: Int, into out: inout [UInt8]) throws {
        var found = 0, value = 0, inNumber = false
        for i in field {
            let b = bytes[i]
            if b >= 48 && b <= 57 {
                value = value * 10 + Int(b - 48)
                if value > 255 { throw error(line, "pixel value \(found + 1) exceeds 255") }
                inNumber = true
            } else if b == Self.space || b == Self.tab {
                if inNumber {
                    if found < expected { out.append(UInt8(value)) }
                    found += 1
                    value = 0
                    inNumber = false
                }
            } else {
                throw error(line, "pixels contains '\(Character(Unicode.Scalar(b)))' (only digits and spaces allowed)")
            }
        }
        if inNumber {
            if found < expected { out.append(UInt8(value)) }
            found += 1
        }
        guard found == expected else {
            out.removeLast(min(found, expected))
            let side = Int(Double(expected).squareRoot())
            throw error(line, "pixels has \(found) values, expected \(expected) (\(side)×\(side))")
        }
    }

    private func columnList(_ columns: [Column]) -> String {
        columns.map { c -> String in
            switch c {
            case .emotion: return "emotion"
            case .pixels: return "pixels"
            case .usage: return "Usage"
            case .other: return "other"
            }
        }.joined(separator: ",")
    }

    private func error(_ line: Int, _ message: String) -> VisionError {
        VisionError("\(name):\(line): \(message)")
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
