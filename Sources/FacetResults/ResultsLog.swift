import FacetEngine
import FacetLang
import FacetReport
import Foundation

/// What a notebook measured and concluded, as data: every trained run with its learning checks,
/// every estimate shown or compared (per-seed values, mean, interval, method), every comparison and
/// finding. A report writes it as `NAME_files/results.json` (docs/metrics.md, "results.json").
public final class ResultsLog {
    /// What results.json says of a run: a small record, not the run itself, so the log never keeps
    /// a trained network (and its weights) alive. The run keeps it up to date as it is checked.
    public final class RunRecord {
        let configuration: String
        let seed: UInt64?
        let epochs: Int
        let bestEpoch: Int?
        public var learning: [LearningEntry]
        public init(configuration: String, seed: UInt64?, epochs: Int, bestEpoch: Int?, learning: [LearningEntry]) {
            self.configuration = configuration; self.seed = seed
            self.epochs = epochs; self.bestEpoch = bestEpoch; self.learning = learning
        }
        var learned: Bool? { learning.isEmpty ? nil : learning.allSatisfy(\.check.learned) }
    }

    private(set) var runs: [RunRecord] = []
    private(set) var estimates: [EstimateValue] = []
    private var estimateIDs: [ObjectIdentifier: Int] = [:]
    private(set) var comparisons: [ComparisonValue] = []
    private(set) var findings: [FindingValue] = []

    public init() {}

    /// A trained run (the run keeps the record and updates its learning checks).
    public func note(_ run: RunRecord) { runs.append(run) }

    @discardableResult
    public func note(_ e: EstimateValue) -> String {
        let key = ObjectIdentifier(e)
        if let i = estimateIDs[key] { return "e\(i + 1)" }
        estimates.append(e)
        estimateIDs[key] = estimates.count - 1
        return "e\(estimates.count)"
    }

    public func note(_ c: ComparisonValue) {
        guard !comparisons.contains(where: { $0 === c }) else { return }
        comparisons.append(c)
        note(c.a); note(c.b)
    }

    public func note(_ f: FindingValue) {
        if !findings.contains(where: { $0 === f }) { findings.append(f) }
        f.comparisons.forEach(note)
    }

    var isEmpty: Bool { runs.isEmpty && estimates.isEmpty && comparisons.isEmpty }

    // MARK: JSON

    /// The document, keys sorted; non-finite numbers are null.
    public func json(title: String, notebook: String, seed: UInt64) throws -> Data {
        let doc: [String: Any] = [
            "notebook": notebook, "title": title, "seed": seed, "facet": Engine.version,
            "learning_rule": LearningCheckRule.text,
            "runs": runs.map(Self.run),
            "estimates": estimates.map { estimateJSON($0) },
            "comparisons": comparisons.map { comparisonJSON($0) },
            "findings": findings.map { f in
                ["sentence": f.sentence, "verdict": f.verdict.rawValue,
                 "comparisons": f.comparisons.compactMap { c in comparisons.firstIndex { $0 === c }.map { "c\($0 + 1)" } },
                 "text": f.text(bold: false)] as [String: Any]
            },
        ]
        return try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func number(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }

    static func check(_ e: LearningEntry) -> [String: Any] {
        var d: [String: Any] = ["configuration": e.configuration, "seed": e.seed.map { $0 as Any } ?? NSNull(),
                                "data": e.data, "head": e.head, "kind": e.check.kind.rawValue, "samples": e.check.samples,
                                "score": number(e.check.score), "baseline": number(e.check.baseline),
                                "threshold": number(e.check.threshold), "learned": e.check.learned, "text": e.check.sentence]
        d["majority_class"] = e.check.majorityClass ?? NSNull()
        if let t = e.check.topPredicted {
            d["most_predicted"] = ["class": t.name, "share_of_predictions": t.predictedShare, "share_of_data": t.dataShare]
        }
        return d
    }

    static func run(_ r: RunRecord) -> [String: Any] {
        ["configuration": r.configuration, "seed": r.seed.map { $0 as Any } ?? NSNull(), "epochs": r.epochs,
         "best_epoch": r.bestEpoch.map { $0 as Any } ?? NSNull(), "learned": r.learned.map { $0 as Any } ?? NSNull(),
         "checks": r.learning.map(check)]
    }

    func estimateJSON(_ v: EstimateValue) -> [String: Any] {
        let e = v.estimate, i = e.interval()
        var d: [String: Any] = [
            "id": note(v), "label": v.label ?? NSNull(), "values": e.values.map(Self.number), "seeds": e.seeds,
            "n": e.n, "mean": Self.number(e.mean), "sd": Self.number(e.sd),
            "interval": i.map { [Self.number($0.lowerBound), Self.number($0.upperBound)] as Any } ?? NSNull(),
            "level": 0.95, "method": e.method, "test_items": e.testItems,
            "range": e.range.map { [Self.number($0.lowerBound), Self.number($0.upperBound)] as Any } ?? NSNull(),
            "format": v.format.name, "text": v.description,
            "learning": v.learning.map(Self.check),
            "did_not_learn": v.learning.notLearned.map { ["configuration": $0.configuration, "seeds": $0.seeds.map { $0.map { $0 as Any } ?? NSNull() }] as [String: Any] },
        ]
        if let s = e.spread {
            d["variance"] = ["seeds": Self.number(s.seedVariance), "test_items": Self.number(s.testVariance),
                             "degrees_of_freedom": Self.number(s.degreesOfFreedom)]
        }
        return d
    }

    func comparisonJSON(_ v: ComparisonValue) -> [String: Any] {
        let c = v.comparison
        return [
            "id": "c\((comparisons.firstIndex { $0 === v } ?? 0) + 1)", "finding": v.finding ?? NSNull(),
            "a": note(v.a), "b": note(v.b), "a_expression": v.expressions.a, "b_expression": v.expressions.b,
            "claim": c.claim.rawValue, "margin": c.margin, "difference": Self.number(c.difference),
            "interval": [Self.number(c.interval.lowerBound), Self.number(c.interval.upperBound)],
            "standard_error": Self.number(c.standardError), "degrees_of_freedom": Self.number(c.degreesOfFreedom),
            "p": Self.number(c.p), "method": c.method.rawValue, "test_items": [c.testItemsA, c.testItemsB],
            "variance": ["seeds": Self.number(c.spread.seedVariance), "test_items": Self.number(c.spread.testVariance)],
            "verdict": c.verdict.rawValue, "not_learned": c.notLearned ?? NSNull(),
            "seeds_to_decide": c.seedsToDecide.map { $0 as Any } ?? NSNull(), "seeds_cannot_decide": c.seedsCannotDecide,
            "format": v.format.name, "text": v.text(bold: false),
        ]
    }
}

/// The learning rule in one sentence, for results.json.
enum LearningCheckRule {
    static let text = "classification: accuracy ≥ majority-class rate + max(\(LearningCheck.marginFloor), "
        + "\(LearningCheck.standardErrors)·√(m(1−m)/n)) and not ≥ \(LearningCheck.collapseShare) of predictions in one class "
        + "with the other classes predicted < \(LearningCheck.collapseOthers) × as often as they occur; multi-label: the same margin on mean accuracy over attributes; "
        + "regression: mean squared error ≤ \(LearningCheck.regressionRatio) × that of predicting the training mean"
}

extension NumberFormat {
    /// "percent", "fixed" or "integer", with the digits: for results.json.
    var name: String {
        switch self {
        case let .percent(d): return "percent(\(d))"
        case let .fixed(d): return "fixed(\(d))"
        case .integer: return "integer"
        }
    }
}
