import FacetEngine

/// Every layer statement of the language, in the order the docs list them. Adding a layer is
/// one entry here plus its engine file (a `LayerSpec` case and its `LayerRule`); the parser's
/// option words, the checker's argument errors, REPL completion and the table in
/// docs/language.md (`layerTableMarkdown`, checked by a test) all come from this table.
let layerCatalog: [LayerDescriptor] = [
    LayerDescriptor(
        keyword: "input",
        arguments: [LayerArgumentDescriptor(name: "size", noun: "shape", placeholder: "48x48x1", type: .shape)],
        doc: "H x W x C; two sizes mean one channel (`48x48`), one number a vector (`3072`). Must come first.",
        build: .input),
    LayerDescriptor(
        keyword: "conv",
        arguments: [LayerArgumentDescriptor(name: "maps", noun: "number of maps", placeholder: "MAPS", type: .count),
                    LayerArgumentDescriptor(name: "kernel", noun: "kernel size", placeholder: "KxK",
                                            type: .window(square: false, odd: false))],
        options: [.value(name: "stride", placeholder: "S", min: 1, defaultValue: 1),
                  .value(name: "pad", placeholder: "P", min: 0, defaultValue: 0, aliases: ["padding"]),
                  .activation],
        doc: "2-D convolution, zero padding; a kernel `5` means `5x5`; `relu` appends a relu layer",
        build: .layer { a in
            let k = a.window("kernel")
            return .conv(maps: a.integer("maps"), kernelHeight: k.height, kernelWidth: k.width,
                         stride: a.integer("stride"), padding: a.integer("pad"))
        }),
    LayerDescriptor(
        keyword: "lcn",
        arguments: [LayerArgumentDescriptor(name: "window", noun: "window size", placeholder: "SIZE",
                                            type: .window(square: true, odd: true), defaultValue: 9)],
        doc: "local contrast normalisation over an odd Gaussian window",
        build: .layer { a in .lcn(size: a.window("window").height) }),
    LayerDescriptor(
        keyword: "maxpool",
        arguments: [LayerArgumentDescriptor(name: "window", noun: "window size", placeholder: "KxK",
                                            type: .window(square: true, odd: false))],
        options: [.value(name: "stride", placeholder: "S", min: 1, defaultValue: nil), .poolingMode],
        doc: "square window; stride defaults to the window; ceil mode by default (44 → 22), `floor` to truncate",
        build: .layer { a in
            let size = a.window("window").height
            return .maxpool(size: size, stride: a.integers["stride"] ?? size, ceil: !a.flags.contains("floor"))
        }),
    LayerDescriptor(keyword: "relu", doc: "max(x, 0)", build: .layer { _ in .relu }),
    LayerDescriptor(
        keyword: "dropout",
        arguments: [LayerArgumentDescriptor(name: "rate", noun: "rate", placeholder: "RATE", type: .rate)],
        doc: "inverted dropout while training, rate in [0, 1); the identity in evaluation",
        build: .layer { a in .dropout(rate: a.number("rate")) }),
    LayerDescriptor(
        keyword: "dense",
        arguments: [LayerArgumentDescriptor(name: "units", noun: "number of units", placeholder: "UNITS", type: .count)],
        options: [.activation],
        doc: "fully connected; flattens its input; `relu` appends a relu layer",
        build: .layer { a in .dense(units: a.integer("units")) }),
    LayerDescriptor(keyword: "flatten", doc: "C x H x W → a vector of C·H·W", build: .layer { _ in .flatten }),
]

/// The catalog entry for each keyword.
let layerDescriptors = Dictionary(uniqueKeysWithValues: layerCatalog.map { ($0.keyword, $0) })

/// Words that start a layer statement inside a net body.
public let layerKeywords = layerCatalog.map(\.keyword)
/// Option words inside layer statements (`stride`, `relu`, `floor`, ...).
let layerOptionWords = Set(layerCatalog.flatMap { $0.options.flatMap(\.words) })
/// Option words followed by a value (`stride 2`).
let layerValueOptions = Set(layerCatalog.flatMap { d in
    d.options.flatMap { o -> [String] in if case .value = o { return o.words } else { return [] } }
})

/// Layer, head and option words, for completion in the REPL and `Interpreter.completions`.
public let layerWords = Array(Set(layerKeywords + headKeywords + layerOptionWords)).sorted()
