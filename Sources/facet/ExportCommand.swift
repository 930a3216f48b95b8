import ArgumentParser
import FacetEngine
import FacetFiles
import FacetPredict
import FacetONNX
import FacetWeights
import Foundation

/// `facet export MODEL.safetensors -o MODEL.onnx`: a trained model as ONNX, for onnxruntime,
/// OpenCV's `dnn` module and other runtimes (docs/onnx.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model as ONNX (opset 13) that onnxruntime and OpenCV's dnn module run.",
        discussion: """
        The model is a .safetensors file written by save(run, path) or save(net, path). The ONNX graph \
        reads `input` [N, C, H, W] — pixels after Facet's preprocessing — and has one output per head, \
        named after it: softmax probabilities, sigmoid scores or regression values. Local contrast \
        normalisation is written as fixed convolutions and elementwise operators, dropout as the \
        identity. The preprocessing (crop size, alignment, contrast normalisation and its fitted \
        statistics), the label names and the net's text go into the model's metadata_props. The file \
        is written atomically: on any error nothing is written and the exit status is 1.
        """)

    @Argument(help: "The trained model (.safetensors).")
    var model: String

    @Option(name: [.customShort("o"), .long], help: "Where to write the ONNX model (default: the model's path with .onnx).")
    var output: String?

    @Flag(help: "Write even over one of the inputs, a file of another kind or one this command did not write (docs/reliability.md).")
    var force = false

    func run() throws {
        let modelURL = URL(fileURLWithPath: model)
        let target = output ?? modelURL.deletingPathExtension().appendingPathExtension("onnx").path
        // A previous export is replaced by design; the model itself or a file of another kind is not.
        if let problem = OutputRule.problem(writing: target, produces: .onnx, inputs: [model], replacesOwn: true, force: force) {
            FileHandle.standardError.write(Data("error: cannot write \(target): \(problem)\n".utf8))
            throw ExitCode(1)
        }
        // The model's metadata is checked as `facet predict` checks it, before anything is written.
        do {
            let loaded = try Network.load(from: URL(fileURLWithPath: model))
            _ = try PredictionModel.checkMetadata(loaded.metadata, network: loaded.network, path: model)
        } catch {
            FileHandle.standardError.write(Data("error: \(FileFailure.describe(error))\n".utf8))
            throw ExitCode(1)
        }
        do {
            let proto = try ONNXExport.export(model: modelURL, to: URL(fileURLWithPath: target))
            let heads = proto.graph.output.map(\.name).joined(separator: ", ")
            print("wrote \(target): \(proto.graph.node.count) nodes, input '\(proto.graph.input[0].name)', outputs \(heads)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
