import FacetEngine

/// Registers the language's own builtins. Other modules add data, training and report builtins.
func registerCoreBuiltins(_ r: BuiltinRegistry) {
    r.register("print", [BuiltinParameter("values", .any, variadic: true)],
               doc: "Writes values separated by spaces; strings without quotes.") { args, ctx in
        ctx.write(args.list("values").map(\.description).joined(separator: " "))
        return .none
    }
    r.register("show", [BuiltinParameter("value")],
               doc: "Renders a value: a net as its canonical text, a table or figure into the report.") { args, ctx in
        let value = try ctx.interpreter.netArgument(args["value"], args.range("value"))
        if let display = ctx.interpreter.display { display(value) } else { ctx.write(value.description) }
        return .none
    }
    r.register("summary", [BuiltinParameter("net", .net)],
               doc: "Prints a table of each layer's output shape, parameters, FLOPs and activation memory, then the memory training needs.") { args, ctx in
        guard let net = args.net("net") else { return .unknown }
        let text = try summaryTable(net, at: args.range("net"))
        if let table = ctx.interpreter.outputTable {
            table(text, try summaryMarkdown(net, at: args.range("net")))
        } else {
            ctx.write(text)
        }
        return .none
    }
    r.register("shape", [BuiltinParameter("net", .net)], doc: "The trunk's output shape, e.g. \"3072\" or \"15x15x128\".",
               pure: true) { args, ctx in
        try ctx.interpreter.netMember(args.net("net")!, "shape", args.range("net"))
    }
    r.register("params", [BuiltinParameter("net", .net)], doc: "Number of trainable parameters, trunk and heads.",
               pure: true) { args, ctx in
        try ctx.interpreter.netMember(args.net("net")!, "params", args.range("net"))
    }
    r.register("flops", [BuiltinParameter("net", .net)], doc: "Forward floating-point operations per sample.",
               pure: true) { args, ctx in
        try ctx.interpreter.netMember(args.net("net")!, "flops", args.range("net"))
    }
    r.register("len", [BuiltinParameter("value")], doc: "Length of a list, range, record or string.", pure: true) { args, ctx in
        switch args["value"] {
        case let .string(s): return .number(Double(s.count))
        case let v: guard let items = v.elements else {
            throw Diagnostic(args.range("value"), "`len` needs a list, range, record or string, got \(v.described)")
        }
            return .number(Double(items.count))
        }
    }
    r.register("str", [BuiltinParameter("value")], doc: "The value as text, as `print` writes it.", pure: true) { args, _ in
        .string(args["value"].description)
    }
    r.register("type", [BuiltinParameter("value")], doc: "The value's type name.", pure: true) { args, _ in
        .string(args["value"].typeName)
    }
    r.register("help", [BuiltinParameter("name", .any, default: Value.none)],
               doc: "Lists the builtins, or shows one builtin's signature and documentation.",
               usage: "Type help() to list every builtin with its documentation, or help(name) for one of them, e.g. help(train).") { args, ctx in
        let registry = ctx.interpreter.registry
        switch args["name"] {
        case .none:
            ctx.write(registry.names.compactMap { registry[$0] }.map { "\($0.signature)\n    \($0.doc)" }.joined(separator: "\n"))
        case let .builtin(b):
            ctx.write("\(b.signature)\n    \(b.doc)")
        case let .string(name):
            guard let b = registry[name] else {
                throw Diagnostic(args.range("name"), "no builtin named `\(name)`", hint: didYouMean(name, registry.names))
            }
            ctx.write("\(b.signature)\n    \(b.doc)")
        case let .netDefinition(d):
            ctx.write(d.signature)
        case let v:
            ctx.write("\(v.typeName): \(v.repr)")
        }
        return .none
    }
    registerWeightsBuiltins(r)
}
