import FacetEngine
import FacetLang
import FacetReport
import Foundation

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
}

extension Array where Element == LearningEntry {
    /// Entries of both, each (configuration, seed, data, head) once.
    func merged(_ other: [LearningEntry]) -> [LearningEntry] {
        var out = self
        for e in other where !out.contains(where: { $0.configuration == e.configuration && $0.seed == e.seed && $0.data == e.data && $0.head == e.head }) {
            out.append(e)
        }
        return out
    }

    /// Configurations that did not learn, with their seeds: [("ferc(…) on …", [1, 3])], in order.
    var notLearned: [(configuration: String, seeds: [UInt64?])] {
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
    var notLearnedNote: String? {
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

/// A metric's value on one run, with what turning several runs into an estimate needs: the
/// per-test-item contributions (the test set's sampling error), the metric's range and the run's
/// learning check. Metric bodies return it; a single run's metric is shown as the plain number.
final class MeasuredValue: ForeignValue {
    let value: Double
    let items: TestSample?
    let range: ClosedRange<Double>?
    let learning: [LearningEntry]

    init(_ value: Double, items: TestSample?, range: ClosedRange<Double>?, learning: [LearningEntry]) {
        self.value = value; self.items = items; self.range = range; self.learning = learning
    }

    var typeName: String { "number" }
    var description: String { formatNumber(value) }
    func member(_ name: String) -> Value? { nil }
    var memberNames: [String] { [] }

    /// A value with every measurement in it replaced by its plain number (records, lists, tables).
    static func plain(_ value: Value) -> Value {
        switch value {
        case let .foreign(m as MeasuredValue): return .number(m.value)
        case let .record(r): return .record(plain(r))
        case let .list(items): return .list(items.map(plain))
        case let .foreign(t as TableValue): return .foreign(TableValue(markdown: t.markdown, rows: t.rows.map(plain)))
        default: return value
        }
    }
    static func plain(_ r: Record) -> Record { Record(r.fields.map { ($0.name, plain($0.value)) }) }
}

/// Which test items a metric averaged over, so two estimates on the same items pair item by item:
/// the head and a hash of its labels in order (the same faces give the same key however they were
/// preprocessed; different test sets practically never share one).
func testKey(head: String, labels: [Double]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for v in labels {
        for b in withUnsafeBytes(of: v.bitPattern, Array.init) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    }
    return "\(head):\(labels.count):" + String(h, radix: 16)
}
