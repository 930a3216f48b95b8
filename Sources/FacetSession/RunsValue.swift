import FacetEngine
import FacetLang

/// One configuration trained under several seeds: what `train(..., seeds: n)` returns. Metric
/// builtins given it evaluate every run and return estimates (``EstimateValue``).
public final class RunsValue: ForeignValue, Renderable {
    public let runs: [RunValue]
    public let seeds: [UInt64]
    init(runs: [RunValue], seeds: [UInt64]) { self.runs = runs; self.seeds = seeds }

    public var typeName: String { "runs" }
    public var description: String {
        let first = runs[0]
        let epochs = runs.map { "\($0.history.epochs.count)" }.joined(separator: ", ")
        return "\(runs.count) runs of \(first.network.net.call) on \(first.dataName), seeds \(seeds.map(String.init).joined(separator: ", ")): "
            + "\(epochs) epochs, " + ProgressBar.duration(runs.reduce(0) { $0 + $1.history.seconds })
    }
    public func member(_ name: String) -> Value? {
        switch name {
        case "runs": return .list(runs.map { .foreign($0) })
        case "seeds": return .list(seeds.map { .number(Double($0)) })
        case "seconds": return .number(runs.reduce(0) { $0 + $1.history.seconds })
        case "learned": return learned.map(Value.bool) ?? Value.none
        default: return nil
        }
    }
    public var memberNames: [String] { ["runs", "seeds", "seconds", "learned"] }

    /// Whether every run learned (its learning checks all passed): false as soon as one did not,
    /// nil while some run is unchecked and none has failed.
    public var learned: Bool? {
        let each = runs.map(\.learned)
        if each.contains(false) { return false }
        return each.contains(nil) ? nil : true
    }
    public func render(in session: Session) -> [OutputItem] { [.markdown(description + "\n\n_" + Self.policy + "_")] }

    /// What a seed varies, for `show` and the report footer.
    public static let policy = "Each seed of seeds: draws the initial weights, the batch order and the dropout masks; "
        + "the data set and its train/valid/test split are the same for every seed, so configurations run "
        + "with the same seeds are compared pairwise on the same test set."
}
