import FacetEngine
import FacetRandom
import FacetVision
@testable import FacetONNX
import FacetWeights
import Foundation
import SwiftProtobuf
import XCTest

final class ONNXExportTests: XCTestCase {
    /// Operators the exporter may write: each one checked to load and run in OpenCV 4.6.
    static let openCVOperators: Set<String> = [
        "Conv", "ConvTranspose", "Relu", "MaxPool", "Identity", "Flatten", "Reshape", "Gemm", "Softmax", "Sigmoid",
        "Add", "Sub", "Mul", "Div", "Max", "Sqrt", "GlobalAveragePool",
    ]

    func jointNet() throws -> Network {
        try Network(spec: NetSpec(input: FeatureShape(channels: 1, height: 16, width: 16), layers: ExportFixtures.trunk,
                                  heads: [ExportFixtures.kindHead, ExportFixtures.presentHead, ExportFixtures.placeHead]), seed: 3)
    }

    func testJointNetHasOneNamedOutputPerHeadAndStandardOperatorsOnly() throws {
        let model = try ONNXExport.model(try jointNet())
        let bytes: Data = try model.serializedBytes()
        let decoded = try Onnx_ModelProto(serializedBytes: bytes)
        XCTAssertEqual(decoded.graph.output.map(\.name), ["bars", "present", "place"])
        XCTAssertEqual(decoded.graph.output.map { $0.type.tensorType.shape.dim.map(\.dimValue) }, [[0, 4], [0, 2], [0, 2]])
        XCTAssertEqual(decoded.graph.input.map(\.name), ["input"])
        XCTAssertEqual(decoded.graph.input[0].type.tensorType.shape.dim.map(\.dimParam), ["N", "", "", ""])
        XCTAssertEqual(decoded.graph.input[0].type.tensorType.shape.dim.dropFirst().map(\.dimValue), [1, 16, 16])
        XCTAssertEqual(decoded.opsetImport.map(\.version), [13])
        let ops = decoded.graph.node.map(\.opType)
        XCTAssertEqual(Set(ops).subtracting(Self.openCVOperators), [])
        // the heads' last operators: softmax probabilities, sigmoid scores, linear values
        let producer = Dictionary(decoded.graph.node.map { ($0.output[0], $0.opType) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(producer["bars"], "Softmax")
        XCTAssertEqual(producer["present"], "Sigmoid")
        XCTAssertEqual(producer["place"], "Gemm")
        // dropout is the identity; pooling keeps its ceil mode
        XCTAssertEqual(ops.filter { $0 == "Identity" }.count, 1)
        let pool = try XCTUnwrap(decoded.graph.node.first { $0.opType == "MaxPool" })
        XCTAssertEqual(pool.attribute.first { $0.name == "ceil_mode" }?.i, 1)
        // every node input is the graph input, a constant or an earlier node's output
        var known = Set(decoded.graph.initializer.map(\.name) + ["input"])
        for node in decoded.graph.node {
            for name in node.input { XCTAssertTrue(known.contains(name), "\(node.name) reads \(name) before it exists") }
            known.formUnion(node.output)
        }
    }

    func testTrainedWeightsAreWrittenUnchanged() throws {
        let net = try jointNet()
        let model = try ONNXExport.model(net)
        let constants = Dictionary(uniqueKeysWithValues: model.graph.initializer.map { ($0.name, $0) })
        func floats(_ t: Onnx_TensorProto?) -> [Float]? {
            guard let raw = t?.rawData else { return nil }
            return stride(from: 0, to: raw.count, by: 4).map { i in
                Float(bitPattern: raw[raw.startIndex + i ..< raw.startIndex + i + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            }
        }
        let conv = net.layers[0] as! Conv2D
        XCTAssertEqual(floats(constants["l0.conv.weight"]), conv.weight.value)
        XCTAssertEqual(constants["l0.conv.weight"]?.dims, [4, 1, 3, 3])
        XCTAssertEqual(floats(constants["head.bars.logits.weight"]), net.heads[0].linear.weight.value)
        XCTAssertEqual(floats(constants["head.place.bias"]), net.heads[2].linear.bias.value)
        // LCN's window is the engine's Gaussian: 5×5, its centre the product of the 1-D centres
        let window = try XCTUnwrap(constants["l2.lcn.window"]), values = try XCTUnwrap(floats(window))
        let g = (net.layers[2] as! LocalContrastNorm).kernel
        XCTAssertEqual(window.dims, [1, 1, 5, 5])
        XCTAssertEqual(values[12], g[2] * g[2])
        XCTAssertEqual(values[0], g[0] * g[0])
    }

    func testMetadataCarriesPreprocessingLabelsAndHeads() throws {
        let folder = try temporaryFolder()
        let train = ExportFixtures.images(40, seed: 1)
        let pre = try ExportFixtures.preprocessing(fittedOn: train.bytes)
        let modelURL = folder.appendingPathComponent("m.safetensors"), onnxURL = folder.appendingPathComponent("m.onnx")
        let net = try jointNet()
        try net.save(to: modelURL, metadata: ["facet.preprocessing": try pre.json(), "facet.labels": #"{"bars":["a","b","c","d"]}"#])
        try ONNXExport.export(model: modelURL, to: onnxURL)
        let decoded = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: onnxURL))
        let meta = Dictionary(uniqueKeysWithValues: decoded.metadataProps.map { ($0.key, $0.value) })
        XCTAssertEqual(meta["facet.labels"], #"{"bars":["a","b","c","d"]}"#)
        XCTAssertEqual(try FacePreprocessing(json: try XCTUnwrap(meta["facet.preprocessing"])), pre)
        XCTAssertEqual(meta["facet.input"], "16x16x1")
        XCTAssertEqual(meta["facet.model"], net.spec.text)
        XCTAssertEqual(meta["facet.heads"], #"[{"kind":"softmax","name":"bars","outputs":4},{"kind":"sigmoid","name":"present","outputs":2},{"kind":"regress","name":"place","outputs":2}]"#)
        XCTAssertNil(meta["facet.spec"])
        XCTAssertEqual(decoded.producerName, "facet")
    }

    func testAModelSavedFromARunCarriesItsPreprocessingAndLabels() throws {
        let onnxURL = try temporaryFolder().appendingPathComponent("emotion.onnx")
        let model = try ONNXExport.export(model: ExportFixtures.emotionModel, to: onnxURL)
        let meta = Dictionary(uniqueKeysWithValues: model.metadataProps.map { ($0.key, $0.value) })
        let pre = try FacePreprocessing(json: try XCTUnwrap(meta["facet.preprocessing"]))
        XCTAssertEqual(pre.pipeline.size, 24)
        XCTAssertEqual(pre.statistics?.mean.count, 24 * 24)
        XCTAssertEqual(pre.normalisation, ContrastNormalisation())
        let labels = try JSONDecoder().decode([String: [String]].self, from: Data(try XCTUnwrap(meta["facet.labels"]).utf8))
        XCTAssertEqual(labels.values.first?.count, 7)
        XCTAssertEqual(model.graph.output.map(\.name), Array(labels.keys))
        XCTAssertNotNil(meta["facet.training"])
        XCTAssertTrue(try XCTUnwrap(meta["facet.model"]).contains("lcn 7"))
    }

    func testHeadNamedInputLeavesTheGraphInputANameOfItsOwn() throws {
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 4, width: 4), layers: [.dense(units: 3)],
                           heads: [HeadSpec(name: "input", kind: .regress(outputs: 1))])
        let model = try ONNXExport.model(try Network(spec: spec, seed: 1))
        XCTAssertEqual(model.graph.input.map(\.name), ["input.pixels"])
        XCTAssertEqual(model.graph.output.map(\.name), ["input"])
    }

    func testDenseBeforeConvReshapesToMaps() throws {
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 4, width: 4),
                           layers: [.dense(units: 6), .relu, .conv(maps: 2, kernelHeight: 1, kernelWidth: 1, stride: 1, padding: 0)],
                           heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])
        let ops = try ONNXExport.model(try Network(spec: spec, seed: 1)).graph.node.map(\.opType)
        XCTAssertEqual(ops, ["Flatten", "Gemm", "Relu", "Reshape", "Conv", "Flatten", "Gemm", "Softmax"])
    }

    /// Trains the four test models, exports each with `facet export`, and writes inputs and Facet's
    /// outputs next to them for Tests/onnx/check_onnx.py (run by Tests/onnx/run.sh, which sets
    /// FACET_ONNX_FIXTURES). Without the variable there is nobody to read them: skipped.
    func testWritesRoundTripFixturesForOtherRuntimes() throws {
        guard let path = ProcessInfo.processInfo.environment["FACET_ONNX_FIXTURES"] else {
            throw XCTSkip("FACET_ONNX_FIXTURES is not set (Tests/onnx/run.sh sets it and checks the files with onnxruntime and OpenCV)")
        }
        let folder = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let train = ExportFixtures.images(600, seed: 1), test = ExportFixtures.images(16, seed: 2)
        let pre = try ExportFixtures.preprocessing(fittedOn: train.bytes)
        let x = ExportFixtures.inputs(test.bytes, pre)
        // the byte images too, so the Python check can redo the preprocessing as docs/onnx.md shows
        let raw = test.bytes.flatMap { $0.map(Float.init) }
        var entries: [String: Safetensors.Entry] = [
            "input": Safetensors.Entry(shape: x.shape, values: x.data),
            "raw": Safetensors.Entry(shape: [test.bytes.count, ExportFixtures.size, ExportFixtures.size], values: raw),
        ]
        for (name, heads) in ExportFixtures.models {
            let modelURL = folder.appendingPathComponent("\(name).safetensors")
            let net = try ExportFixtures.trainAndSave(name, heads: heads, pre: pre, train: train, to: modelURL)
            let result = try runFacet(["export", modelURL.path, "-o", folder.appendingPathComponent("\(name).onnx").path])
            XCTAssertEqual(result.status, 0, result.stderr)
            for (head, outputs) in try net.predict(x) {
                entries["\(name).\(head)"] = Safetensors.Entry(shape: [outputs.batchSize, outputs.sampleCount], values: outputs.data)
            }
            // trained, not just initialised: the softmax head beats chance on the test images
            if case .softmax = heads[0].kind {
                let error = Trainer.headError(kind: heads[0].kind, outputs: try net.predict(x)[heads[0].name]!,
                                              targets: .classes(test.kind))
                XCTAssertLessThan(try XCTUnwrap(error), 0.5, "\(name): error \(String(describing: error)) on 4 classes")
            }
        }
        // the run-saved emotion model, on seeded inputs of its own size
        let emotion = try Network.load(from: ExportFixtures.emotionModel).network
        var rng = SeededGenerator(seed: 9)
        let ex = Tensor(shape: [8, 1, 24, 24], data: (0..<(8 * 576)).map { _ in rng.normal() })
        try FileManager.default.copyItem(at: ExportFixtures.emotionModel, to: folder.appendingPathComponent("emotion.safetensors"))
        let result = try runFacet(["export", folder.appendingPathComponent("emotion.safetensors").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        entries["emotion.input"] = Safetensors.Entry(shape: ex.shape, values: ex.data)
        for (head, outputs) in try emotion.predict(ex) {
            entries["emotion.\(head)"] = Safetensors.Entry(shape: [outputs.batchSize, outputs.sampleCount], values: outputs.data)
        }
        try Safetensors.write(entries, to: folder.appendingPathComponent("facet_outputs.safetensors"))
    }
}

// MARK: helpers

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-onnx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs the built `facet` executable (beside the test bundle) with `args`.
func runFacet(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("facet")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let p = Process()
    p.executableURL = FileManager.default.isExecutableFile(atPath: beside.path) ? beside : root.appendingPathComponent(".build/debug/facet")
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}
