/// The rows of one line-aligned chunk of a FER2013 CSV; line numbers are relative to the chunk.
struct FERChunk {
    var pixels: [UInt8] = []
    var emotion: [Int32] = []
    var usage: [Split] = []
    /// 1-based line of each row within the chunk.
    var lines: [Int32] = []
    /// Lines in the chunk, blank ones included.
    var lineCount = 0
    /// The first error, at a chunk-relative line.
    var failure: (line: Int, message: String)?

    init(_ text: ByteText, range: Range<Int>, layout: FER2013Parser.Layout) {
        let n = layout.pixelsPerRow
        let maxRows = text.lineCount(in: range)
        var buffer = [UInt8](repeating: 0, count: maxRows * n)
        emotion.reserveCapacity(maxRows)
        lines.reserveCapacity(maxRows)
        var position = range.lowerBound, rows = 0
        buffer.withUnsafeMutableBufferPointer { out in
            while position < range.upperBound {
                let row = text.line(at: position)
                position = row.next
                lineCount += 1
                if text.isBlank(row) { continue }
                if let message = parseRow(text, row, layout: layout, into: out.baseAddress! + rows * n) {
                    failure = (lineCount, message)
                    return
                }
                rows += 1
                lines.append(Int32(lineCount))
            }
        }
        buffer.removeLast(buffer.count - rows * n)
        pixels = buffer
    }

    /// Parses one row; returns an error message or nil.
    private mutating func parseRow(_ text: ByteText, _ row: ByteText.Line, layout: FER2013Parser.Layout,
                                   into out: UnsafeMutablePointer<UInt8>) -> String? {
        let fields = text.fields(row)
        guard fields.count == layout.columns.count else {
            return "expected \(layout.columns.count) fields (\(FER2013Parser.describe(layout.columns))), found \(fields.count)"
        }
        for (column, field) in zip(layout.columns, fields) {
            switch column {
            case .emotion:
                guard !field.isEmpty else { return "emotion is empty" }
                guard field.count <= 3, let value = text.integer(field) else {
                    return "emotion '\(text.string(field))' is not an integer"
                }
                guard value < FER2013Table.emotionNames.count else {
                    return "emotion \(value) is outside 0...\(FER2013Table.emotionNames.count - 1)"
                }
                emotion.append(Int32(value))
            case .pixels:
                let scan = text.scanPixels(field, into: out, expected: layout.pixelsPerRow)
                switch scan {
                case let .badByte(byte):
                    return "pixels contains '\(Character(Unicode.Scalar(byte)))' (only digits and spaces allowed)"
                case let .tooLarge(index, value):
                    return "pixel \(index) is \(value), outside 0...255"
                case let .count(found) where found != layout.pixelsPerRow:
                    let side = Int(Double(layout.pixelsPerRow).squareRoot())
                    return "pixels has \(found) values, expected \(layout.pixelsPerRow) (\(side)×\(side))"
                case .count:
                    break
                }
            case .usage:
                let name = text.string(field)
                guard let split = Split(name: name) else {
                    return "Usage '\(name)' is not Training, PublicTest or PrivateTest"
                }
                usage.append(split)
            case .other:
                break
            }
        }
        return nil
    }
}
