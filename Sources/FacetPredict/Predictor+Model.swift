import FacetFiles
import FacetEngine
import FacetVision
import FacetWeights
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

    /// The one check of a model file's Facet metadata, for every consumer (`facet predict`,
    /// `facet export`): the preprocessing and label names parse (errors in words, never a
    /// `DecodingError`), the preprocessing's crops are what the net reads, and each head's label
    /// names are as many as its outputs. Absent entries are nil / empty.
    public static func checkMetadata(_ meta: [String: String], network: Network, path: String) throws
        -> (preprocessing: FacePreprocessing?, labels: [String: [String]]) {
        var pre: FacePreprocessing?
        if let text = meta[ModelMetadataKey.preprocessing] {
            do { pre = try FacePreprocessing(json: text) } catch {
                throw PredictError("\(path): the preprocessing in its metadata is malformed: \(FileFailure.reason(error))")
            }
        }
        var labels: [String: [String]] = [:]
        if let names = meta[ModelMetadataKey.labels] {
            do { labels = try JSONDecoder().decode([String: [String]].self, from: Data(names.utf8)) } catch {
                throw PredictError("\(path): the label names in its metadata are malformed: \(FileFailure.reason(error))")
            }
        }
        let input = network.spec.input
        if let size = pre?.pipeline.size, !(input.channels == 1 && input.height == size && input.width == size) {
            throw PredictError("\(path): the net reads \(input) but its preprocessing makes \(size)×\(size)×1 crops")
        }
        for head in network.heads {
            if let names = labels[head.spec.name], names.count != head.spec.kind.outputs {
                throw PredictError("\(path): head '\(head.spec.name)' has \(head.spec.kind.outputs) outputs but its metadata names \(names.count) labels")
            }
        }
        return (pre, labels)
    }

    /// Reads a model file; every way it can be unusable is a `PredictError` naming the file.
    public init(contentsOf path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else { throw PredictError("\(path): no such model file") }
        let loaded: (network: Network, metadata: [String: String])
        do { loaded = try Network.load(from: url) } catch { throw PredictError(FileFailure.describe(error)) }
        network = loaded.network
        let meta = loaded.metadata
        guard let text = meta[ModelMetadataKey.preprocessing] else {
            throw PredictError("\(path): the model does not record its preprocessing ('\(ModelMetadataKey.preprocessing)' is missing), "
                + "so new photos cannot be prepared the way its training data were; save it again with save(run, path) "
                + "from a run trained on face data")
        }
        _ = text
        let (checked, checkedLabels) = try Self.checkMetadata(meta, network: network, path: path)
        var pre = checked!
        // The cascade paths are those of the training machine: on another machine (or with
        // FACET_CASCADES set) the same cascade files are looked up in this machine's directory.
        pre.pipeline = pre.pipeline.withLocalCascades()
        preprocessing = pre
        labels = checkedLabels
        // Settings and cascades come from the file, so their errors name it; loading the cascades here
        // fails once, before any photo is read, instead of inside the batch.
        do {
            try pipeline.validate()
            try preprocessing.validate()
            _ = try FaceAligner(pipeline)
        } catch { throw PredictError("\(path): \(FileFailure.describe(error))") }
    }

    /// Name of output `i` of `head`: the saved name, or "head[i]" when the file has none.
    func name(of head: HeadSpec, output i: Int) -> String {
        if let names = labels[head.name], i < names.count { return names[i] }
        return "\(head.name)[\(i)]"
    }
}
