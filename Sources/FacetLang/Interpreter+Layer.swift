import FacetEngine

/// How each layer statement is written, for error hints.
let layerUsage: [String: String] = [
    "input": "input 48x48x1  (height x width x channels, or a vector length)",
    "conv": "conv MAPS KxK [stride S] [pad P] [relu]",
    "lcn": "lcn SIZE  (odd Gaussian window, default 9)",
    "maxpool": "maxpool KxK [stride S] [floor]",
    "relu": "relu",
    "dropout": "dropout RATE",
    "dense": "dense UNITS [relu]",
    "flatten": "flatten",
]

/// Options each layer accepts.
let layerOptions: [String: Set<String>] = [
    "conv": ["stride", "pad", "padding", "relu", "linear"],
    "maxpool": ["stride", "floor", "ceil"],
    "dense": ["relu", "linear"],
]

/// A positional layer argument once evaluated: a plain number or a size `a x b [x c]`.
struct LayerArgument {
    var parts: [Double]
    var isSize: Bool
    var range: SourceRange
}

// MARK: Compiling layer statements

extension Interpreter {
    func compileLayer(_ l: LayerStmt, _ range: SourceRange, _ env: Environment, _ b: NetBuilder) throws {
        let keyword = l.keyword
        let usage = layerUsage[keyword] ?? keyword
        var options: [String: (range: SourceRange, value: Value?)] = [:]
        for o in l.options {
            guard layerOptions[keyword]?.contains(o.name) == true else {
                throw Diagnostic(o.range, "`\(o.name)` does not apply to \(keyword)", hint: "write `\(usage)`")
            }
            let key = o.name == "padding" ? "pad" : o.name
            if options[key] != nil || (["relu", "linear"].contains(key) && (options["relu"] ?? options["linear"]) != nil)
                || (["floor", "ceil"].contains(key) && (options["floor"] ?? options["ceil"]) != nil) {
                throw Diagnostic(o.range, "`\(o.name)` conflicts with an earlier option of this \(keyword)")
            }
            options[key] = (o.range, try o.value.map { try eval($0, env) })
        }
        var args: [LayerArgument] = []
        for a in l.arguments { args.append(try layerArgument(a, env, keyword)) }

        func arity(_ allowed: ClosedRange<Int>, _ what: String) throws {
            if args.count > allowed.upperBound {
                throw Diagnostic(args[allowed.upperBound].range, "\(keyword) takes \(what), got \(args.count) arguments", hint: "write `\(usage)`")
            }
            if args.count < allowed.lowerBound {
                throw Diagnostic(l.keywordRange, "\(keyword) needs \(what)", hint: "write `\(usage)`")
            }
        }
        func integer(_ x: Double, _ r: SourceRange, _ what: String, min: Int = 1, max: Int = 1 << 20) throws -> Int {
            try layerInteger(.number(x), r, "\(keyword) \(what)", min: min, max: max)
        }
        func optionInteger(_ name: String, min: Int) throws -> Int? {
            guard let o = options[name], let v = o.value else { return nil }
            return try layerInteger(v, o.range, "\(keyword) \(name)", min: min, max: 1 << 16)
        }
        /// A square or rectangular window from `5`, `5x5` or `5x3`.
        func window(_ a: LayerArgument, _ what: String) throws -> (Int, Int) {
            guard a.parts.count <= 2 else { throw Diagnostic(a.range, "\(keyword) \(what) is `KxK` or `HxW`, got \(a.parts.count) sizes") }
            let h = try integer(a.parts[0], a.range, what, max: 1 << 16)
            let w = try integer(a.parts.count == 2 ? a.parts[1] : a.parts[0], a.range, what, max: 1 << 16)
            return (h, w)
        }
        func plainNumber(_ a: LayerArgument, _ what: String) throws -> Double {
            guard !a.isSize, a.parts.count == 1 else { throw Diagnostic(a.range, "\(keyword) \(what) is a single number, not a size") }
            return a.parts[0]
        }
        let site = Site(range: range)

        switch keyword {
        case "input":
            try arity(1...1, "one shape")
            if let earlier = b.net.inputSite { throw Diagnostic(range, "net `\(b.net.name)` already has an input (at \(earlier.range))") }
            guard b.net.layers.isEmpty else { throw Diagnostic(range, "`input` must come before the layers") }
            let a = args[0]
            guard a.parts.count <= 3 else { throw Diagnostic(a.range, "input is `H x W x C`, `H x W` or a vector length, got \(a.parts.count) sizes") }
            let dims = try a.parts.map { try integer($0, a.range, "size", max: 1 << 16) }
            let shape: FeatureShape
            switch dims.count {
            case 1 where !a.isSize: shape = FeatureShape(channels: dims[0], height: 1, width: 1)
            case 1: shape = FeatureShape(channels: 1, height: dims[0], width: dims[0])
            case 2: shape = FeatureShape(channels: 1, height: dims[0], width: dims[1])
            default: shape = FeatureShape(channels: dims[2], height: dims[0], width: dims[1])
            }
            guard Double(shape.channels) * Double(shape.height) * Double(shape.width) <= 1e9 else {
                throw Diagnostic(a.range, "input \(shape) is too large")
            }
            b.net.input = shape
            b.net.inputSite = site
        case "conv":
            try arity(2...2, "a number of maps and a kernel size")
            guard !args[0].isSize else { throw Diagnostic(args[0].range, "conv's first argument is the number of maps, e.g. `conv 64 5x5`") }
            let maps = try integer(args[0].parts[0], args[0].range, "maps")
            let (kh, kw) = try window(args[1], "kernel")
            let stride = try optionInteger("stride", min: 1) ?? 1
            let pad = try optionInteger("pad", min: 0) ?? 0
            try b.addLayer(.conv(maps: maps, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: pad), site)
            if let relu = options["relu"] { try b.addLayer(.relu, Site(range: relu.range)) }
        case "lcn":
            try arity(0...1, "one window size")
            var size = 9
            if let a = args.first {
                let (h, w) = try window(a, "window")
                guard h == w else { throw Diagnostic(a.range, "lcn window must be square, got \(h)x\(w)") }
                guard h % 2 == 1 else { throw Diagnostic(a.range, "lcn window must be an odd size, got \(h)") }
                size = h
            }
            try b.addLayer(.lcn(size: size), site)
        case "maxpool":
            try arity(1...1, "one window size")
            let (h, w) = try window(args[0], "window")
            guard h == w else { throw Diagnostic(args[0].range, "maxpool window must be square, got \(h)x\(w)") }
            let stride = try optionInteger("stride", min: 1) ?? h
            try b.addLayer(.maxpool(size: h, stride: stride, ceil: options["floor"] == nil), site)
        case "relu", "flatten":
            try arity(0...0, "no arguments")
            try b.addLayer(keyword == "relu" ? .relu : .flatten, site)
        case "dropout":
            try arity(1...1, "one rate")
            let rate = try plainNumber(args[0], "rate")
            guard rate >= 0, rate < 1 else { throw Diagnostic(args[0].range, "dropout rate must be in [0, 1), got \(formatNumber(rate))") }
            try b.addLayer(.dropout(rate: rate), site)
        case "dense":
            try arity(1...1, "one number of units")
            let units = try integer(try plainNumber(args[0], "units"), args[0].range, "units")
            try b.addLayer(.dense(units: units), site)
            if let relu = options["relu"] { try b.addLayer(.relu, Site(range: relu.range)) }
        default:
            throw Diagnostic(l.keywordRange, "unknown layer `\(keyword)`", hint: didYouMean(keyword, layerKeywords))
        }
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
