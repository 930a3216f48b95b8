import FacetReport

/// A learning check of one trained run, on the data it was evaluated on (docs/metrics.md).
public struct LearningEntry: Equatable {
    /// The trained configuration: "ferc(fc: 256) on faces | gcn".
    public let configuration: String
    /// Its replicate seed (nil for a run trained without `seeds:`).
    public let seed: UInt64?
    /// What it was evaluated on and which head: "test emotion of faces".
    public let data: String
    public let head: String
    public let check: LearningCheck

    public init(configuration: String, seed: UInt64?, data: String, head: String, check: LearningCheck) {
        self.configuration = configuration; self.seed = seed; self.data = data; self.head = head; self.check = check
    }
}

extension Array where Element == LearningEntry {
    /// Entries of both, each once. Whole entries are compared, check included: two runs can share
    /// a configuration's name (the same net on the same data, trained with another rate), and one
    /// that did not learn must not hide behind one that did.
    public func merged(_ other: [LearningEntry]) -> [LearningEntry] {
        var out = self
        for e in other where !out.contains(e) { out.append(e) }
        return out
    }

    /// Configurations that did not learn, with their seeds: [("ferc(…) on …", [1, 3])], in order.
    public var notLearned: [(configuration: String, seeds: [UInt64?])] {
        var out: [(configuration: String, seeds: [UInt64?])] = []
        for e in self where !e.check.learned {
            if let i = out.firstIndex(where: { $0.configuration == e.configuration }) {
                if !out[i].seeds.contains(e.seed) { out[i].seeds.append(e.seed) }
            } else {
                out.append((e.configuration, [e.seed]))
            }
        }
        return out
    }

    /// "did not learn: seeds 1, 3" (one configuration) or "did not learn: A (seeds 1), B (seed 2)";
    /// nil when every run learned.
    public var notLearnedNote: String? {
        let failing = notLearned
        guard !failing.isEmpty else { return nil }
        func seeds(_ s: [UInt64?]) -> String {
            let known = s.compactMap { $0 }
            if known.isEmpty { return "the single run" }
            return "seed\(known.count == 1 ? "" : "s") " + known.map(String.init).joined(separator: ", ")
        }
        let configurations = Set(map(\.configuration))
        if configurations.count == 1 { return "did not learn: " + seeds(failing[0].seeds) }
        return "did not learn: " + failing.map { "\($0.configuration) (\(seeds($0.seeds)))" }.joined(separator: "; ")
    }
}
