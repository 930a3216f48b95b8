import FacetEngine
import FacetWeights
import Foundation

/// The cache key of a training run: SHA-256 over everything its result depends on, and nothing
/// else (docs/cache.md lists the inputs). Prose, cells, variable names and unrelated statements
/// never enter it, so they never invalidate a result.
///
/// The data enter as the exact arrays the trainer reads — inputs after every pipeline step
/// (alignment, resizing, contrast normalisation with its fitted statistics), in split order, and
/// every head's targets — rather than as `DatasetValue.fingerprint`, which identifies the source
/// only (its pipeline steps keep the source's fingerprint).
public enum TrainingKey {
    /// Bumped when the key's layout changes, so old entries are never mistaken for new ones.
    static let layout = "facet-train-key/1"

    public static func compute(network: Network, options: TrainingOptions, train: LabeledData, valid: LabeledData?) -> String {
        var h = SHA256()
        h.update(layout)
        // The engine: its version and format, how many threads split its sums, which BLAS kernels.
        h.update("engine \(Engine.version) checkpoint \(TrainingCheckpoint.formatVersion)")
        h.update("threads \(Engine.threads) blas \(Engine.blasCoreName)")
        // Which library runs each GEMM (the per-shape rule, or FACET_ONEDNN's list): they round differently.
        h.update("gemm \(Profiling.gemmChoice)")
        // How convs run (oneDNN's primitive, or im2col and GEMMs): they round differently.
        h.update("conv \(Profiling.convAlgorithm)")
        // The net: its structure, and the weights training starts from (a fresh net's initial
        // weights follow from its seed; a net trained further starts from its current weights).
        h.update(network.spec.text)
        if let json = try? JSONEncoder.sorted.encode(network.spec) { h.update(json) }
        for (name, p) in network.namedParameters {
            h.update(name)
            h.update(p.value)
        }
        h.update(describe(options))
        add(train, to: &h, label: "train")
        if let valid { add(valid, to: &h, label: "valid") } else { h.update("no validation") }
        return h.hexDigest()
    }

    /// Every training setting in one canonical line (Doubles in Swift's round-trip notation).
    static func describe(_ o: TrainingOptions) -> String {
        let optimizer: String
        switch o.optimizer {
        case let .sgd(momentum, decay): optimizer = "sgd(\(momentum), \(decay))"
        case let .adam(b1, b2, eps, decay): optimizer = "adam(\(b1), \(b2), \(eps), \(decay))"
        }
        let lr: String
        switch o.learningRate {
        case let .constant(r): lr = "constant(\(r))"
        case let .linear(from, to, over): lr = "linear(\(from), \(to), \(over))"
        }
        let heads = o.heads.map { $0.sorted().joined(separator: ",") } ?? "*"
        // Data-parallel ranks sum in another order: their result is a different entry. (Absent for
        // one process, so keys made before ranks existed stay valid.)
        let ranks = (o.collective?.size ?? 1) > 1 ? " ranks=\(o.collective!.size)" : ""
        return "epochs=\(o.epochs) batch=\(o.batchSize) optimizer=\(optimizer) lr=\(lr) "
            + "patience=\(o.patience.map(String.init) ?? "none") seed=\(o.seed) heads=\(heads)" + ranks
    }

    /// Inputs (shape and values) and each head's targets, heads in name order.
    private static func add(_ data: LabeledData, to h: inout SHA256, label: String) {
        h.update("\(label) \(data.inputs.shape)")
        h.update(data.inputs.data)
        for name in data.targets.keys.sorted() {
            h.update("head \(name)")
            switch data.targets[name]! {
            case let .classes(c):
                h.update("classes \(c.count)")
                c.withUnsafeBytes { h.update($0) }
            case let .multiLabel(v): h.update("labels"); h.update(v)
            case let .values(v): h.update("values"); h.update(v)
            }
        }
    }
}
