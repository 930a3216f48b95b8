import FacetEngine
import FacetLang
import Foundation

/// A family of builtins: registers its builtins in the language's table, using only the services
/// it was given when made (a family that needs none gets none).
protocol BuiltinFamily {
    func register(in r: BuiltinRegistry)
}

/// What the output family needs: render a value into the output, and warn.
protocol ValueOutput: AnyObject {
    func show(_ value: Value)
    func warn(_ message: String)
}

extension Session: ValueOutput {}

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

/// A family whose builtins are still methods of the session (data, training, metrics, seeds):
/// they reach the session itself, not a narrow service.
struct SessionBuiltins: BuiltinFamily {
    unowned let session: Session
    let register: (Session) -> (BuiltinRegistry) -> Void

    func register(in r: BuiltinRegistry) { register(session)(r) }
}

extension Session {
    /// The kernel's builtin families, in one table: each registers its builtins over the language's.
    func builtinFamilies() -> [any BuiltinFamily] {
        [
            OutputBuiltins(output: self),
            SessionBuiltins(session: self, register: Session.registerTrainingBuiltins),
            SessionBuiltins(session: self, register: Session.registerMetricBuiltins),
            TableBuiltins(),
            SessionBuiltins(session: self, register: Session.registerSeedBuiltins),
            SessionBuiltins(session: self, register: Session.registerDataBuiltins),
            SweepBuiltins(),
        ]
    }

    /// Adds the kernel's builtin families to the language's table.
    func registerKernelBuiltins(_ r: BuiltinRegistry) {
        for family in builtinFamilies() { family.register(in: r) }
    }
}
