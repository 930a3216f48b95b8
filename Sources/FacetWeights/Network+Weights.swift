import FacetEngine
import Foundation

/// Metadata keys Facet writes into a model's safetensors file.
public enum ModelMetadataKey {
    /// The net's structure as JSON (what `Network.load` rebuilds from).
    public static let spec = "facet.spec"
    /// The model's description in the Facet language (for people and the language).
    public static let model = "facet.model"
    public static let format = "facet.format"
    /// The training data's preprocessing as JSON (`{"pipeline", "normalisation", "statistics"}`).
    public static let preprocessing = "facet.preprocessing"
    /// The label names per head (JSON object: head → [names]).
    public static let labels = "facet.labels"
}

extension Network {
    /// All weights as safetensors entries, keyed by `namedParameters` names.
    public var weightEntries: [String: Safetensors.Entry] {
        Dictionary(uniqueKeysWithValues: namedParameters.map { ($0.name, Safetensors.Entry(shape: $0.parameter.shape, values: $0.parameter.value)) })
    }

    /// Writes weights and `metadata` (plus the spec, so the file alone rebuilds the net), atomically.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        if let problem = Self.nonFiniteWeight(namedParameters.map { ($0.name, $0.parameter.value) }) {
            throw Safetensors.FileError(path: url.path, message: "not saved: " + problem + "; the model would be unusable: retrain it (a lower lr often helps)")
        }
        var meta = metadata
        // Sorted keys: the same model saves to the same bytes (diffable, and checkable by hash).
        let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys]
        let specJSON = try encoder.encode(spec)
        meta[ModelMetadataKey.spec] = String(decoding: specJSON, as: UTF8.self)
        meta[ModelMetadataKey.format] = "1"
        if meta[ModelMetadataKey.model] == nil { meta[ModelMetadataKey.model] = spec.text }
        try Safetensors.write(weightEntries, metadata: meta, to: url)
    }

    /// Rebuilds a network from a file that `save` wrote. The header is checked first — declared
    /// tensor sizes against the file's size, the described net against the memory limit — so a
    /// crafted or damaged file is an error before anything large is allocated.
    public static func load(from url: URL) throws -> (network: Network, metadata: [String: String]) {
        let data = try Safetensors.bytes(of: url)
        let (declared, meta) = try Safetensors.header(data, path: url.path)
        func fail(_ message: String) -> Safetensors.FileError { Safetensors.FileError(path: url.path, message: message) }
        guard let specText = meta[ModelMetadataKey.spec] else {
            throw fail("not a Facet model: no '\(ModelMetadataKey.spec)' in its metadata")
        }
        let spec: NetSpec
        do { spec = try JSONDecoder().decode(NetSpec.self, from: Data(specText.utf8)) } catch {
            throw fail("the model description in its metadata is malformed")
        }
        let net: Network
        do {
            try spec.memory(.load).check()
            net = try Network(spec: spec, seed: 0)
        } catch let e as EngineError {
            throw fail("\(e)")
        } catch let e as LayerShapeError {
            throw fail("the model description does not build: layer \(e.layerIndex + 1): \(e.error)")
        } catch {
            throw fail("the model description does not build: \(error)")
        }
        try net.loadWeights(Safetensors.values(declared, in: data), path: url.path)
        return (net, meta)
    }

    /// Copies weights into this network; names and shapes must match exactly.
    public func loadWeights(_ tensors: [String: Safetensors.Entry], path: String) throws {
        let named = namedParameters
        for (name, p) in named {
            guard let e = tensors[name] else {
                throw Safetensors.FileError(path: path, message: "weights do not fit this net: '\(name)' is missing")
            }
            guard e.shape == p.shape else {
                throw Safetensors.FileError(path: path, message: "weights do not fit this net: '\(name)' has shape \(e.shape), the net needs \(p.shape)")
            }
        }
        let expected = Set(named.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw Safetensors.FileError(path: path, message: "weights do not fit this net: unexpected tensor '\(extra)'")
        }
        if let problem = Self.nonFiniteWeight(named.map { ($0.name, tensors[$0.name]!.values) }) {
            throw Safetensors.FileError(path: path, message: problem + "; the model is unusable: retrain it (a lower lr often helps)")
        }
        for (name, p) in named { p.value = tensors[name]!.values }
    }

    /// The first NaN or ∞ among named weights, said in words; nil when all are finite. A diverged
    /// run has such weights, and a model with them predicts `nan` for every face: `save` refuses to
    /// write one and `load` to read one.
    static func nonFiniteWeight(_ tensors: [(name: String, values: [Float])]) -> String? {
        for (name, values) in tensors {
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                return "tensor '\(name)' holds a non-finite weight (\(values[i]) at element \(i) of \(values.count))"
            }
        }
        return nil
    }
}
