import FacetEngine

/// The net being built while a net body runs.
final class NetBuilder {
    var net: NetValue
    init(_ net: NetValue) { self.net = net }

    func addLayer(_ layer: LayerSpec, _ site: Site) throws {
        if let firstHead = net.headSites.first {
            throw Diagnostic(site.range, "layers must come before the heads (first head at \(firstHead.range))")
        }
        net.layers.append(layer)
        net.layerSites.append(site)
    }

    func addHead(_ head: HeadSpec, _ site: Site) throws {
        if let i = net.heads.firstIndex(where: { $0.name == head.name }) {
            throw Diagnostic(site.range, "net `\(net.name)` already has a head named `\(head.name)` (at \(net.headSites[i].range))",
                             hint: "give several heads names in a `heads { name: softmax N ... }` block")
        }
        net.heads.append(head)
        net.headSites.append(site)
    }
}

// MARK: Making nets

extension Interpreter {
    /// Gives a net definition its arguments and runs its body: a checked net, or `unknown`
    /// while checking when an argument is not known yet.
    func instantiate(_ def: NetDefinition, positional: [Positional], named: [Named], at range: SourceRange) throws -> Value {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Interpreter.maxDepth else {
            throw Diagnostic(range, "nets use each other more than \(Interpreter.maxDepth) deep", hint: "does a net use itself?")
        }
        try tick(range)
        let params = def.decl.parameters
        if positional.count > params.count {
            throw Diagnostic(positional[params.count].range, "net `\(def.name)` takes \(countText(params.count)), got \(positional.count)",
                             hint: def.signature)
        }
        var given: [String: Value] = [:]
        for (p, arg) in zip(params, positional) { given[p.name] = arg.value }
        for arg in named {
            guard params.contains(where: { $0.name == arg.label }) else {
                throw Diagnostic(arg.labelRange, "net `\(def.name)` has no parameter `\(arg.label)`",
                                 hint: didYouMean(arg.label, params.map(\.name)) ?? def.signature)
            }
            if given[arg.label] != nil { throw Diagnostic(arg.labelRange, "argument `\(arg.label)` is given twice") }
            given[arg.label] = arg.value
        }
        let env = Environment(parent: def.closure)
        var arguments: [(name: String, value: Value)] = []
        for p in params {
            var value = given[p.name]
            if value == nil, let d = p.defaultValue { value = try eval(d, env) }
            guard let value else {
                throw Diagnostic(range, "net `\(def.name)` needs argument `\(p.name)`", hint: def.signature)
            }
            env.define(p.name, value)
            arguments.append((p.name, value))
        }
        let builder = NetBuilder(NetValue(name: def.name, arguments: arguments, definedAt: def.decl.nameRange))
        // Every statement of the body is tried, so one check reports each bad layer.
        var problems: [Diagnostic] = []
        var indeterminate = false
        for stmt in def.decl.body {
            do {
                _ = try exec(stmt, env, builder)
            } catch let d as Diagnostic {
                problems.append(d)
            } catch let e as DiagnosticError {
                problems += e.diagnostics
            } catch is Indeterminate {
                indeterminate = true
                break
            }
        }
        if problems.isEmpty {
            if indeterminate { return .unknown }
            do { return .net(try checkShapes(builder.net, memory: checksMemory)) } catch let d as Diagnostic { problems.append(d) }
        }
        // The errors point into the body; say which arguments led there.
        let context = range == def.decl.nameRange
            ? "with the default arguments \(builder.net.call)" : "in \(builder.net.call) made at \(range)"
        for i in problems.indices {
            if let hint = problems[i].hint {
                // Nested nets: keep the chain back to the call the user wrote.
                if hint.hasPrefix("in ") || hint.hasPrefix("with the default") || hint.hasPrefix("this layer comes") {
                    if range != def.decl.nameRange { problems[i].hint = hint + "; in \(builder.net.call) made at \(range)" }
                }
            } else {
                problems[i].hint = context
            }
        }
        if problems.count == 1 { throw problems[0] }
        throw DiagnosticError(problems)
    }

    /// `use other(...)`: splices another net's input (when this one has none yet) and layers.
    /// Its heads stay behind, so one trunk can carry different head sets.
    func useNet(_ e: Expr, _ range: SourceRange, _ env: Environment, _ b: NetBuilder) throws {
        let v = try netArgument(try eval(e, env), e.range)
        if case .unknown = v { throw Indeterminate() }
        guard case let .net(used) = v else { throw Diagnostic(e.range, "`use` needs a net, got \(v.described)") }
        if let input = used.input, b.net.input == nil, b.net.layers.isEmpty {
            b.net.input = input
            b.net.inputSite = used.inputSite?.through(range)
        }
        for (layer, site) in zip(used.layers, used.layerSites) { try b.addLayer(layer, site.through(range)) }
    }

    func compileHead(_ h: HeadStmt, _ env: Environment, _ b: NetBuilder) throws {
        let n = try layerInteger(try eval(h.size, env), h.size.range, "\(h.keyword) outputs", min: 1, max: 1 << 20)
        let kind: HeadKind = h.keyword == "softmax" ? .softmax(classes: n) : h.keyword == "sigmoid" ? .sigmoid(labels: n) : .regress(outputs: n)
        if h.keyword == "softmax" && n < 2 {
            throw Diagnostic(h.size.range, "softmax needs at least 2 classes, got \(n)", hint: "use `sigmoid 1` for one yes/no label")
        }
        try b.addHead(HeadSpec(name: h.name ?? "out", kind: kind), Site(range: h.range))
    }

    /// A whole number within limits for a layer argument; `unknown` stops the build while checking.
    func layerInteger(_ v: Value, _ range: SourceRange, _ what: String, min: Int, max: Int) throws -> Int {
        if case .unknown = v { throw Indeterminate() }
        guard case let .number(x) = v else { throw Diagnostic(range, "\(what) must be a number, got \(v.described)") }
        guard x == x.rounded(), x.isFinite else { throw Diagnostic(range, "\(what) must be a whole number, got \(formatNumber(x))") }
        guard x >= Double(min) else { throw Diagnostic(range, "\(what) must be at least \(min), got \(formatNumber(x))") }
        guard x <= Double(max) else { throw Diagnostic(range, "\(what) must be at most \(max), got \(formatNumber(x))") }
        return Int(x)
    }

    // MARK: Shape checking

    /// Infers every layer's output shape; an impossible shape names the layer, its place and the sizes.
    /// Also refuses nets too large to count, so no later arithmetic can overflow, and (with
    /// `memory`) nets too large to train on this machine.
    func checkShapes(_ net: NetValue, memory: Bool = true) throws -> NetValue {
        guard let input = net.input else { return net }
        var x = input
        var work = 0.0
        let limit = 1e15
        for (i, layer) in net.layers.enumerated() {
            let site = net.layerSites[i]
            let counts: LayerCounts
            do {
                counts = try layer.counts(x)
            } catch let e as ShapeError {
                let previous = i == 0 ? "input" : net.layers[i - 1].kind
                let previousSite = i == 0 ? net.inputSite : net.layerSites[i - 1]
                let place = previousSite.map { " at \($0.range)" } ?? ""
                throw Diagnostic(site.range, "\(e.message) after \(previous)\(place)",
                                 hint: site.usedAt.isEmpty ? nil : "this layer comes from a net used at \(site.usedAt.map(\.description).joined(separator: ", "))")
            }
            let y = counts.output
            guard y.count <= 10_000_000_000 else {
                throw Diagnostic(site.range, "\(layer.kind) output \(y) is too large (\(y.count) values per sample)")
            }
            // The engine's counts saturate instead of overflowing, so this sum cannot trap.
            work += Double(counts.parameters) + Double(counts.flops)
            guard work <= limit else {
                throw Diagnostic(site.range, "net is too large to count: more than 10^15 operations by this \(layer.kind)")
            }
            x = y
        }
        for (head, site) in zip(net.heads, net.headSites) {
            let counts = head.counts(features: x)
            work += Double(counts.parameters) + Double(counts.flops)
            guard work <= limit else { throw Diagnostic(site.range, "net is too large to count: head `\(head.name)` has too many weights") }
        }
        if memory, let spec = net.spec { try checkMemory(spec, net) }
        return net
    }

    /// Refuses a net that no `train` could fit in memory: weights, gradients, SGD momentum (the
    /// least optimizer state) and the trainer's best-weights copy, whatever the batch. The error
    /// sits at the row that needs the most. The batch-dependent part is checked where the batch is
    /// given (`train`), since a smaller batch fixes it.
    func checkMemory(_ spec: NetSpec, _ net: NetValue) throws {
        guard let estimate = try? spec.memory(.training(batch: 0, optimizer: .paperSGD)) else { return }
        let limit = MemoryLimit.current
        guard estimate.total > limit.bytes else { return }
        let site: Site?
        switch estimate.largest {
        case .input: site = net.inputSite
        case let .layer(i): site = net.layerSites[i]
        case let .head(i): site = net.headSites[i]
        }
        let params = (try? spec.parameterCount()) ?? 0
        throw Diagnostic(site?.range ?? net.definedAt,
                         "net `\(net.name)` needs \(formatBytes(estimate.total)) to train before any activations "
                         + "(\(estimate.breakdown) for \(grouped(params)) parameters), more than \(limit.described); "
                         + "\(estimate.largestLabel) alone needs \(formatBytes(estimate.largestBytes))",
                         hint: "\(MemoryLimit.variable) sets the limit; fewer units or maps, or pooling or a stride earlier, shrink the net")
    }

    /// `m.name`, `m.params`, `m.flops`, `m.shape`, `m.input`, `m.heads`, `m.text`, `m.arguments`.
    func netMember(_ n: NetValue, _ name: String, _ range: SourceRange) throws -> Value {
        let spec = n.spec
        switch name {
        case "name": return .string(n.name)
        case "text": return .string(n.text)
        case "arguments": return .record(Record(n.arguments))
        case "heads":
            return .record(Record(n.heads.map { ($0.name, .string($0.kind.text)) }))
        case "input": return n.input.map { .string($0.description) } ?? .none
        case "params", "flops", "shape":
            guard let spec else { throw Diagnostic(range, "net `\(n.name)` has no `input`, so it has no \(name)") }
            switch name {
            case "params": return .number(Double((try? spec.parameterCount()) ?? 0))
            case "flops": return .number(Double((try? spec.flops()) ?? 0))
            default: return .string(((try? spec.trunkShapes())?.last ?? spec.input).description)
            }
        default:
            let names = Self.netMemberNames
            throw Diagnostic(range, "a net has no field `\(name)`", hint: didYouMean(name, names) ?? "fields: \(names.joined(separator: ", "))")
        }
    }

    /// The fields `netMember` answers, for its error and for completion.
    public static let netMemberNames = ["name", "text", "arguments", "heads", "input", "params", "flops", "shape"]
}
