import FacetEngine
import FacetFiles
import FacetWeights
import Foundation

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

/// A value `save` writes: a network, or a value that carries one with more to record (a training
/// run: its preprocessing, label names and settings).
public protocol SavableModel: ForeignValue {
    /// The network whose weights are written.
    var savedNetwork: NetworkValue { get }
    /// The metadata written with them.
    var savedMetadata: [String: String] { get }
}

extension NetworkValue: SavableModel {
    public var savedNetwork: NetworkValue { self }
    public var savedMetadata: [String: String] { metadata }
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
    // The one `save`, for networks and runs (any `SavableModel`). A dataset, a number or an untrained
    // net is refused at the argument (while checking when its type is known), not turned into a
    // save that writes nothing.
    r.register("save", [BuiltinParameter("model", .oneOf([.foreign("run"), .foreign("network")])),
                        BuiltinParameter("path", .string)],
               doc: "Writes a run's or network's weights, its Facet text and (for a run) its training settings to a .safetensors file.") { args, ctx in
        guard case let .foreign(f) = args["model"], let model = f as? SavableModel else {
            throw Diagnostic(args.range("model"), "expected a run (from train) or a network, got \(args["model"].typeName)")
        }
        let network = model.savedNetwork
        let path = args.string("path")
        guard ctx.interpreter.writesFiles else { return .none }   // a rank that runs silently: the writer saves
        if let problem = FileFailure.problemWriting(path)
            ?? OutputRule.problem(writing: path, produces: .safetensors, replacesOwn: true, force: false) {
            throw Diagnostic(args.range("path"), "cannot save to \"\(path)\": \(problem)")
        }
        let url = URL(fileURLWithPath: path)
        do { try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
            throw Diagnostic(args.range("path"), "cannot save to \"\(path)\": cannot create its folder: \(FileFailure.reason(error))")
        }
        try network.network.save(to: url, metadata: model.savedMetadata)
        ctx.interpreter.output("saved \(network.net.call) to \(path)")
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
