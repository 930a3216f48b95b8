import FacetEngine

/// A value that another module defines (dataset, training run, table, figure, engine network).
/// FacetLang only needs to name it and print it.
public protocol ForeignValue: AnyObject {
    /// The type name used in error messages and `type(x)`, e.g. `dataset`.
    var typeName: String { get }
    /// How the value prints in the REPL and in reports.
    var description: String { get }
    /// The value of `x.name`, or nil when there is no such field (default: no fields).
    func member(_ name: String) -> Value?
    /// Field names, for suggestions and completion (default: none).
    var memberNames: [String] { get }
}

/// A foreign value that takes part in arithmetic (an estimate over seeds: `a - b`, `a * 100`).
public protocol ArithmeticValue: ForeignValue {
    /// `self op other`, or `other op self` when `selfOnRight`; nil when the operation does not
    /// apply (the interpreter then reports it as for any other pair of values). A thrown error's
    /// description becomes the message at the expression.
    func apply(_ op: BinaryOp, _ other: Value, selfOnRight: Bool) throws -> Value?
}

/// A foreign value made of numbers that may have overflowed (an estimate): the interpreter
/// refuses any that is not finite where it is made, at the expression, as it does for numbers.
public protocol FiniteCheckable {
    /// False when a number in the value is infinite or not a number.
    var isFinite: Bool { get }
}

/// "infinity" or "not a number" when `v` is (or, as an estimate, holds) a non-finite number; nil
/// for finite numbers and every other value.
public func nonFinite(_ v: Value) -> String? {
    switch v {
    case let .number(x) where x.isNaN: return "not a number"
    case let .number(x) where x.isInfinite: return "infinity"
    // Not described: describing it may compute from the numbers that overflowed.
    case let .foreign(f as FiniteCheckable) where !f.isFinite: return "\((f as? ForeignValue)?.typeName ?? "a value") that holds an overflow or an undefined number"
    default: return nil
    }
}

/// An ordered record: `{ emotion: 7, age: 17 }`.
public struct Record: Sendable {
    public var fields: [(name: String, value: Value)]
    public init(_ fields: [(name: String, value: Value)]) { self.fields = fields }
    public subscript(name: String) -> Value? { fields.first { $0.name == name }?.value }
}

/// Every value the language computes with.
public enum Value: @unchecked Sendable {
    case none
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([Value])
    case record(Record)
    /// `a..b` or `a..<b` over whole numbers.
    case range(lower: Int, upper: Int, inclusive: Bool)
    /// A `net` definition not yet given its arguments.
    case netDefinition(NetDefinition)
    /// A net given its arguments: a checked `NetSpec` with a source site per layer and head.
    case net(NetValue)
    case builtin(Builtin)
    case foreign(any ForeignValue)
    /// Only while checking: a value that would be computed at run time (e.g. a loaded dataset).
    case unknown

    /// The type name used in error messages.
    public var typeName: String {
        switch self {
        case .none: return "none"
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        case .record: return "record"
        case .range: return "range"
        case .netDefinition, .net: return "net"
        case .builtin: return "function"
        case let .foreign(f): return f.typeName
        case .unknown: return "unknown"
        }
    }

    /// A value in an error message: type and a short rendering, e.g. `string "a"`.
    var described: String {
        let text = short
        return text.count > 40 ? typeName : "\(typeName) \(text)"
    }

    /// One-line rendering for argument lists and messages: a net shows as its call.
    var short: String {
        switch self {
        case let .net(n): return n.call
        case let .netDefinition(d): return d.name
        case let .list(items): return "[" + items.map(\.short).joined(separator: ", ") + "]"
        default: return repr
        }
    }

    /// Elements when the value can be iterated by `for`.
    public var elements: [Value]? {
        switch self {
        case let .list(items): return items
        case let .range(lo, hi, inclusive):
            let top = inclusive ? hi : hi - 1
            return top < lo ? [] : (lo...top).map { .number(Double($0)) }
        case let .record(r): return r.fields.map { .record(Record([("name", .string($0.name)), ("value", $0.value)])) }
        default: return nil
        }
    }
}

// MARK: Printing

extension Value: CustomStringConvertible {
    /// How `print` and `show` render a value: strings without quotes, everything else as `repr`.
    public var description: String {
        if case let .string(s) = self { return s }
        if case let .builtin(b) = self, let usage = b.usage { return usage }
        return repr
    }

    /// Readable and, for plain data, re-parseable text: `[1, "a", {x: 2}]`.
    public var repr: String {
        switch self {
        case .none: return "none"
        case let .number(v): return formatNumber(v)
        case let .string(s): return quote(s)
        case let .bool(b): return b ? "true" : "false"
        case let .list(items): return "[" + items.map(\.short).joined(separator: ", ") + "]"
        case let .record(r): return "{" + r.fields.map { "\($0.name): \($0.value.short)" }.joined(separator: ", ") + "}"
        case let .range(lo, hi, inclusive): return "\(lo)\(inclusive ? ".." : "..<")\(hi)"
        case let .netDefinition(d): return d.signature
        case let .net(n): return n.text
        case let .builtin(b): return "<function \(b.signature)>"
        case let .foreign(f): return f.description
        case .unknown: return "<unknown until run>"
        }
    }
}

/// `s` as a Facet string literal: in double quotes, with quotes, backslashes, newlines and tabs escaped.
public func quote(_ s: String) -> String {
    var out = "\""
    for c in s {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(c)
        }
    }
    return out + "\""
}

// MARK: Equality (for `==` and tests)

extension Value {
    /// Structural equality; nets compare by spec, functions and foreign values by identity.
    public func equals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none): return true
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.list(a), .list(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case let (.record(a), .record(b)):
            return a.fields.count == b.fields.count
                && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value.equals($1.value) }
        case let (.range(a, b, c), .range(d, e, f)): return a == d && b == e && c == f
        case let (.netDefinition(a), .netDefinition(b)): return a === b
        case let (.net(a), .net(b)): return a.input == b.input && a.layers == b.layers && a.heads == b.heads
        case let (.builtin(a), .builtin(b)): return a.name == b.name
        case let (.foreign(a), .foreign(b)): return a === b
        default: return false
        }
    }
}
