/// Finds names that are used but never defined, before anything runs, and suggests the
/// closest visible name. Reports each unknown name once.
struct Resolver {
    let globals: Set<String>
    var diagnostics: [Diagnostic] = []
    var reported: Set<String> = []
    /// Top-level names of the source being resolved: visible inside net bodies in any order.
    var fileNames: Set<String> = []

    init(globals: Set<String>) { self.globals = globals }

    mutating func resolve(_ program: [Stmt]) -> [Diagnostic] {
        var seenNets: [String: SourceRange] = [:]
        for stmt in program {
            switch stmt.kind {
            case let .net(decl):
                if let first = seenNets[decl.name] {
                    diagnostics.append(Diagnostic(decl.nameRange, "net `\(decl.name)` is defined twice (first at \(first))"))
                }
                seenNets[decl.name] = decl.nameRange
                fileNames.insert(decl.name)
            case let .letBinding(name, _, _): fileNames.insert(name)
            default: break
            }
        }
        var scope = globals.union(seenNets.keys)
        for stmt in program { resolve(stmt, &scope) }
        // In source order, as a reader meets them.
        return diagnostics.enumerated().sorted { a, b in
            (a.element.range.start, a.offset) < (b.element.range.start, b.offset)
        }.map(\.element)
    }

    mutating func resolve(_ s: Stmt, _ scope: inout Set<String>) {
        switch s.kind {
        case let .letBinding(name, _, value):
            resolve(value, scope)
            scope.insert(name)
        case let .net(decl):
            var inner = scope.union(fileNames)
            var seen: Set<String> = []
            for p in decl.parameters {
                if seen.contains(p.name) { diagnostics.append(Diagnostic(p.range, "parameter `\(p.name)` appears twice")) }
                seen.insert(p.name)
                if let d = p.defaultValue { resolve(d, inner) }
                inner.insert(p.name)
            }
            for stmt in decl.body { resolve(stmt, &inner) }
        case let .forLoop(variable, _, sequence, body):
            resolve(sequence, scope)
            var inner = scope
            inner.insert(variable)
            for stmt in body { resolve(stmt, &inner) }
        case let .ifElse(condition, then, otherwise):
            resolve(condition, scope)
            var a = scope
            for stmt in then { resolve(stmt, &a) }
            var b = scope
            for stmt in otherwise ?? [] { resolve(stmt, &b) }
        case .importFile:
            break
        case let .expression(e), let .use(e):
            resolve(e, scope)
        case let .layer(l):
            for a in l.arguments { resolve(a, scope) }
            for o in l.options { if let v = o.value { resolve(v, scope) } }
        case let .head(h):
            resolve(h.size, scope)
        case let .heads(hs):
            var names: [String: SourceRange] = [:]
            for h in hs {
                resolve(h.size, scope)
                if let name = h.name, let r = h.nameRange {
                    if let first = names[name] { diagnostics.append(Diagnostic(r, "head `\(name)` appears twice (first at \(first))")) }
                    names[name] = r
                }
            }
        }
    }

    mutating func resolve(_ e: Expr, _ scope: Set<String>) {
        switch e.kind {
        case .number, .string, .bool, .none: break
        case let .name(name):
            guard !scope.contains(name), !reported.contains(name) else { return }
            reported.insert(name)
            var hint = didYouMean(name, scope)
            if hint == nil, layerKeywords.contains(name) || headKeywords.contains(name) {
                hint = "`\(name)` is a layer statement; layer statements start a line inside a `net` body"
            }
            diagnostics.append(Diagnostic(e.range, "unknown name `\(name)`", hint: hint))
        case let .list(items), let .size(items):
            for i in items { resolve(i, scope) }
        case let .record(fields):
            for f in fields { resolve(f.value, scope) }
        case let .unary(_, x), let .member(x, _):
            resolve(x, scope)
        case let .binary(_, a, b), let .range(a, b, _), let .index(a, b), let .pipe(a, b):
            resolve(a, scope); resolve(b, scope)
        case let .call(callee, args):
            resolve(callee, scope)
            for a in args { resolve(a.value, scope) }
        }
    }
}
