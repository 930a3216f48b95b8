import Foundation
import FacetEngine

/// A net with weights: the engine's `Network` and the language's description of it.
public final class NetworkValue: ForeignValue {
    public let network: Network
    /// The language-side net (layers with source sites), for summaries and error messages.
    public let net: NetValue
    public init(network: Network, net: NetValue) { self.network = network; self.net = net }

    public var typeName: String { "network" }
    public var description: String {
        "network \(net.call) with \(grouped(network.parameters.reduce(0) { $0 + $1.value.count })) weights"
    }
    public func member(_ name: String) -> Value? {
        switch name {
        case "net": return .net(net)
        case "params": return .number(Double(network.parameters.reduce(0) { $0 + $1.value.count }))
        default: return nil
        }
    }
    public var memberNames: [String] { ["net", "params"] }

    /// What `save` records besides the weights: the model's Facet text and its call.
    public var metadata: [String: String] { [ModelMetadataKey.model: net.text, "facet.call": net.call] }
}

/// `instantiate`, `save` and `load`: weights through the engine's safetensors support.
func registerWeightsBuiltins(_ r: BuiltinRegistry) {
    r.register("instantiate", [BuiltinParameter("net", .net), BuiltinParameter("seed", .integer, default: .number(0))],
               doc: "Builds a net's layers and draws initial weights from `seed`.") { args, ctx in
        guard let net = args.net("net") else { return .unknown }
        guard let spec = net.spec else {
            throw Diagnostic(args.range("net"), "net `\(net.name)` has no `input`, so it cannot be instantiated")
        }
        let network = try Network(spec: spec, seed: try args.seed() ?? 0)
        return .foreign(NetworkValue(network: network, net: net))
    }
    r.register("save", [BuiltinParameter("network", .foreign("network")), BuiltinParameter("path", .string)],
               doc: "Writes weights and the model's Facet text to a .safetensors file.") { args, ctx in
        guard let value = args.foreign("network", as: NetworkValue.self) else {
            throw Diagnostic(args.range("network"), "save needs a network, got \(args["network"].described)")
        }
        try value.network.save(to: URL(fileURLWithPath: args.string("path")), metadata: value.metadata)
        return .none
    }
    r.register("load", [BuiltinParameter("path", .string)],
               doc: "Reads a .safetensors file written by `save`: the net and its weights.") { args, ctx in
        let path = args.string("path")
        let (network, metadata) = try Network.load(from: URL(fileURLWithPath: path))
        return .foreign(NetworkValue(network: network, net: describe(network.spec, metadata[ModelMetadataKey.model], path: path)))
    }
}

/// The language's view of a loaded net: its saved Facet text when that still builds the same
/// spec (so sites point into it), else the spec's canonical text.
func describe(_ spec: NetSpec, _ model: String?, path: String) -> NetValue {
    let name = "\(path)#facet.model"
    if let model, model.hasPrefix("net ") {
        let interpreter = Interpreter(output: { _ in })
        let file = SourceFile(name: name, text: model)
        if (try? interpreter.run(file)) != nil,
           case let .netDefinition(d)? = interpreter.globals.values.values.first(where: { if case .netDefinition = $0 { return true } else { return false } }),
           case let .net(n)? = try? interpreter.call(.netDefinition(d), [], at: SourceRange(file: file, start: 0, end: 0)),
           n.spec == spec {
            return n
        }
    }
    let file = SourceFile(name: name, text: spec.text)
    let whole = Site(range: SourceRange(file: file, start: 0, end: file.bytes.count))
    var net = NetValue(name: "loaded", arguments: [], definedAt: whole.range)
    net.input = spec.input
    net.inputSite = whole
    net.layers = spec.layers
    net.layerSites = Array(repeating: whole, count: spec.layers.count)
    net.heads = spec.heads
    net.headSites = Array(repeating: whole, count: spec.heads.count)
    return net
}
