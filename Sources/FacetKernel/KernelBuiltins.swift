import FacetEngine
import FacetLang
import Foundation

extension Session {
    /// Adds the kernel's builtins to the language's table: data, pipeline, training, metrics,
    /// figures and tables. `show` is wrapped so tables and figures render richly.
    func registerKernelBuiltins(_ r: BuiltinRegistry) {
        let coreShow = r["show"]
        r.register("show", [BuiltinParameter("value")],
                   doc: "Renders a value into the report: tables and figures as such, a net as its canonical text, anything else as text.") { [unowned self] args, ctx in
            if case let .foreign(f) = args["value"], f is Renderable {
                self.show(args["value"])
                return .none
            }
            return try coreShow?.body(args, ctx) ?? .none
        }
        r.register("warn", [BuiltinParameter("values", .any, variadic: true)],
                   doc: "Writes a warning: values separated by spaces (stderr in Jupyter and with `facet run`, a warning line in the report).") { [unowned self] args, _ in
            self.warn(args.list("values").map(\.description).joined(separator: " "))
            return .none
        }
        registerTrainingBuiltins(r)
        registerMetricBuiltins(r)
        registerSeedBuiltins(r)
        registerDataBuiltins(r)
        registerSweepBuiltins(r)
    }
}
