import FacetEngine

// MARK: Expressions

extension Interpreter {
    /// Longest range a loop or list may expand to.
    static let maxRangeLength = 1_000_000

    /// Evaluates an expression. Kept a thin dispatcher: it recurses once per tree level, and
    /// small frames keep deep (but accepted) expressions within a thread's stack.
    func eval(_ e: Expr, _ env: Environment) throws -> Value {
        switch e.kind {
        case let .number(v): return .number(v)
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case .none: return .none
        case let .name(name): return try lookup(name, e.range, env)
        case let .list(items), let .size(items): return .list(try items.map { try eval($0, env) })
        case let .record(fields): return try evalRecord(fields, env)
        case let .unary(op, operand): return try evalUnary(op, operand, e.range, env)
        case let .binary(op, lhs, rhs): return try evalBinary(op, lhs, rhs, e.range, env)
        case let .range(lo, hi, inclusive): return try evalRange(lo, hi, inclusive, e.range, env)
        case let .call(callee, arguments): return try evalCall(callee, arguments, e.range, env, piped: nil)
        case let .pipe(lhs, rhs): return try evalPipe(lhs, rhs, e.range, env)
        case let .member(target, name): return try member(try eval(target, env), name, e.range)
        case let .index(target, index): return try subscripted(try eval(target, env), try eval(index, env), e.range, index.range)
        }
    }

    func lookup(_ name: String, _ range: SourceRange, _ env: Environment) throws -> Value {
        if let v = env.lookup(name) { return v }
        if let b = registry[name] { return .builtin(b) }
        throw Diagnostic(range, "unknown name `\(name)`", hint: didYouMean(name, env.allNames.union(registry.names)))
    }

    func evalRecord(_ fields: [Field], _ env: Environment) throws -> Value {
        var out: [(name: String, value: Value)] = []
        for f in fields {
            if out.contains(where: { $0.name == f.name }) {
                throw Diagnostic(f.nameRange, "field `\(f.name)` appears twice in this record")
            }
            out.append((f.name, try eval(f.value, env)))
        }
        return .record(Record(out))
    }

    func evalUnary(_ op: UnaryOp, _ operand: Expr, _ range: SourceRange, _ env: Environment) throws -> Value {
        let v = try eval(operand, env)
        switch (op, v) {
        case (_, .unknown): return .unknown
        case let (.negate, .number(x)): return .number(-x)
        case let (.not, .bool(b)): return .bool(!b)
        default:
            throw Diagnostic(range, "`\(op.rawValue)` needs a \(op == .negate ? "number" : "bool"), got \(v.described)")
        }
    }

    func evalRange(_ lo: Expr, _ hi: Expr, _ inclusive: Bool, _ range: SourceRange, _ env: Environment) throws -> Value {
        let a = try eval(lo, env), b = try eval(hi, env)
        if case .unknown = a { return .unknown }
        if case .unknown = b { return .unknown }
        let l = try wholeNumber(a, lo.range, "a range bound"), u = try wholeNumber(b, hi.range, "a range bound")
        if u - l > Interpreter.maxRangeLength {
            throw Diagnostic(range, "range \(l)..\(u) is too long (more than \(Interpreter.maxRangeLength) numbers)")
        }
        return .range(lower: l, upper: u, inclusive: inclusive)
    }

    func evalPipe(_ lhs: Expr, _ rhs: Expr, _ range: SourceRange, _ env: Environment) throws -> Value {
        let input = try eval(lhs, env)
        if case let .call(callee, arguments) = rhs.kind {
            return try evalCall(callee, arguments, range, env, piped: (input, lhs.range))
        }
        let f = try eval(rhs, env)
        return try call(f, positional: [(input, lhs.range)], named: [], at: range, calleeRange: rhs.range)
    }

    /// An integer from a number value, or an error naming `what`.
    func wholeNumber(_ v: Value, _ range: SourceRange, _ what: String) throws -> Int {
        guard case let .number(x) = v else { throw Diagnostic(range, "\(what) must be a number, got \(v.described)") }
        // 1e15 is a whole number: too large is said as too large, not as "not whole".
        guard x.isFinite, x == x.rounded() else { throw Diagnostic(range, "\(what) must be a whole number, got \(formatNumber(x))") }
        guard abs(x) <= 1e12 else { throw Diagnostic(range, "\(what) must be at most 10^12 in size, got \(formatNumber(x))") }
        return Int(x)
    }

    func evalBinary(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, _ range: SourceRange, _ env: Environment) throws -> Value {
        if op == .and || op == .or { return try evalLogical(op, lhs, rhs, env) }
        let a = try eval(lhs, env)
        let b = try eval(rhs, env)
        return try applyBinary(op, a, b, range, rhs.range)
    }

    func evalLogical(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, _ env: Environment) throws -> Value {
        let a = try eval(lhs, env)
        if case .unknown = a { _ = try eval(rhs, env); return .unknown }
        guard case let .bool(x) = a else { throw Diagnostic(lhs.range, "`\(op.rawValue)` needs bools, got \(a.described)") }
        if op == .and && !x { return .bool(false) }
        if op == .or && x { return .bool(true) }
        let b = try eval(rhs, env)
        if case .unknown = b { return .unknown }
        guard case let .bool(y) = b else { throw Diagnostic(rhs.range, "`\(op.rawValue)` needs bools, got \(b.described)") }
        return .bool(y)
    }

    /// A binary operation's value; a number result must be finite (`1e308 * 10` is an error at the
    /// expression, as division by zero is), so ∞ and NaN never reach a builtin. Public so builtins
    /// that combine values (`mean` of estimates) do it exactly as the language's operators do.
    public func applyBinary(_ op: BinaryOp, _ a: Value, _ b: Value, _ range: SourceRange, _ rhsRange: SourceRange) throws -> Value {
        let result = try applyBinaryUnchecked(op, a, b, range, rhsRange)
        if case let .number(x) = result, !x.isFinite {
            throw Diagnostic(range, "\(a.repr) \(op.rawValue) \(b.repr) overflows (numbers go up to about 1.8e308)")
        }
        if nonFinite(result) != nil {
            throw Diagnostic(range, "`\(op.rawValue)` gives a value that is not finite (an overflow, or 0 × ∞)", hint: "numbers go up to about 1.8e308")
        }
        return result
    }

    private func applyBinaryUnchecked(_ op: BinaryOp, _ a: Value, _ b: Value, _ range: SourceRange,
                                      _ rhsRange: SourceRange) throws -> Value {
        if case .unknown = a { return .unknown }
        if case .unknown = b { return .unknown }
        switch (op, a, b) {
        case (.equal, _, _): return .bool(a.equals(b))
        case (.notEqual, _, _): return .bool(!a.equals(b))
        case let (.add, .number(x), .number(y)): return .number(x + y)
        case let (.add, .string(x), .string(y)): return .string(x + y)
        case let (.add, .list(x), .list(y)): return .list(x + y)
        case let (.subtract, .number(x), .number(y)): return .number(x - y)
        case let (.multiply, .number(x), .number(y)): return .number(x * y)
        case let (.divide, .number(x), .number(y)):
            if y == 0 { throw Diagnostic(rhsRange, "division by zero") }
            return .number(x / y)
        case let (.remainder, .number(x), .number(y)):
            if y == 0 { throw Diagnostic(rhsRange, "division by zero") }
            return .number(x.truncatingRemainder(dividingBy: y))
        case let (.less, .number(x), .number(y)): return .bool(x < y)
        case let (.lessEqual, .number(x), .number(y)): return .bool(x <= y)
        case let (.greater, .number(x), .number(y)): return .bool(x > y)
        case let (.greaterEqual, .number(x), .number(y)): return .bool(x >= y)
        case let (.less, .string(x), .string(y)): return .bool(x < y)
        case let (.lessEqual, .string(x), .string(y)): return .bool(x <= y)
        case let (.greater, .string(x), .string(y)): return .bool(x > y)
        case let (.greaterEqual, .string(x), .string(y)): return .bool(x >= y)
        default:
            if let v = try foreignArithmetic(op, a, b, range) { return v }
            var hint: String?
            if op == .add, case .string = a { hint = "convert with `str(...)` first" }
            if op == .add, case .string = b { hint = "convert with `str(...)` first" }
            throw Diagnostic(range, "cannot apply `\(op.rawValue)` to \(a.described) and \(b.described)", hint: hint)
        }
    }

    /// `op` on an ``ArithmeticValue`` operand, when it takes part; nil otherwise.
    private func foreignArithmetic(_ op: BinaryOp, _ a: Value, _ b: Value, _ range: SourceRange) throws -> Value? {
        do {
            if case let .foreign(f as ArithmeticValue) = a, let v = try f.apply(op, b, selfOnRight: false) { return v }
            if case let .foreign(f as ArithmeticValue) = b, let v = try f.apply(op, a, selfOnRight: true) { return v }
        } catch let d as Diagnostic {
            throw d
        } catch {
            throw Diagnostic(range, "\(error)")
        }
        return nil
    }

    /// `target.name` as the interpreter reads it (also for completion after a dot); a `Diagnostic`
    /// at `range` when `target` has no such field.
    public func member(_ target: Value, _ name: String, _ range: SourceRange) throws -> Value {
        switch target {
        case .unknown: return .unknown
        case let .record(r):
            if let v = r[name] { return v }
            throw Diagnostic(range, "record has no field `\(name)`", hint: didYouMean(name, r.fields.map(\.name))
                             ?? "fields: \(r.fields.map(\.name).joined(separator: ", "))")
        case .net, .netDefinition:
            let netValue = try netArgument(target, range)
            guard case let .net(n) = netValue else { return .unknown }
            return try netMember(n, name, range)
        case let .foreign(f):
            if let v = f.member(name) { return v }
            let fields = f.memberNames.isEmpty ? "it has no fields" : "its fields: " + f.memberNames.joined(separator: ", ")
            throw Diagnostic(range, "\(f.typeName) has no field `\(name)`; \(fields)", hint: didYouMean(name, f.memberNames))
        default:
            throw Diagnostic(range, "\(target.described) has no fields")
        }
    }

    func subscripted(_ target: Value, _ index: Value, _ range: SourceRange, _ indexRange: SourceRange) throws -> Value {
        if case .unknown = target { return .unknown }
        if case .unknown = index { return .unknown }
        switch (target, index) {
        case let (.record(r), .string(s)):
            if let v = r[s] { return v }
            throw Diagnostic(indexRange, "record has no field `\(s)`", hint: didYouMean(s, r.fields.map(\.name)))
        case (.list, _), (.range, _):
            let items = target.elements ?? []
            let i = try wholeNumber(index, indexRange, "a list index")
            let j = i < 0 ? items.count + i : i
            guard j >= 0, j < items.count else {
                throw Diagnostic(indexRange, "index \(i) is out of range for a list of \(items.count)")
            }
            return items[j]
        default:
            throw Diagnostic(range, "cannot index \(target.described) with \(index.described)")
        }
    }
}

extension ForeignValue {
    /// Fields reachable with `.name`; none by default.
    public func member(_ name: String) -> Value? { nil }
    /// Field names, for suggestions.
    public var memberNames: [String] { [] }
}
