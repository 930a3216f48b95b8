import Foundation

/// A small RFC 4180 CSV reader for manifests: quoted fields ("" escapes a quote), CRLF or LF,
/// blank lines skipped, every row tagged with its 1-based line number.
struct CSVTable {
    /// Rows of fields, header included.
    var rows: [[String]]
    /// Line on which each row starts.
    var lines: [Int]

    /// Parses `bytes`; `name` prefixes error messages ("name:line: …").
    init(_ bytes: UnsafeRawBufferPointer, name: String) throws {
        rows = []
        lines = []
        var row: [String] = [], field: [UInt8] = []
        var line = 1, rowLine = 1
        var inQuotes = false, fieldWasQuoted = false
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

        func endField() {
            var text = String(decoding: field, as: UTF8.self)
            if !fieldWasQuoted { text = text.trimmingCharacters(in: .whitespaces) }
            row.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRow() {
            endField()
            if !(row.count == 1 && row[0].isEmpty && !fieldWasQuoted) {  // blank line
                rows.append(row)
                lines.append(rowLine)
            }
            row = []
        }

        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.count, bytes[i + 1] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
            } else if b == quote && field.allSatisfy({ $0 == UInt8(ascii: " ") }) {
                field.removeAll()
                inQuotes = true
                fieldWasQuoted = true
            } else if b == comma {
                endField()
            } else if b == lf {
                endRow()
                line += 1
                rowLine = line
            } else if b == cr, i + 1 < bytes.count, bytes[i + 1] == lf {
                // CRLF: the LF ends the row.
            } else {
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw VisionError("\(name):\(rowLine): unterminated quoted field") }
        if !field.isEmpty || !row.isEmpty { endRow() }
    }
}
