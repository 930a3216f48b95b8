import FacetEngine

/// How a positional argument of a layer statement is read and checked.
enum LayerArgumentType: Sendable {
    /// A whole number written alone (`64`, `2*width`), not a size; at least 1.
    case count
    /// A window `5`, `5x5` or `5x3`; `square` refuses `5x3`, `odd` refuses even sizes.
    case window(square: Bool, odd: Bool)
    /// A plain number in [0, 1).
    case rate
    /// `H x W x C`, `H x W` (one channel) or a vector length.
    case shape
}

/// One positional argument of a layer statement.
struct LayerArgumentDescriptor: Sendable {
    /// Named in errors: `conv maps must be at least 1`.
    var name: String
    /// Named in arity errors: `conv needs a number of maps and a kernel size`.
    var noun: String
    /// Written in the usage line: `conv MAPS KxK`.
    var placeholder: String
    var type: LayerArgumentType
    /// Makes the argument optional (`lcn` is `lcn 9`).
    var defaultValue: Int? = nil
}

/// An option word of a layer statement.
enum LayerOptionDescriptor: Sendable {
    /// `stride S`: a whole number of at least `min`; `aliases` are other spellings (`padding`).
    /// Without a default the layer's builder picks one (maxpool's stride is its window).
    case value(name: String, placeholder: String, min: Int, defaultValue: Int?, aliases: [String] = [])
    /// `relu` appends a relu layer at the option's place; `linear` (the default) does not.
    case activation
    /// `floor` drops a partial window at the border; `ceil` (the default) keeps it.
    case poolingMode

    /// The words that spell this option in a layer statement.
    var words: [String] {
        switch self {
        case let .value(name, _, _, _, aliases): return [name] + aliases
        case .activation: return ["relu", "linear"]
        case .poolingMode: return ["floor", "ceil"]
        }
    }

    /// Options with the same key conflict: `stride 1 stride 2`, `relu linear`, `floor ceil`.
    var key: String {
        switch self {
        case let .value(name, _, _, _, _): return name
        case .activation: return "activation"
        case .poolingMode: return "mode"
        }
    }

    /// In the usage line: `[stride S]`, `[relu]`, `[floor]`.
    var usage: String {
        switch self {
        case let .value(name, placeholder, _, _, _): return "[\(name) \(placeholder)]"
        case .activation: return "[relu]"
        case .poolingMode: return "[floor]"
        }
    }
}

/// A layer statement's arguments and options once read and checked, by name.
struct LayerArguments {
    var integers: [String: Int] = [:]
    var windows: [String: (height: Int, width: Int)] = [:]
    var numbers: [String: Double] = [:]
    var shape: FeatureShape?
    /// Option words given without a value (`relu`, `floor`).
    var flags: Set<String> = []

    /// A count or value option the descriptor guarantees (required, or with a default).
    func integer(_ name: String) -> Int {
        guard let v = integers[name] else { preconditionFailure("layer argument `\(name)` was not read") }
        return v
    }

    func window(_ name: String) -> (height: Int, width: Int) {
        guard let v = windows[name] else { preconditionFailure("layer argument `\(name)` was not read") }
        return v
    }

    func number(_ name: String) -> Double {
        guard let v = numbers[name] else { preconditionFailure("layer argument `\(name)` was not read") }
        return v
    }
}

/// One layer statement of the language: its keyword, argument grammar, documentation line and
/// the engine layer it compiles to. The engine's `LayerSpec` owns the shape rule and counts; this
/// owns what only the language needs. Parser, checker, REPL completion and the docs' layer table
/// all read `layerCatalog`.
struct LayerDescriptor: Sendable {
    /// What a statement makes: the net's input, or an engine layer.
    enum Build: Sendable {
        case input
        case layer(@Sendable (LayerArguments) -> LayerSpec)
    }

    var keyword: String
    var arguments: [LayerArgumentDescriptor] = []
    var options: [LayerOptionDescriptor] = []
    /// One line for the docs' layer table.
    var doc: String
    var build: Build

    /// `conv MAPS KxK [stride S] [pad P] [relu]`
    var usage: String {
        let args = arguments.map { $0.defaultValue == nil ? $0.placeholder : "[\($0.placeholder)]" }
        return ([keyword] + args + options.map(\.usage)).joined(separator: " ")
    }

    /// For arity errors: `no arguments`, `one rate`, `a number of maps and a kernel size`.
    var argumentsText: String {
        switch arguments.count {
        case 0: return "no arguments"
        case 1: return "one \(arguments[0].noun)"
        default: return arguments.map { "a \($0.noun)" }.joined(separator: " and ")
        }
    }

    /// How many positional arguments the statement takes.
    var arity: ClosedRange<Int> { arguments.filter { $0.defaultValue == nil }.count...arguments.count }

    /// The option this word spells, if this layer takes it.
    func option(spelled word: String) -> LayerOptionDescriptor? { options.first { $0.words.contains(word) } }
}
