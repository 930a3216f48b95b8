import FacetFiles
import FacetEngine
import FacetVision
import Foundation

/// A saved model ready for new photos: the network plus the preprocessing it was trained with,
/// all read from one `.safetensors` file that `save(run, path)` wrote.
public struct PredictionModel {
    /// The file it was read from.
    public let path: String
    /// The rebuilt network with its trained weights.
    public let network: Network
    /// How the training data were prepared, with cascade paths looked up on this machine.
    public let preprocessing: FacePreprocessing
    /// Class, label or target names per head.
    public let labels: [String: [String]]

    /// Face detection and alignment settings of the training data.
    public var pipeline: FacePipeline { preprocessing.pipeline }
    /// Contrast normalisation settings of the training data.
    public var normalisation: ContrastNormalisation { preprocessing.normalisation }
    /// Per-pixel statistics fitted on the training split (nil when per-pixel GCN was off).
    public var statistics: PixelStatistics? { preprocessing.statistics }

    /// Reads a model file; every way it can be unusable is a `KernelError` naming the file.
    public init(contentsOf path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else { throw KernelError("\(path): no such model file") }
        let loaded: (network: Network, metadata: [String: String])
        do { loaded = try Network.load(from: url) } catch { throw KernelError(FileFailure.describe(error)) }
        network = loaded.network
        let meta = loaded.metadata
        guard let text = meta[RunValue.preprocessingKey] else {
            throw KernelError("\(path): the model does not record its preprocessing ('\(RunValue.preprocessingKey)' is missing), "
                + "so new photos cannot be prepared the way its training data were; save it again with save(run, path) "
                + "from a run trained on face data")
        }
        var pre: FacePreprocessing
        do { pre = try FacePreprocessing(json: text) } catch {
            throw KernelError("\(path): the preprocessing in its metadata is malformed: \(error)")
        }
        // The cascade paths are those of the training machine: on another machine (or with
        // FACET_CASCADES set) the same cascade files are looked up in this machine's directory.
        pre.pipeline = pre.pipeline.withLocalCascades()
        preprocessing = pre
        if let names = meta[RunValue.labelsKey] {
            do { labels = try JSONDecoder().decode([String: [String]].self, from: Data(names.utf8)) } catch {
                throw KernelError("\(path): the label names in its metadata are malformed: \(error)")
            }
        } else {
            labels = [:]
        }
        let input = network.spec.input
        guard input.channels == 1, input.height == pipeline.size, input.width == pipeline.size else {
            throw KernelError("\(path): the net reads \(input) but its preprocessing makes \(pipeline.size)×\(pipeline.size)×1 crops")
        }
        // Settings and cascades come from the file, so their errors name it; loading the cascades here
        // fails once, before any photo is read, instead of inside the batch.
        do {
            try pipeline.validate()
            try preprocessing.validate()
            _ = try FaceAligner(pipeline)
        } catch { throw KernelError("\(path): \(FileFailure.describe(error))") }
    }

    /// Name of output `i` of `head`: the saved name, or "head[i]" when the file has none.
    func name(of head: HeadSpec, output i: Int) -> String {
        if let names = labels[head.name], i < names.count { return names[i] }
        return "\(head.name)[\(i)]"
    }
}
