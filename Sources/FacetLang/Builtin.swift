/// The type a builtin parameter accepts; checked when arguments are bound, before the call.
public indirect enum ParamType: Sendable, Equatable {
    case any, number, integer, string, bool, list, record
    /// A net value; a `net` definition is given its default arguments.
    case net
    case function
    /// A foreign value with this type name (`dataset`, `network`, ...).
    case foreign(String)
    /// Any of these types (`save` takes a run or a network).
    case oneOf([ParamType])

    public var name: String {
        switch self {
        case .any: return "any"
        case .number: return "number"
        case .integer: return "whole number"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        case .record: return "record"
        case .net: return "net"
        case .function: return "function"
        case let .foreign(t): return t
        case let .oneOf(types): return types.map(\.name).joined(separator: " or ")
        }
    }

    func accepts(_ v: Value) -> Bool {
        switch (self, v) {
        case (_, .unknown), (.any, _): return true
        case (.number, .number), (.string, .string), (.bool, .bool), (.record, .record): return true
        case let (.integer, .number(x)): return x == x.rounded() && abs(x) < 1e15
        case (.list, .list), (.list, .range): return true
        case (.net, .net), (.net, .netDefinition): return true
        case (.function, .builtin), (.function, .netDefinition): return true
        case let (.foreign(t), .foreign(f)): return f.typeName == t
        case let (.oneOf(types), _): return types.contains { $0.accepts(v) }
        default: return false
        }
    }
}

/// One parameter of a builtin: name, type, default (nil = required), and whether it collects
/// all remaining positional arguments.
public struct BuiltinParameter: Sendable {
    public var name: String
    public var type: ParamType
    public var defaultValue: Value?
    public var variadic: Bool

    public init(_ name: String, _ type: ParamType = .any, default defaultValue: Value? = nil, variadic: Bool = false) {
        self.name = name; self.type = type; self.defaultValue = defaultValue; self.variadic = variadic
    }

    /// `epochs: whole number = 50`
    var signature: String {
        var s = "\(name): \(type.name)"
        if variadic { s += "..." }
        if let d = defaultValue { s += " = \(d.repr)" }
        return s
    }
}

/// Arguments bound to a builtin's parameters, with the source range of each for error messages.
public struct BoundArguments {
    public var values: [String: Value] = [:]
    public var ranges: [String: SourceRange] = [:]
    /// The call site; used for arguments that took their default.
    public var callRange: SourceRange

    public subscript(_ name: String) -> Value { values[name] ?? .none }
    public func range(_ name: String) -> SourceRange { ranges[name] ?? callRange }

    /// Typed accessors, valid once binding has checked the parameter's type.
    public func number(_ name: String) -> Double { if case let .number(v) = self[name] { return v } else { return .nan } }
    public func int(_ name: String) -> Int {
        let v = number(name)
        return v.isFinite && abs(v) < 9e15 ? Int(v) : 0
    }
    public func string(_ name: String) -> String { if case let .string(s) = self[name] { return s } else { return "" } }
    public func bool(_ name: String) -> Bool { if case let .bool(b) = self[name] { return b } else { return false } }
    /// The net argument; nil only while checking when it is not known yet.
    public func net(_ name: String) -> NetValue? { if case let .net(n) = self[name] { return n } else { return nil } }
    public func list(_ name: String) -> [Value] { self[name].elements ?? [] }
    public func foreign<T>(_ name: String, as type: T.Type) -> T? {
        if case let .foreign(f) = self[name] { return f as? T } else { return nil }
    }
    /// True when some argument is not known until run time (only while checking).
    public var hasUnknown: Bool { values.values.contains { if case .unknown = $0 { return true } else { return false } } }
}

/// What a builtin's body can reach: the interpreter, the call site and the output.
public struct CallContext {
    public let interpreter: Interpreter
    public let range: SourceRange

    /// An error located at the call.
    public func error(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(range, message, hint: hint) }
    /// Writes text to the session's output (the REPL, a notebook cell, stdout).
    public func write(_ text: String) { interpreter.output(text) }
}

/// A function implemented in Swift, described well enough to check calls and to document itself.
public final class Builtin {
    public let name: String
    public let parameters: [BuiltinParameter]
    public let doc: String
    /// Pure builtins are cheap and have no effects, so the checker runs them; others are only
    /// argument-checked and give `unknown` while checking.
    public let pure: Bool
    /// For a builtin with effects: what the checker can still verify from the arguments it knows
    /// (throwing a `Diagnostic`), so `facet check` reports what the call would refuse at run time.
    public let check: ((BoundArguments, CallContext) throws -> Void)?
    public let body: (BoundArguments, CallContext) throws -> Value
    /// What the name alone prints instead of `<function ...>`, for a builtin typed without a call by
    /// someone who wants to be told how to call it (`help`, as Python's `help` says how to use it).
    public let usage: String?

    public init(_ name: String, _ parameters: [BuiltinParameter] = [], doc: String, pure: Bool = false,
                usage: String? = nil, check: ((BoundArguments, CallContext) throws -> Void)? = nil,
                body: @escaping (BoundArguments, CallContext) throws -> Value) {
        self.name = name; self.parameters = parameters; self.doc = doc; self.pure = pure; self.check = check
        self.body = body; self.usage = usage
    }

    /// `summary(net: net)`
    public var signature: String { "\(name)(" + parameters.map(\.signature).joined(separator: ", ") + ")" }
}

/// The table of builtins by name. Other modules register theirs (data, training, reports), and
/// checking, calling, completion and `help` all read this one table.
public final class BuiltinRegistry {
    public private(set) var builtins: [String: Builtin] = [:]

    public init() {}

    /// Adds or replaces a builtin.
    public func register(_ builtin: Builtin) { builtins[builtin.name] = builtin }

    /// Adds or replaces a builtin described inline.
    public func register(_ name: String, _ parameters: [BuiltinParameter] = [], doc: String, pure: Bool = false,
                         usage: String? = nil, check: ((BoundArguments, CallContext) throws -> Void)? = nil,
                         body: @escaping (BoundArguments, CallContext) throws -> Value) {
        register(Builtin(name, parameters, doc: doc, pure: pure, usage: usage, check: check, body: body))
    }

    public subscript(_ name: String) -> Builtin? { builtins[name] }

    /// Replaces each named builtin with one of the same signature whose every call (and check)
    /// is an error saying `reason`: for builtins whose owner has gone (a kernel `Session` freed
    /// while its interpreter is still held), so a late call is an error, never a read of freed memory.
    public func retire(_ names: some Sequence<String>, reason: String) {
        for name in names {
            guard let b = builtins[name] else { continue }
            let refuse: (BoundArguments, CallContext) throws -> Void = { _, ctx in throw ctx.error(reason) }
            builtins[name] = Builtin(name, b.parameters, doc: b.doc, pure: false, check: refuse) { args, ctx in
                try refuse(args, ctx); return .none
            }
        }
    }

    /// Sorted names, for completion.
    public var names: [String] { builtins.keys.sorted() }

    /// The registry with the language's own builtins (print, show, summary, shape, params, ...).
    public static func core() -> BuiltinRegistry {
        let r = BuiltinRegistry()
        registerCoreBuiltins(r)
        return r
    }
}
