import Foundation

/// The outcome of testing a claim about two estimates.
public enum Verdict: String, Equatable, Sendable {
    case holds = "holds"
    case doesNotHold = "does not hold"
    case inconclusive = "inconclusive"
    /// A configuration involved did not learn in some seed: nothing can be concluded from it.
    case notDecided = "not decided"

    /// A finding made of several comparisons: not decided when any part is; else holds when every
    /// one holds, does not hold when any does not hold, inconclusive otherwise.
    public static func all(_ verdicts: [Verdict]) -> Verdict {
        if verdicts.contains(.notDecided) { return .notDecided }
        if !verdicts.isEmpty, verdicts.allSatisfy({ $0 == .holds }) { return .holds }
        return verdicts.contains(.doesNotHold) ? .doesNotHold : .inconclusive
    }
}

/// Which side of B the claim puts A on; `same`: A and B are equivalent within the margin.
public enum ClaimedSide: String, Equatable, Sendable {
    case greater, less, same
}

/// The difference A − B of two estimates with its 95 % interval, and the verdict on a claim.
///
/// Seeds: when both estimates have the same seeds in the same order the runs are paired (the
/// seeds' variance is that of the per-seed differences, as scipy.stats.ttest_rel); otherwise
/// Welch's s²_A/n_A + s²_B/n_B. Test sets: where both sides average over the same test items,
/// the items pair (the variance of the per-item differences); independent test sets add their
/// variances. Degrees of freedom by Welch–Satterthwaite over all parts (``Spread``).
///
/// Verdict rule (docs/metrics.md, "Verdicts"), in this order:
/// 1. **not decided** when a configuration involved did not learn in some seed (``notLearned``);
/// 2. **inconclusive** when the interval has no width (the runs do not vary: nothing to decide on);
/// 3. claim greater: **holds** when the interval lies entirely above +margin; **does not hold**
///    when it lies entirely below +margin (A is not ahead by the margin: the effect is negligible or
///    reversed); claim less: the mirror image about −margin; claim same: **holds** when the interval
///    lies inside [−margin, +margin], **does not hold** when it lies entirely outside it;
/// 4. **inconclusive** otherwise.
public struct Comparison: Equatable, Sendable {
    public enum Method: String, Equatable, Sendable { case paired, welch }

    public let method: Method
    /// mean(A) − mean(B) (for paired runs also the mean of the per-seed differences).
    public let difference: Double
    public let spread: Spread
    public var standardError: Double { spread.standardError }
    public var degreesOfFreedom: Double { spread.degreesOfFreedom }
    /// difference / standardError (±∞ when nothing varies and the means differ; NaN when equal).
    public let t: Double
    /// Two-sided p-value of `t`.
    public let p: Double
    public let interval: ClosedRange<Double>
    public let claim: ClaimedSide
    public let margin: Double
    public let verdict: Verdict
    /// Why the verdict is not decided: "X did not learn (seeds 1, 3)".
    public let notLearned: String?
    /// Runs per side.
    public let nA: Int, nB: Int
    /// Test items per side (0: seeds only).
    public let testItemsA: Int, testItemsB: Int
    /// For an inconclusive verdict: about how many seeds (at this difference and spread) would
    /// decide it; nil when none up to ``maxSeeds`` would (``seedsCannotDecide`` says whether the
    /// test set's own error is the reason).
    public let seedsToDecide: Int?
    /// True when even infinitely many seeds would leave it undecided: the test sets' error alone
    /// is too large for this difference.
    public let seedsCannotDecide: Bool

    public static let maxSeeds = 200

    /// Compares A with B. Each side needs at least 2 runs (paired: 2 shared seeds) for an interval.
    public init(_ a: Estimate, _ b: Estimate, claim: ClaimedSide = .greater, margin: Double = 0,
                notLearned: String? = nil) throws {
        let f = "Comparison"
        guard margin >= 0, margin.isFinite else {
            throw ReportError.invalidArgument(function: f, message: "the equivalence margin must be a finite number ≥ 0, got \(margin)")
        }
        guard a.n >= 2, b.n >= 2 else {
            throw ReportError.invalidArgument(function: f, message: "each side needs at least 2 runs (seeds) for an interval, got \(a.n) and \(b.n)")
        }
        self.claim = claim
        self.margin = margin
        self.notLearned = notLearned
        nA = a.n; nB = b.n
        testItemsA = a.testItems; testItemsB = b.testItems
        let tests = TestSample.combine(a.tests, b.tests, 1, -1)
        if a.seeds == b.seeds {
            method = .paired
            let d = try Estimate(values: zip(a.values, b.values).map { $0 - $1 }, seeds: a.seeds)
            difference = d.mean
            spread = Spread(seedVariance: d.standardError! * d.standardError!, seedDegreesOfFreedom: Double(d.n - 1), tests: tests)
        } else {
            method = .welch
            let va = a.sd! * a.sd! / Double(a.n), vb = b.sd! * b.sd! / Double(b.n)
            difference = a.mean - b.mean
            let denominator = va * va / Double(a.n - 1) + vb * vb / Double(b.n - 1)
            let df = denominator > 0 ? (va + vb) * (va + vb) / denominator : Double(a.n + b.n - 2)
            spread = Spread(seedVariance: va + vb, seedDegreesOfFreedom: df, tests: tests)
        }
        // Rounding can leave identical per-seed differences a hair apart: that is no spread.
        let se = spread.standardError <= 1e-12 * max(1, abs(difference)) ? 0 : spread.standardError
        if se > 0 {
            t = difference / se
            p = StudentT.twoSidedP(t, df: spread.degreesOfFreedom)
        } else {
            t = difference == 0 ? .nan : (difference > 0 ? .infinity : -.infinity)
            p = difference == 0 ? 1 : 0
        }
        var range: ClosedRange<Double>?
        if let ra = a.range, let rb = b.range { range = (ra.lowerBound - rb.upperBound)...(ra.upperBound - rb.lowerBound) }
        interval = se > 0 ? spread.interval(around: difference, level: 0.95, range: range) : difference...difference
        if notLearned != nil {
            verdict = .notDecided
        } else {
            verdict = Self.verdict(interval, claim: claim, margin: margin)
        }
        if verdict == .inconclusive, se > 0 {
            (seedsToDecide, seedsCannotDecide) = Self.seedsToDecide(difference, spread, seeds: min(a.n, b.n), claim: claim,
                                                                    margin: margin, range: range)
        } else {
            (seedsToDecide, seedsCannotDecide) = (nil, false)
        }
    }

    /// The three-way rule (clauses 2–4 above) on an interval of A − B.
    public static func verdict(_ interval: ClosedRange<Double>, claim: ClaimedSide, margin: Double) -> Verdict {
        let (lo, hi) = (interval.lowerBound, interval.upperBound)
        if lo == hi { return .inconclusive }
        switch claim {
        case .same:
            if lo >= -margin && hi <= margin { return .holds }
            if lo > margin || hi < -margin { return .doesNotHold }
        case .greater:
            if lo > margin { return .holds }
            if hi < margin { return .doesNotHold }
        case .less:
            if hi < -margin { return .holds }
            if lo > -margin { return .doesNotHold }
        }
        return .inconclusive
    }

    /// The smallest number of seeds whose interval, at this difference and with the seeds' part
    /// of the variance shrinking as 1/n, would reach a verdict (docs/metrics.md, "Seeds to decide").
    static func seedsToDecide(_ d: Double, _ spread: Spread, seeds n: Int, claim: ClaimedSide, margin: Double,
                              range: ClosedRange<Double>?) -> (Int?, Bool) {
        func decides(_ s: Spread) -> Bool {
            verdict(s.interval(around: d, level: 0.95, range: range), claim: claim, margin: margin) != .inconclusive
        }
        if n < maxSeeds {
            for k in (n + 1)...maxSeeds where decides(spread.with(seeds: k, from: n)) { return (k, false) }
        }
        // With the seeds' part gone, only the test sets' error is left (normal quantile, df → ∞).
        let z = 1.959963984540054 * spread.testVariance.squareRoot()
        let limit = verdict((d - z)...(d + z), claim: claim, margin: margin)
        return (nil, spread.testVariance > 0 && limit == .inconclusive)
    }

    /// "holds: difference +5.7 points [2.1, 9.3] (95 % CI, paired over 3 seeds, 151 test items), …".
    public func text(_ format: NumberFormat) -> String {
        let unit: String
        if case .percent = format { unit = " points" } else { unit = "" }
        func signed(_ x: Double) -> String { (x > 0 ? "+" : "") + format.bare(x) }
        if let notLearned { return "\(verdict.rawValue): \(notLearned); difference \(signed(difference))\(unit)" }
        var runs = method == .paired ? "paired over \(nA) seeds" : "Welch, \(nA) and \(nB) seeds"
        // A constant side (compare(x, 0.5)) has no test items: only the other side's are named.
        switch (testItemsA, testItemsB) {
        case (0, 0): break
        case (let a, let b) where a == b || b == 0: runs += ", \(a) test items"
        case (0, let b): runs += ", \(b) test items"
        case (let a, let b): runs += ", \(a) and \(b) test items"
        }
        var s = "\(verdict.rawValue): difference \(signed(difference))\(unit) "
            + "[\(format.bare(interval.lowerBound)), \(format.bare(interval.upperBound))] (95 % CI, \(runs))"
        let m = "\(format.bare(margin))\(unit)"
        switch (claim, verdict) {
        case (_, .inconclusive) where interval.lowerBound == interval.upperBound:
            s += ", no spread to decide on"
        case (.same, .holds): s += ", within the margin ±\(m)"
        case (.same, .doesNotHold): s += ", outside the margin ±\(m)"
        case (.same, _): s += ", not decided against the margin ±\(m)"
        case (.greater, .holds): s += ", above the margin +\(m)"
        case (.greater, .doesNotHold): s += ", below the margin +\(m)"
        case (.less, .holds): s += ", below the margin −\(m)"
        case (.less, .doesNotHold): s += ", above the margin −\(m)"
        default: s += ", margin \(claim == .less ? "−" : "+")\(m)"
        }
        if verdict == .inconclusive, interval.lowerBound < interval.upperBound {
            if let k = seedsToDecide {
                s += "; about \(k) seeds would decide a difference this size"
            } else if seedsCannotDecide {
                s += "; more seeds alone would not decide it: the test set's own error is too large for a difference this size"
            } else {
                s += "; more than \(Self.maxSeeds) seeds would be needed"
            }
        }
        return s
    }
}
