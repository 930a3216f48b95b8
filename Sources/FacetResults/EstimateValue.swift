import FacetEngine
import FacetLang
import FacetReport

/// A metric over repeated runs: mean, sd, n and a 95 % interval over the seeds and the test items
/// (FacetReport `Estimate`), with the learning checks of the runs behind it. Prints as
/// `61.2 % [57.0, 65.3] (95 % CI, 3 seeds, 151 test items)`. Adding or subtracting estimates over
/// the same seeds works per seed (so `deep - shallow` keeps the pairing); ordering them is refused,
/// since only `compare` can say whether one is larger.
public final class EstimateValue: ArithmeticValue {
    public let estimate: Estimate
    public let format: NumberFormat
    /// The learning checks of the runs this estimate was measured on (none for numbers given by hand).
    public let learning: [LearningEntry]
    /// What was measured: "accuracy of ferc(fc: 256) on faces | gcn (test emotion)".
    public let label: String?
    public init(_ estimate: Estimate, format: NumberFormat, learning: [LearningEntry] = [], label: String? = nil) {
        self.estimate = estimate; self.format = format; self.learning = learning; self.label = label
    }

    public var typeName: String { "estimate" }
    public var description: String { estimate.text(format) + (learning.notLearnedNote.map { " — \($0)" } ?? "") }
    public func member(_ name: String) -> Value? {
        let interval = estimate.interval()
        switch name {
        case "mean": return .number(estimate.mean)
        case "sd": return estimate.sd.map(Value.number) ?? Value.none
        case "n": return .number(Double(estimate.n))
        case "low": return interval.map { .number($0.lowerBound) } ?? Value.none
        case "high": return interval.map { .number($0.upperBound) } ?? Value.none
        case "values": return .list(estimate.values.map(Value.number))
        case "seeds": return .list(estimate.seeds.map { .number(Double($0)) })
        case "learned": return .bool(learning.notLearned.isEmpty)
        default: return nil
        }
    }
    public var memberNames: [String] { ["mean", "sd", "n", "low", "high", "values", "seeds", "learned"] }

    public func apply(_ op: BinaryOp, _ other: Value, selfOnRight: Bool) throws -> Value? {
        if [.less, .lessEqual, .greater, .greaterEqual].contains(op) {
            throw EstimateError("an estimate has no single value to order with `\(op.rawValue)`: use compare(a, b) for a verdict, or .mean for the mean")
        }
        var format = self.format
        let result: Estimate
        var learning = self.learning
        var label: String?
        switch other {
        case let .number(x):
            // A fraction scaled to points (accuracy × 100) is no longer printed as a percentage;
            // averaging (÷ 7) or small factors keep it a fraction.
            let scale = op == .multiply ? abs(x) : op == .divide ? 1 / abs(x) : 1
            if scale >= 10, case let .percent(d) = format { format = .fixed(d) }
            switch (op, selfOnRight) {
            case (.add, _): result = try estimate.combined(nil, 1, 0, constant: x)
            case (.subtract, false): result = try estimate.combined(nil, 1, 0, constant: -x)
            case (.subtract, true): result = try estimate.combined(nil, -1, 0, constant: x)
            case (.multiply, _): result = try estimate.combined(nil, x, 0)
            case (.divide, false):
                guard x != 0 else { throw EstimateError("division by zero") }
                result = try estimate.combined(nil, 1 / x, 0)
            case (.divide, true):
                // x / estimate is not linear in the runs: per seed, without a test-set part.
                guard !estimate.values.contains(0) else { throw EstimateError("division by zero") }
                result = try Estimate(values: estimate.values.map { x / $0 }, seeds: estimate.seeds)
            default: return nil
            }
            label = self.label.map { selfOnRight ? "\(formatNumber(x)) \(op.rawValue) (\($0))" : "(\($0)) \(op.rawValue) \(formatNumber(x))" }
        case let .foreign(e as EstimateValue):
            guard e.estimate.seeds == estimate.seeds else {
                throw EstimateError("cannot combine estimates over different seeds (\(Self.seedText(estimate.seeds)) and \(Self.seedText(e.estimate.seeds))) seed by seed; compare them with compare(a, b)")
            }
            guard op == .add || op == .subtract else { return nil }
            let (l, r) = selfOnRight ? (e.estimate, estimate) : (estimate, e.estimate)
            result = try l.combined(r, 1, op == .add ? 1 : -1)
            learning = learning.merged(e.learning)
            let (ll, rl) = selfOnRight ? (e.label, self.label) : (self.label, e.label)
            if let ll, let rl { label = "(\(ll)) \(op.rawValue) (\(rl))" }
        default:
            return nil
        }
        return .foreign(EstimateValue(result, format: format, learning: learning, label: label))
    }

    public static func seedText(_ seeds: [UInt64]) -> String { "seeds " + seeds.map(String.init).joined(separator: ", ") }

    /// "- accuracy of …: 41.1, 44.4, 43.0 % (seeds 1, 2, 3); did not learn: seed 2", for the
    /// per-seed details under a verdict.
    func perSeedLine(_ name: String) -> String {
        var s = "- \(name)\(label.map { " — \($0)" } ?? ""): \(estimate.perSeed(format))"
        if case .percent = format { s = s.replacingOccurrences(of: " (seed", with: " % (seed") }
        if let note = learning.notLearnedNote { s += "; **\(note)**" }
        return s
    }
}

/// Why arithmetic on estimates was refused (the interpreter reports it at the expression).
public struct EstimateError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
