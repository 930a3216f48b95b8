import FacetEngine
import FacetLang
import Foundation

/// A family of builtins: registers its builtins in the language's table, using only the services
/// it was given when made (`BuiltinServices.swift`; a family that needs none gets none).
protocol BuiltinFamily {
    func register(in r: BuiltinRegistry)
}

/// `show` (tables and figures rendered richly, over the language's `show`) and `warn`.
struct OutputBuiltins: BuiltinFamily {
    /// The session: its builtins must not keep it alive (it retires them when it ends).
    unowned let output: any ValueOutput

    func register(in r: BuiltinRegistry) {
        let coreShow = r["show"]
        r.register("show", [BuiltinParameter("value")],
                   doc: "Renders a value into the report: tables and figures as such, a net as its canonical text, anything else as text.") { [unowned output = self.output] args, ctx in
            if case let .foreign(f) = args["value"], f is Renderable {
                output.show(args["value"])
                return .none
            }
            return try coreShow?.body(args, ctx) ?? .none
        }
        r.register("warn", [BuiltinParameter("values", .any, variadic: true)],
                   doc: "Writes a warning: values separated by spaces (stderr in Jupyter and with `facet run`, a warning line in the report).") { [unowned output = self.output] args, _ in
            output.warn(args.list("values").map(\.description).joined(separator: " "))
            return .none
        }
    }
}

extension Session {
    /// The kernel's builtin families, in one table: each registers its builtins over the language's,
    /// given only the services it uses.
    func builtinFamilies() -> [any BuiltinFamily] {
        [
            OutputBuiltins(output: self),
            TrainingBuiltins(seeds: self, training: self, results: results),
            MetricBuiltins(seeds: self),
            TableBuiltins(),
            ComparisonBuiltins(results: results),
            DataBuiltins(seeds: self, progress: self, registry: self),
            SweepBuiltins(),
        ]
    }

    /// Adds the kernel's builtin families to the language's table.
    func registerKernelBuiltins(_ r: BuiltinRegistry) {
        for family in builtinFamilies() { family.register(in: r) }
    }
}
