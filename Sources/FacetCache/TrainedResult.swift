import FacetEngine
import FacetWeights
import Foundation

/// A trained network's weights and its history as one safetensors payload: the layout of a cache
/// result, and what one rank sends the others after training a run alone.
public enum TrainedResult {
    /// Metadata key of the training history (JSON).
    public static let historyKey = "facet.history"

    /// `network`'s weights with `history` in the metadata.
    public static func encode(_ network: Network, _ history: TrainingHistory) throws -> Data {
        Safetensors.encode(network.weightEntries, metadata: [historyKey: try history.json()])
    }

    /// Writes the same payload into `sink` (the cache's streamed entry write).
    public static func encode(_ network: Network, _ history: TrainingHistory,
                              into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try Safetensors.encode(network.weightEntries, metadata: [historyKey: try history.json()], into: sink)
    }

    /// Loads the weights into `network` and returns the history; `path` names the source in errors.
    public static func decode(_ payload: Data, into network: Network, path: String) throws -> TrainingHistory {
        let (tensors, metadata) = try Safetensors.decode(payload, path: path)
        guard let json = metadata[historyKey] else { throw CacheError("no training history in it") }
        let history = try TrainingHistory(json: json)
        try network.loadWeights(tensors, path: path)
        return history
    }
}
