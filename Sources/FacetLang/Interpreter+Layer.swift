import FacetEngine

/// A positional layer argument once evaluated: a plain number or a size `a x b [x c]`.
struct LayerArgument {
    var parts: [Double]
    var isSize: Bool
    var range: SourceRange
}

/// An option word of a layer statement with its catalog entry and its value, if it takes one.
struct EvaluatedLayerOption {
    var word: String
    var option: LayerOptionDescriptor
    var range: SourceRange
    var value: Value?
}

// MARK: Compiling layer statements through the catalog

extension Interpreter {
    /// Compiles one layer statement by its `layerCatalog` entry: options are evaluated, then the
    /// positional arguments are read and checked in order, then the layer (or input) is added.
    func compileLayer(_ l: LayerStmt, _ range: SourceRange, _ env: Environment, _ b: NetBuilder) throws {
        guard let d = layerDescriptors[l.keyword] else {
            throw Diagnostic(l.keywordRange, "unknown layer `\(l.keyword)`", hint: didYouMean(l.keyword, layerKeywords))
        }
        let options = try evaluateLayerOptions(l.options, d, env)
        let args = try l.arguments.map { try layerArgument($0, env, d.keyword) }
        if args.count > d.arity.upperBound {
            throw Diagnostic(args[d.arity.upperBound].range, "\(d.keyword) takes \(d.argumentsText), got \(args.count) arguments",
                             hint: "write `\(d.usage)`")
        }
        if args.count < d.arity.lowerBound {
            throw Diagnostic(l.keywordRange, "\(d.keyword) needs \(d.argumentsText)", hint: "write `\(d.usage)`")
        }
        if case .input = d.build {
            if let earlier = b.net.inputSite { throw Diagnostic(range, "net `\(b.net.name)` already has an input (at \(earlier.range))") }
            guard b.net.layers.isEmpty else { throw Diagnostic(range, "`input` must come before the layers") }
        }
        var a = LayerArguments()
        for (arg, spec) in zip(args, d.arguments) { try readLayerArgument(arg, spec, d.keyword, into: &a) }
        for spec in d.arguments.dropFirst(args.count) {
            guard let v = spec.defaultValue else { continue }
            if case .window = spec.type { a.windows[spec.name] = (v, v) } else { a.integers[spec.name] = v }
        }
        try readLayerOptions(options, d, into: &a)
        let site = Site(range: range)
        switch d.build {
        case .input:
            b.net.input = a.shape
            b.net.inputSite = site
        case let .layer(make):
            try b.addLayer(make(a), site)
            if let relu = options.first(where: { $0.word == "relu" }) { try b.addLayer(.relu, Site(range: relu.range)) }
        }
    }

    /// Option words with their values evaluated, refusing words this layer does not take and
    /// a second option of the same kind (`relu linear`, `stride 1 stride 2`).
    func evaluateLayerOptions(_ options: [LayerOption], _ d: LayerDescriptor, _ env: Environment) throws
        -> [EvaluatedLayerOption] {
        var out: [EvaluatedLayerOption] = []
        for o in options {
            guard let option = d.option(spelled: o.name) else {
                throw Diagnostic(o.range, "`\(o.name)` does not apply to \(d.keyword)", hint: "write `\(d.usage)`")
            }
            if out.contains(where: { $0.option.key == option.key }) {
                throw Diagnostic(o.range, "`\(o.name)` conflicts with an earlier option of this \(d.keyword)")
            }
            out.append(EvaluatedLayerOption(word: o.name, option: option, range: o.range,
                                            value: try o.value.map { try eval($0, env) }))
        }
        return out
    }

    /// Checks value options as whole numbers in range and fills in their defaults; records flags.
    func readLayerOptions(_ options: [EvaluatedLayerOption], _ d: LayerDescriptor, into a: inout LayerArguments) throws {
        for o in options {
            guard case let .value(name, _, min, _, _) = o.option, let v = o.value else { a.flags.insert(o.word); continue }
            a.integers[name] = try layerInteger(v, o.range, "\(d.keyword) \(name)", min: min, max: 1 << 16)
        }
        for case let .value(name, _, _, v?, _) in d.options where a.integers[name] == nil { a.integers[name] = v }
    }

    /// Reads one positional argument by its type, with errors that name the layer and argument.
    func readLayerArgument(_ arg: LayerArgument, _ spec: LayerArgumentDescriptor, _ keyword: String,
                           into a: inout LayerArguments) throws {
        let what = "\(keyword) \(spec.name)"
        func plainNumber() throws -> Double {
            guard !arg.isSize, arg.parts.count == 1 else { throw Diagnostic(arg.range, "\(what) is a single number, not a size") }
            return arg.parts[0]
        }
        switch spec.type {
        case .count:
            a.integers[spec.name] = try layerInteger(.number(try plainNumber()), arg.range, what, min: 1, max: 1 << 20)
        case .rate:
            let rate = try plainNumber()
            guard rate >= 0, rate < 1 else { throw Diagnostic(arg.range, "\(what) must be in [0, 1), got \(formatNumber(rate))") }
            a.numbers[spec.name] = rate
        case let .window(square, odd):
            guard arg.parts.count <= 2 else { throw Diagnostic(arg.range, "\(what) is `KxK` or `HxW`, got \(arg.parts.count) sizes") }
            let h = try layerInteger(.number(arg.parts[0]), arg.range, what, min: 1, max: 1 << 16)
            let w = try layerInteger(.number(arg.parts.last!), arg.range, what, min: 1, max: 1 << 16)
            if square, h != w { throw Diagnostic(arg.range, "\(what) must be square, got \(h)x\(w)") }
            if odd, h % 2 == 0 { throw Diagnostic(arg.range, "\(what) must be an odd size, got \(h)") }
            a.windows[spec.name] = (h, w)
        case .shape:
            a.shape = try layerShape(arg, keyword)
        }
    }

    /// `48x48x1`, `48x48` (one channel) or `3072` (a vector), within size limits.
    func layerShape(_ a: LayerArgument, _ keyword: String) throws -> FeatureShape {
        guard a.parts.count <= 3 else {
            throw Diagnostic(a.range, "\(keyword) is `H x W x C`, `H x W` or a vector length, got \(a.parts.count) sizes")
        }
        let dims = try a.parts.map { try layerInteger(.number($0), a.range, "\(keyword) size", min: 1, max: 1 << 16) }
        let shape: FeatureShape
        switch dims.count {
        case 1 where !a.isSize: shape = FeatureShape(channels: dims[0], height: 1, width: 1)
        case 1: shape = FeatureShape(channels: 1, height: dims[0], width: dims[0])
        case 2: shape = FeatureShape(channels: 1, height: dims[0], width: dims[1])
        default: shape = FeatureShape(channels: dims[2], height: dims[0], width: dims[1])
        }
        guard Double(shape.channels) * Double(shape.height) * Double(shape.width) <= 1e9 else {
            throw Diagnostic(a.range, "\(keyword) \(shape) is too large")
        }
        return shape
    }

    /// Evaluates one positional argument: `64`, `width`, `2*width`, `5x5`, `k x k`, or a list `[5, 5]`.
    func layerArgument(_ e: Expr, _ env: Environment, _ keyword: String) throws -> LayerArgument {
        func number(_ v: Value, _ r: SourceRange) throws -> Double {
            if case .unknown = v { throw Indeterminate() }
            guard case let .number(x) = v else { throw Diagnostic(r, "\(keyword) arguments are numbers or sizes, got \(v.described)") }
            return x
        }
        if case let .size(parts) = e.kind {
            return LayerArgument(parts: try parts.map { try number(try eval($0, env), $0.range) }, isSize: true, range: e.range)
        }
        let v = try eval(e, env)
        if case let .list(items) = v {
            guard !items.isEmpty else { throw Diagnostic(e.range, "an empty list is not a size") }
            return LayerArgument(parts: try items.map { try number($0, e.range) }, isSize: true, range: e.range)
        }
        return LayerArgument(parts: [try number(v, e.range)], isSize: false, range: e.range)
    }
}
