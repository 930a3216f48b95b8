import FacetFiles
// MARK: Calls and argument binding

/// An evaluated argument and where it was written.
typealias Positional = (value: Value, range: SourceRange)
typealias Named = (label: String, labelRange: SourceRange, value: Value, range: SourceRange)

extension Interpreter {
    func evalCall(_ calleeExpr: Expr, _ arguments: [CallArgument], _ range: SourceRange, _ env: Environment,
                  piped: Positional?) throws -> Value {
        let callee = try eval(calleeExpr, env)
        var positional: [Positional] = piped.map { [$0] } ?? []
        var named: [Named] = []
        for a in arguments {
            let v = try eval(a.value, env)
            if let label = a.label, let labelRange = a.labelRange {
                if named.contains(where: { $0.label == label }) {
                    throw Diagnostic(labelRange, "argument `\(label)` is given twice")
                }
                named.append((label, labelRange, v, a.value.range))
            } else {
                if let first = named.first {
                    throw Diagnostic(a.value.range, "positional argument after named argument `\(first.label)`",
                                     hint: "put positional arguments first")
                }
                positional.append((v, a.value.range))
            }
        }
        return try call(callee, positional: positional, named: named, at: range, calleeRange: calleeExpr.range)
    }

    func call(_ callee: Value, positional: [Positional], named: [Named], at range: SourceRange,
              calleeRange: SourceRange) throws -> Value {
        switch callee {
        case let .builtin(b):
            let bound = try bind(b, positional, named, at: range)
            if mode == .check && (!b.pure || bound.hasUnknown) {
                do { try b.check?(bound, CallContext(interpreter: self, range: range)) } catch is Indeterminate {}
                return .unknown
            }
            do {
                let result = try b.body(bound, CallContext(interpreter: self, range: range))
                if let what = nonFinite(result) {
                    throw Diagnostic(range, "\(b.name)(...) gave \(what), not a finite number", hint: "numbers this large or undefined cannot be used further")
                }
                return result
            } catch let d as Diagnostic {
                throw d
            } catch let e as DiagnosticError {
                throw e.diagnostics.first ?? Diagnostic(range, "\(b.name) failed")
            } catch is Indeterminate {
                return .unknown
            } catch {
                throw Diagnostic(range, "\(b.name): \(FileFailure.describe(error))")
            }
        case let .netDefinition(d):
            return try instantiate(d, positional: positional, named: named, at: range)
        case let .net(n):
            if positional.isEmpty && named.isEmpty { return callee }
            throw Diagnostic(calleeRange, "this net already has its arguments (\(n.call))",
                             hint: "call the definition `\(n.name)(...)` instead")
        case .unknown:
            return .unknown
        default:
            throw Diagnostic(calleeRange, "\(callee.described) is not a function")
        }
    }

    /// Calls a function value from Swift (the notebook kernel, tests).
    public func call(_ callee: Value, _ arguments: [Value], named: [(String, Value)] = [], at range: SourceRange) throws -> Value {
        try call(callee, positional: arguments.map { ($0, range) }, named: named.map { ($0.0, range, $0.1, range) },
                 at: range, calleeRange: range)
    }

    /// Matches arguments to a builtin's parameters and checks their types.
    func bind(_ b: Builtin, _ positional: [Positional], _ named: [Named], at range: SourceRange) throws -> BoundArguments {
        var bound = BoundArguments(callRange: range)
        let fixed = b.parameters.filter { !$0.variadic }
        let variadic = b.parameters.first { $0.variadic }
        for (i, arg) in positional.enumerated() {
            if i < fixed.count {
                bound.values[fixed[i].name] = arg.value
                bound.ranges[fixed[i].name] = arg.range
            } else if let variadic {
                var items = bound.values[variadic.name].flatMap { $0.elements } ?? []
                items.append(arg.value)
                bound.values[variadic.name] = .list(items)
                if bound.ranges[variadic.name] == nil { bound.ranges[variadic.name] = arg.range }
            } else {
                throw Diagnostic(arg.range, "`\(b.name)` takes \(countText(fixed.count)), got \(positional.count)",
                                 hint: b.signature)
            }
        }
        for arg in named {
            guard let p = b.parameters.first(where: { $0.name == arg.label }), !p.variadic else {
                throw Diagnostic(arg.labelRange, "`\(b.name)` has no parameter `\(arg.label)`",
                                 hint: didYouMean(arg.label, b.parameters.map(\.name)) ?? b.signature)
            }
            if bound.values[p.name] != nil {
                throw Diagnostic(arg.labelRange, "argument `\(p.name)` is given twice (once by position)")
            }
            bound.values[p.name] = arg.value
            bound.ranges[p.name] = arg.range
        }
        for p in b.parameters {
            guard let v = bound.values[p.name] else {
                if p.variadic { bound.values[p.name] = .list([]); continue }
                guard let d = p.defaultValue else {
                    throw Diagnostic(range, "`\(b.name)` needs argument `\(p.name)`", hint: b.signature)
                }
                bound.values[p.name] = d
                continue
            }
            if p.variadic { continue }
            guard p.type.accepts(v) else {
                throw Diagnostic(bound.range(p.name), "argument `\(p.name)` of `\(b.name)` must be a \(p.type.name), got \(v.described)",
                                 hint: b.signature)
            }
            if p.type == .net { bound.values[p.name] = try netArgument(v, bound.range(p.name)) }
        }
        return bound
    }

    /// A net value from a net or a definition (given its defaults).
    func netArgument(_ v: Value, _ range: SourceRange) throws -> Value {
        if case let .netDefinition(d) = v { return try instantiate(d, positional: [], named: [], at: range) }
        return v
    }
}

func countText(_ n: Int) -> String { n == 0 ? "no arguments" : n == 1 ? "1 argument" : "\(n) arguments" }
