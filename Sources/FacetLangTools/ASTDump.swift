import FacetLang

/// S-expression form of a syntax tree with every node's range as `line:col-line:col`,
/// for parser tests and debugging: `(let x@1:5 (number 1)@1:9-1:10)@1:1-1:10`.
/// With `ranges: false` the ranges are left out: two texts that dump equal that way are the
/// same program (how `facet fmt` proves it changed only the layout).
public func dump(_ program: [Stmt], ranges: Bool = true) -> String {
    let d = ASTDumper(ranges: ranges)
    return program.map(d.dump).joined(separator: "\n")
}

/// One statement as an S-expression.
public func dump(_ s: Stmt) -> String { ASTDumper(ranges: true).dump(s) }

/// One expression as an S-expression.
public func dump(_ e: Expr) -> String { ASTDumper(ranges: true).dump(e) }

struct ASTDumper {
    let ranges: Bool

    func span(_ r: SourceRange) -> String {
        guard ranges else { return "" }
        let (l1, c1) = r.file.location(of: r.start), (l2, c2) = r.file.location(of: r.end)
        return "@\(l1):\(c1)-\(l2):\(c2)"
    }

    func dump(_ s: Stmt) -> String {
        let body: String
        switch s.kind {
        case let .letBinding(name, r, value): body = "let \(name)\(span(r)) \(dump(value))"
        case let .net(d):
            let ps = d.parameters.map { p in "(\(p.name)\(span(p.range))" + (p.defaultValue.map { " " + dump($0) } ?? "") + ")" }
            body = "net \(d.name)\(span(d.nameRange)) (params\(ps.map { " " + $0 }.joined())) (body\(d.body.map { " " + dump($0) }.joined()))"
        case let .forLoop(v, r, seq, b): body = "for \(v)\(span(r)) \(dump(seq)) (body\(b.map { " " + dump($0) }.joined()))"
        case let .ifElse(c, t, e):
            body = "if \(dump(c)) (then\(t.map { " " + dump($0) }.joined()))" + (e.map { " (else\($0.map { " " + dump($0) }.joined()))" } ?? "")
        case let .expression(e): body = "expr \(dump(e))"
        case let .importFile(path, r): body = "import \(quote(path))\(span(r))"
        case let .layer(l):
            let opts = l.options.map { o in " (\(o.name)" + (o.value.map { " " + dump($0) } ?? "") + ")\(span(o.range))" }
            body = "layer \(l.keyword)\(span(l.keywordRange))\(l.arguments.map { " " + dump($0) }.joined())\(opts.joined())"
        case let .head(h): body = dumpHead(h)
        case let .heads(hs): body = "heads" + hs.map { " (" + dumpHead($0) + ")" }.joined()
        case let .use(e): body = "use \(dump(e))"
        }
        return "(\(body))\(span(s.range))"
    }

    func dumpHead(_ h: HeadStmt) -> String {
        (h.name.map { "\($0): " } ?? "") + "\(h.keyword) \(dump(h.size))"
    }

    func dump(_ e: Expr) -> String {
        let body: String
        switch e.kind {
        case let .number(v): body = "number \(formatNumberForDump(v))"
        case let .string(s): body = "string \(quote(s))"
        case let .bool(b): body = "bool \(b)"
        case .none: body = "none"
        case let .name(n): body = "name \(n)"
        case let .list(items): body = "list" + items.map { " " + dump($0) }.joined()
        case let .size(items): body = "size" + items.map { " " + dump($0) }.joined()
        case let .record(fields): body = "record" + fields.map { " (\($0.name)\(span($0.nameRange)) \(dump($0.value)))" }.joined()
        case let .unary(op, x): body = "\(op.rawValue) \(dump(x))"
        case let .binary(op, a, b): body = "\(op.rawValue) \(dump(a)) \(dump(b))"
        case let .range(a, b, inclusive): body = "\(inclusive ? ".." : "..<") \(dump(a)) \(dump(b))"
        case let .call(f, args):
            body = "call \(dump(f))" + args.map { a in " " + (a.label.map { "\($0): " } ?? "") + dump(a.value) }.joined()
        case let .member(x, name): body = "member \(dump(x)) \(name)"
        case let .index(x, i): body = "index \(dump(x)) \(dump(i))"
        case let .pipe(a, b): body = "| \(dump(a)) \(dump(b))"
        }
        return "(\(body))\(span(e.range))"
    }
}

func formatNumberForDump(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)" }
