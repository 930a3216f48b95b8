// FacetReport: metrics and report rendering. Pure functions over arrays; Foundation only.

/// An error raised by a metric or renderer when its input cannot be used; the message names what and where.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// Two inputs that must be parallel have different lengths.
    case lengthMismatch(function: String, what: String, expected: Int, got: Int)
    /// An input that must hold at least one element is empty.
    case empty(function: String, what: String)
    /// A class label or index lies outside `0..<count`.
    case labelOutOfRange(function: String, what: String, index: Int, label: Int, count: Int)
    /// A value that must be finite is NaN or infinite.
    case nonFinite(function: String, what: String, index: Int)
    /// Any other invalid argument, with a sentence saying what is wrong.
    case invalidArgument(function: String, message: String)

    public var description: String {
        switch self {
        case let .lengthMismatch(function, what, expected, got):
            return "\(function): \(what) has \(got) elements, expected \(expected)"
        case let .empty(function, what):
            return "\(function): \(what) is empty"
        case let .labelOutOfRange(function, what, index, label, count):
            return "\(function): \(what)[\(index)] = \(label) is outside 0..<\(count)"
        case let .nonFinite(function, what, index):
            return "\(function): \(what)[\(index)] is not a finite number"
        case let .invalidArgument(function, message):
            return "\(function): \(message)"
        }
    }
}

// MARK: - Validation helpers shared by the metrics

enum Check {
    static func sameLength(_ function: String, _ what: String, _ count: Int, expected: Int) throws {
        if count != expected {
            throw ReportError.lengthMismatch(function: function, what: what, expected: expected, got: count)
        }
    }

    static func nonEmpty(_ function: String, _ what: String, _ count: Int) throws {
        if count == 0 { throw ReportError.empty(function: function, what: what) }
    }

    static func labels(_ function: String, _ what: String, _ labels: [Int], count: Int) throws {
        for (i, label) in labels.enumerated() where label < 0 || label >= count {
            throw ReportError.labelOutOfRange(function: function, what: what, index: i, label: label, count: count)
        }
    }

    static func finite(_ function: String, _ what: String, _ values: [Double]) throws {
        for (i, v) in values.enumerated() where !v.isFinite {
            throw ReportError.nonFinite(function: function, what: what, index: i)
        }
    }

    /// Checks a non-empty matrix given as rows with a non-empty first row that every row matches;
    /// returns its width.
    static func matrix(_ function: String, _ what: String, _ rows: [[Double]]) throws -> Int {
        try nonEmpty(function, what, rows.count)
        let width = rows[0].count
        try nonEmpty(function, "\(what)[0]", width)
        try Check.rows(function, what, rows, width: width)
        return width
    }

    /// Checks a matrix given as rows: every row has `width` entries.
    static func rows(_ function: String, _ what: String, _ rows: [[Double]], width: Int) throws {
        for (i, row) in rows.enumerated() where row.count != width {
            throw ReportError.lengthMismatch(function: function, what: "\(what)[\(i)]", expected: width, got: row.count)
        }
    }
}
