import FacetEngine
import FacetFiles
import FacetWeights
import Foundation
import SwiftProtobuf

/// Writes a trained Facet network as an ONNX model that onnxruntime and OpenCV's `dnn` module run.
///
/// The graph reads one input `input` of shape [N, C, H, W] (Float32, after Facet's preprocessing)
/// and has one output per head, named after the head: softmax probabilities, sigmoid scores or the
/// linear outputs of a regression head. Opset 13, only operators OpenCV 4.6's importer accepts;
/// local contrast normalisation becomes fixed convolutions and elementwise ops (`ONNXExport+LCN`).
/// Every metadata entry of the model file (net text, preprocessing, labels, training) is copied into
/// `metadata_props`, with `facet.heads` added so a reader knows each output's kind.
public enum ONNXExport {
    /// The operator set the graph uses (OpenCV 4.6 reads opset 13 models).
    public static let opset: Int64 = 13
    /// ONNX IR version 7 goes with opset 13.
    public static let irVersion: Int64 = 7
    /// Name of the graph's input, unless a head already has that name.
    public static let inputName = "input"
    /// Metadata key listing the heads (name, kind, outputs) as JSON.
    public static let headsKey = "facet.heads"

    /// Why an export failed: the file named, the reason in words.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Reads the model at `model`, converts it and writes `output` atomically (a temporary file in
    /// the same folder, then a rename): on any error nothing is written. Returns the ONNX model.
    @discardableResult
    public static func export(model: URL, to output: URL) throws -> Onnx_ModelProto {
        if let problem = FileFailure.problemWriting(output.path) {
            throw Failure(path: output.path, message: "cannot write the ONNX model: \(problem)")
        }
        if model.standardizedFileURL.resolvingSymlinksInPath() == output.standardizedFileURL.resolvingSymlinksInPath() {
            throw Failure(path: output.path, message: "is the model itself; choose another output path")
        }
        let loaded: (network: Network, metadata: [String: String])
        do { loaded = try Network.load(from: model) } catch {
            throw Failure(path: model.path, message: describeLoadError(error, path: model.path))
        }
        let proto = try self.model(loaded.network, metadata: loaded.metadata)
        let bytes: Data
        do { bytes = try proto.serializedBytes() } catch {
            throw Failure(path: output.path, message: "cannot encode the ONNX model: \(error)")
        }
        do { try bytes.write(to: output, options: .atomic) } catch {
            throw Failure(path: output.path, message: "cannot write the ONNX model: \(FileFailure.reason(error))")
        }
        return proto
    }

    /// The ONNX model of `network`, with `metadata` copied into `metadata_props`.
    public static func model(_ network: Network, metadata: [String: String] = [:]) throws -> Onnx_ModelProto {
        let spec = network.spec
        let heads = spec.heads.map(\.name)
        let input = heads.contains(inputName) ? "\(inputName).pixels" : inputName
        var graph = ONNXGraph(reserved: Set(heads + [input]))
        var x = TrunkTensor(name: input, shape: spec.input, flat: false)
        for (i, layer) in network.layers.enumerated() {
            x = writeLayer(layer, index: i, input: x, into: &graph)
        }
        let features = x.flat ? x.name : graph.node("Flatten", [x.name], "features", int: ["axis": 1])
        for head in network.heads { writeHead(head, features: features, into: &graph) }

        var g = Onnx_GraphProto()
        g.name = "facet"
        g.node = graph.nodes
        g.initializer = graph.initializers
        g.input = [floatTensorInfo(input, dims: [spec.input.channels, spec.input.height, spec.input.width])]
        g.output = spec.heads.map { floatTensorInfo($0.name, dims: [$0.kind.outputs]) }

        var m = Onnx_ModelProto()
        m.irVersion = irVersion
        var op = Onnx_OperatorSetIdProto(); op.domain = ""; op.version = opset
        m.opsetImport = [op]
        m.producerName = "facet"
        m.producerVersion = Engine.version
        m.docString = spec.text
        m.graph = g
        m.metadataProps = try metadataEntries(spec, metadata)
        return m
    }

    // MARK: layers

    /// The trunk's current tensor: its name, its per-sample shape, and whether ONNX holds it as
    /// [N, F] (after a dense layer) rather than [N, C, H, W].
    struct TrunkTensor {
        var name: String
        var shape: FeatureShape
        var flat: Bool
    }

    /// One trunk layer as ONNX nodes; the one switch over layer kinds.
    static func writeLayer(_ layer: Layer, index i: Int, input x: TrunkTensor, into g: inout ONNXGraph) -> TrunkTensor {
        let base = "l\(i).\(layer.spec.kind)"
        let y = layer.outputShape
        switch layer.spec {
        case let .conv(_, kh, kw, stride, pad):
            let conv = layer as! Conv2D
            let w = g.constant("\(base).weight", shape: conv.weight.shape, values: conv.weight.value)
            let b = g.constant("\(base).bias", shape: conv.bias.shape, values: conv.bias.value)
            // OpenCV needs kernel_shape spelled out even though the weights imply it.
            let out = g.node("Conv", [spatial(x, &g), w, b], base,
                             ints: ["kernel_shape": [kh, kw], "strides": [stride, stride], "pads": [pad, pad, pad, pad]])
            return TrunkTensor(name: out, shape: y, flat: false)
        case let .maxpool(size, stride, ceil):
            // Facet's ceil rule (a last window never starts past the input) is ONNX's ceil_mode.
            let out = g.node("MaxPool", [spatial(x, &g)], base,
                             ints: ["kernel_shape": [size, size], "strides": [stride, stride], "pads": [0, 0, 0, 0]],
                             int: ["ceil_mode": ceil ? 1 : 0])
            return TrunkTensor(name: out, shape: y, flat: false)
        case .lcn:
            let lcn = layer as! LocalContrastNorm
            return TrunkTensor(name: writeLCN(lcn, input: spatial(x, &g), base: base, into: &g), shape: y, flat: false)
        case .relu:
            return TrunkTensor(name: g.node("Relu", [x.name], base), shape: y, flat: x.flat)
        case .dropout:
            // Inverted dropout is the identity at inference.
            return TrunkTensor(name: g.node("Identity", [x.name], base), shape: y, flat: x.flat)
        case .flatten:
            return TrunkTensor(name: g.node("Flatten", [x.name], base, int: ["axis": 1]), shape: y, flat: true)
        case .dense:
            let dense = layer as! Dense
            let flat = x.flat ? x.name : g.node("Flatten", [x.name], "\(base).flat", int: ["axis": 1])
            return TrunkTensor(name: gemm(flat, dense, base: base, output: nil, into: &g), shape: y, flat: true)
        }
    }

    /// `x` as [N, C, H, W]: a flat tensor (after dense) is reshaped to [N, F, 1, 1].
    static func spatial(_ x: TrunkTensor, _ g: inout ONNXGraph) -> String {
        guard x.flat else { return x.name }
        let shape = g.int64Constant("\(x.name).shape4", values: [-1, Int64(x.shape.count), 1, 1])
        return g.node("Reshape", [x.name, shape], "\(x.name).4d")
    }

    /// y = x · Wᵀ + b for a dense layer or a head's linear map.
    static func gemm(_ x: String, _ dense: Dense, base: String, output: String?, into g: inout ONNXGraph) -> String {
        let w = g.constant("\(base).weight", shape: dense.weight.shape, values: dense.weight.value)
        let b = g.constant("\(base).bias", shape: dense.bias.shape, values: dense.bias.value)
        return g.node("Gemm", [x, w, b], base, output: output, int: ["transB": 1])
    }

    /// A head: its linear map, then softmax over classes, a sigmoid per label, or nothing
    /// (regression); the last node's output carries the head's name.
    static func writeHead(_ head: Head, features: String, into g: inout ONNXGraph) {
        let name = head.spec.name, base = "head.\(name)"
        switch head.spec.kind {
        case .softmax:
            let logits = gemm(features, head.linear, base: "\(base).logits", output: nil, into: &g)
            g.node("Softmax", [logits], base, output: name, int: ["axis": 1])
        case .sigmoid:
            let logits = gemm(features, head.linear, base: "\(base).logits", output: nil, into: &g)
            g.node("Sigmoid", [logits], base, output: name)
        case .regress:
            _ = gemm(features, head.linear, base: base, output: name, into: &g)
        }
    }

    // MARK: metadata

    /// The model file's metadata (all but the engine's internal JSON spec) plus `facet.heads`, sorted by key.
    static func metadataEntries(_ spec: NetSpec, _ metadata: [String: String]) throws -> [Onnx_StringStringEntryProto] {
        struct HeadEntry: Encodable { var name: String; var kind: String; var outputs: Int }
        let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys]
        let heads = try encoder.encode(spec.heads.map { HeadEntry(name: $0.name, kind: $0.kind.keyword, outputs: $0.kind.outputs) })
        var all = metadata
        all[ModelMetadataKey.spec] = nil
        all[ModelMetadataKey.format] = nil
        if all[ModelMetadataKey.model] == nil { all[ModelMetadataKey.model] = spec.text }
        all[headsKey] = String(decoding: heads, as: UTF8.self)
        all["facet.input"] = "\(spec.input)"
        return all.sorted { $0.key < $1.key }.map { entry in
            var e = Onnx_StringStringEntryProto(); e.key = entry.key; e.value = entry.value
            return e
        }
    }

    /// A load error in words, without repeating the path the caller already names.
    static func describeLoadError(_ error: Error, path: String) -> String {
        let text = FileFailure.describe(error)
        let prefix = path + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }
}
