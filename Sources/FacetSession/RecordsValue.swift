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
        default: return nil
        }
    }
    public var memberNames: [String] { ["add", "list", "count"] }
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

/// `records`, `choose` and the other helpers of sweeps: plain values, no service of the session.
struct SweepBuiltins: BuiltinFamily {
    func register(in r: BuiltinRegistry) {
        r.register("records", doc: "An empty, growing list of result records: r.add({...}) in a loop, then table(r), heatmap(r, ...), bars(r, ...).") { _, _ in
            .foreign(RecordsValue())
        }
        r.register("choose", [BuiltinParameter("condition", .bool), BuiltinParameter("then"), BuiltinParameter("else")],
                   doc: "`then` when the condition holds, else `else`: let n = choose(quick, 600, 8000).", pure: true) { args, _ in
            if case .unknown = args["condition"] { return .unknown }   // only while checking
            return args.bool("condition") ? args["then"] : args["else"]
        }
        r.register("mean", [BuiltinParameter("values", .list)], doc: "Arithmetic mean of numbers (none are skipped).", pure: true) { args, ctx in
            // While checking, values computed at run time are unknown: so is their mean.
            if args.list("values").contains(where: { if case .unknown = $0 { return true } else { return false } }) { return .unknown }
            let xs = try args.list("values").map { v -> Double in
                guard case let .number(x) = v else { throw Diagnostic(args.range("values"), "mean needs numbers, got \(v.typeName)") }
                return x
            }
            guard !xs.isEmpty else { throw Diagnostic(args.range("values"), "mean of an empty list") }
            // Sum first (the notebooks' figures depend on this rounding); only a sum that overflows
            // near the largest numbers divides each term first.
            let sum = xs.reduce(0, +)
            return .number(sum.isFinite ? sum / Double(xs.count) : xs.reduce(0) { $0 + $1 / Double(xs.count) })
        }
        r.register("round", [BuiltinParameter("value", .number), BuiltinParameter("digits", .integer, default: .number(0))],
                   doc: "Rounds to `digits` decimals.", pure: true) { args, _ in
            if case .unknown = args["value"] { return .unknown }
            let p = pow(10.0, Double(try args.integer("digits", .from(-15, to: 15))))
            let value = args.number("value"), rounded = (value * p).rounded() / p
            // Near the largest numbers value × p overflows; such a value has no digits to drop.
            return .number(rounded.isFinite ? rounded : value)
        }
    }
}

import Foundation
