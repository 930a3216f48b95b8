import FacetLang
import Foundation

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
        r.register("mean", [BuiltinParameter("values", .list)],
                   doc: "Arithmetic mean of numbers (none are skipped), or of estimates, seed by seed (an estimate).", pure: true) { args, ctx in
            let values = args.list("values")
            // While checking, values computed at run time are unknown: so is their mean.
            if values.contains(where: { if case .unknown = $0 { return true } else { return false } }) { return .unknown }
            guard !values.isEmpty else { throw Diagnostic(args.range("values"), "mean of an empty list") }
            if values.contains(where: { if case .foreign(is ArithmeticValue) = $0 { return true } else { return false } }) {
                return try Self.meanOfEstimates(values, args.range("values"))
            }
            let xs = try values.map { v -> Double in
                guard case let .number(x) = v else { throw Diagnostic(args.range("values"), "mean needs numbers or estimates, got \(v.typeName)") }
                return x
            }
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

extension SweepBuiltins {
    /// The mean of estimates (and numbers), as the language's `+` and `/` make it: seed by seed,
    /// over the same seeds, keeping every run's learning check, so a mean over a net that did not
    /// learn says so.
    static func meanOfEstimates(_ values: [Value], _ range: SourceRange) throws -> Value {
        func apply(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
            do {
                if case let .foreign(f as ArithmeticValue) = a, let v = try f.apply(op, b, selfOnRight: false) { return v }
                if case let .foreign(f as ArithmeticValue) = b, let v = try f.apply(op, a, selfOnRight: true) { return v }
                if case let .number(x) = a, case let .number(y) = b { return .number(op == .add ? x + y : x / y) }
            } catch let d as Diagnostic {
                throw d
            } catch {
                throw Diagnostic(range, "\(error)")
            }
            throw Diagnostic(range, "mean needs numbers or estimates, got \(b.typeName)")
        }
        let sum = try values.dropFirst().reduce(values[0]) { try apply(.add, $0, $1) }
        return try apply(.divide, sum, .number(Double(values.count)))
    }
}
