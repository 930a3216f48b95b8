import FacetEngine
import Foundation

/// The checkpoint file format: a safetensors file (readable by Python's `safetensors`) whose
/// tensors hold the large arrays of a `TrainingState` under the network's parameter names —
///
///     weights.<name>            current weights
///     best.<name>               best weights so far (absent without validation data)
///     optimizer.first.<name>    SGD momentum, or Adam's first moment
///     optimizer.second.<name>   Adam's second moment (absent for SGD)
///
/// — and whose metadata key `facet.checkpoint` holds the rest as JSON: format version, epochs
/// done, generator states (decimal strings, since JSON numbers are doubles), optimizer steps,
/// batch order, early-stopping state and the history so far. Floats are stored bit for bit, so a
/// resumed run continues exactly.
public enum TrainingCheckpoint {
    /// Bumped whenever the layout changes; a file of another version is refused.
    public static let formatVersion = 1
    public static let metadataKey = "facet.checkpoint"

    private struct Metadata: Codable {
        var format: Int
        var epochsDone: Int
        var generator: String
        var dropout: [String]
        var optimizerSteps: Int
        var order: [Int]
        var bestError: Double
        var bestEpoch: Int
        var epochsSinceBest: Int
        var history: TrainingHistory
    }

    /// The checkpoint's bytes.
    public static func encode(_ state: TrainingState, for net: Network) throws -> Data {
        var out = Data()
        try encode(state, for: net) { out.append(contentsOf: $0) }
        return out
    }

    /// The checkpoint piece by piece into `sink`, straight from the state's arrays (no copy of
    /// the weights in memory: a checkpoint of a large net costs its file, not its size twice).
    public static func encode(_ state: TrainingState, for net: Network, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var tensors: [String: Safetensors.Entry] = [:]
        let named = net.namedParameters
        func add(_ prefix: String, _ arrays: [[Float]]) {
            for ((name, p), values) in zip(named, arrays) { tensors[prefix + name] = Safetensors.Entry(shape: p.shape, values: values) }
        }
        add("weights.", state.weights)
        add("best.", state.bestWeights)
        add("optimizer.first.", state.optimizer.first)
        add("optimizer.second.", state.optimizer.second)
        let meta = Metadata(format: formatVersion, epochsDone: state.epochsDone, generator: String(state.generator),
                            dropout: state.dropout.map(String.init), optimizerSteps: state.optimizer.steps, order: state.order,
                            bestError: state.bestError, bestEpoch: state.bestEpoch, epochsSinceBest: state.epochsSinceBest,
                            history: state.history)
        let metadata = [metadataKey: String(decoding: try jsonEncoder.encode(meta), as: UTF8.self)]
        try Safetensors.encode(tensors, metadata: metadata, into: sink)
    }

    /// Reads a checkpoint for `net`; a malformed file, another format version or tensors that do
    /// not fit the net are a `Safetensors.FileError`.
    public static func decode(_ data: Data, for net: Network, path: String) throws -> TrainingState {
        let (tensors, metadata) = try Safetensors.decode(data, path: path)
        func fail(_ m: String) -> Safetensors.FileError { Safetensors.FileError(path: path, message: m) }
        guard let text = metadata[metadataKey],
              let meta = try? jsonDecoder.decode(Metadata.self, from: Data(text.utf8)) else {
            throw fail("not a Facet checkpoint: no readable '\(metadataKey)' metadata")
        }
        guard meta.format == formatVersion else { throw fail("checkpoint format \(meta.format), this Facet reads \(formatVersion)") }
        guard let generator = UInt64(meta.generator) else { throw fail("bad generator state '\(meta.generator)'") }
        let dropout = try meta.dropout.map { s -> UInt64 in
            guard let v = UInt64(s) else { throw fail("bad dropout generator state '\(s)'") }
            return v
        }
        func arrays(_ prefix: String, required: Bool) throws -> [[Float]] {
            let found = net.namedParameters.map { tensors[prefix + $0.name] }
            if !required, found.allSatisfy({ $0 == nil }) { return [] }
            return try zip(net.namedParameters, found).map { named, entry in
                guard let entry, entry.shape == named.parameter.shape else {
                    throw fail("tensor '\(prefix + named.name)' is missing or does not fit this net")
                }
                return entry.values
            }
        }
        let optimizer = OptimizerState(steps: meta.optimizerSteps, first: try arrays("optimizer.first.", required: true),
                                       second: try arrays("optimizer.second.", required: false))
        return TrainingState(epochsDone: meta.epochsDone, weights: try arrays("weights.", required: true), optimizer: optimizer,
                             generator: generator, dropout: dropout, order: meta.order, history: meta.history,
                             bestError: meta.bestError, bestEpoch: meta.bestEpoch,
                             bestWeights: try arrays("best.", required: false), epochsSinceBest: meta.epochsSinceBest)
    }

    /// JSON that keeps every Double exactly and writes ±∞ (a best error before any epoch) as text.
    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    static let jsonDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()
}

extension TrainingHistory {
    /// The history as JSON (exact Doubles), as checkpoints and cached results store it.
    public func json() throws -> String {
        String(decoding: try TrainingCheckpoint.jsonEncoder.encode(self), as: UTF8.self)
    }

    /// A history that `json()` wrote.
    public init(json: String) throws {
        self = try TrainingCheckpoint.jsonDecoder.decode(TrainingHistory.self, from: Data(json.utf8))
    }
}
