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
            let range = args.range("values")
            guard !values.isEmpty else { throw Diagnostic(range, "mean of an empty list") }
            let xs = try values.compactMap { v -> Double? in
                switch v {
                case let .number(x): return x
                case .foreign(is ArithmeticValue): return nil
                default: throw Diagnostic(range, "mean needs numbers or estimates, got \(v.typeName)")
                }
            }
            guard xs.count == values.count else {
                // Estimates among them: as the language's `+` and `/` make it, seed by seed, the
                // learning checks kept, a value that is not finite refused at the argument.
                let sum = try values.dropFirst().reduce(values[0]) { try ctx.interpreter.applyBinary(.add, $0, $1, range, range) }
                return try ctx.interpreter.applyBinary(.divide, sum, .number(Double(values.count)), range, range)
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
