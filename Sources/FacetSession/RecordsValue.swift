import FacetLang

/// A growing list of result records for sweeps: `let r = records()`, `r.add({width: 16, acc: a})`
/// inside loops, then `table(r)`, `heatmap(r, ...)`, `bars(r, ...)`. The language has no
/// assignment, so this is how a loop hands results out.
public final class RecordsValue: ForeignValue {
    public private(set) var items: [Record] = []

    public var typeName: String { "records" }
    public var description: String { "records (\(items.count))" }

    public func member(_ name: String) -> Value? {
        switch name {
        case "add":
            return .builtin(Builtin("add", [BuiltinParameter("record", .record)], doc: "Appends a record.") { args, _ in
                // Strong: `let add = records().add` keeps its records; they do not hold the method.
                if case let .record(r) = args["record"] { self.items.append(r) }
                return .none
            })
        case "list": return .list(items.map { .record($0) })
        case "count": return .number(Double(items.count))
        case "column":
            return .builtin(Builtin("column", [BuiltinParameter("field", .string)],
                                    doc: "The values of one field, a record after another: mean(r.column(\"accuracy\")).") { args, ctx in
                let field = args.string("field")
                return .list(try self.items.enumerated().map { i, r in try requireField(field, of: r, row: i, args.range("field")) })
            })
        default: return nil
        }
    }
    public var memberNames: [String] { ["add", "list", "count", "column"] }
}

/// Rows given as a list of records or a `records()` value.
func recordRows(_ v: Value, _ range: SourceRange) throws -> [Record] {
    if case let .foreign(f) = v, let r = f as? RecordsValue { return r.items }
    if case let .foreign(f) = v, let r = f as? RecordList { return r.records }
    guard let items = v.elements else { throw Diagnostic(range, "expected a list of records or records(), got \(v.typeName)") }
    return try items.enumerated().map { i, item in
        guard case let .record(r) = item else {
            throw Diagnostic(range, "rows must be records such as {width: 16, accuracy: 0.6}; row \(i + 1) is \(item.typeName)")
        }
        return r
    }
}

/// Field `name` of row `i` (0-based) of a table's rows; a `Diagnostic` at `range` naming the row and
/// the fields it has when it is missing.
func requireField(_ name: String, of r: Record, row i: Int, _ range: SourceRange) throws -> Value {
    guard let v = r[name] else {
        throw Diagnostic(range, "row \(i + 1) has no field '\(name)' (it has: \(r.fields.map(\.name).joined(separator: ", ")))")
    }
    return v
}
