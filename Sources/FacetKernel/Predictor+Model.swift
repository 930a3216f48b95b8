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
    /// Face detection and alignment settings of the training data.
    public let pipeline: FacePipeline
    /// Contrast normalisation settings of the training data.
    public let normalisation: ContrastNormalisation
    /// Per-pixel statistics fitted on the training split (nil when per-pixel GCN was off).
    public let statistics: PixelStatistics?
    /// Class, label or target names per head.
    public let labels: [String: [String]]

    private struct Preprocessing: Decodable {
        var pipeline: FacePipeline
        var normalisation: ContrastNormalisation
        var statistics: PixelStatistics?
    }

    /// Reads a model file; every way it can be unusable is a `KernelError` naming the file.
    public init(contentsOf path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else { throw KernelError("\(path): no such model file") }
        let loaded: (network: Network, metadata: [String: String])
        do { loaded = try Network.load(from: url) } catch { throw KernelError("\(error)") }
        network = loaded.network
        let meta = loaded.metadata
        guard let text = meta[RunValue.preprocessingKey] else {
            throw KernelError("\(path): the model does not record its preprocessing ('\(RunValue.preprocessingKey)' is missing), "
                + "so new photos cannot be prepared the way its training data were; save it again with save(run, path) "
                + "from a run trained on face data")
        }
        let pre: Preprocessing
        do { pre = try JSONDecoder().decode(Preprocessing.self, from: Data(text.utf8)) } catch {
            throw KernelError("\(path): the preprocessing in its metadata is malformed: \(error)")
        }
        var pipeline = pre.pipeline
        // The cascade paths are those of the training machine: on another machine (or with
        // FACET_CASCADES set) the same cascade files are looked up in this machine's directory.
        pipeline.faceCascade = Self.localCascade(pipeline.faceCascade)
        pipeline.eyeCascade = Self.localCascade(pipeline.eyeCascade)
        self.pipeline = pipeline
        (normalisation, statistics) = (pre.normalisation, pre.statistics)
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
        if let statistics, statistics.mean.count != pipeline.size * pipeline.size {
            throw KernelError("\(path): its pixel statistics cover \(statistics.mean.count) pixels, the crops have \(pipeline.size * pipeline.size)")
        }
    }

    /// `path` if it exists, else the file of the same name in `FacePipeline.cascadeDirectory` if that exists.
    static func localCascade(_ path: String) -> String {
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        let local = (FacePipeline.cascadeDirectory as NSString).appendingPathComponent((path as NSString).lastPathComponent)
        return FileManager.default.fileExists(atPath: local) ? local : path
    }

    /// Name of output `i` of `head`: the saved name, or "head[i]" when the file has none.
    func name(of head: HeadSpec, output i: Int) -> String {
        if let names = labels[head.name], i < names.count { return names[i] }
        return "\(head.name)[\(i)]"
    }
}
