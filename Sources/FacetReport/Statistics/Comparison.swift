import Foundation

/// The outcome of testing a claim "A is greater (or less) than B" on repeated runs.
public enum Verdict: String, Equatable, Sendable {
    case holds = "holds"
    case doesNotHold = "does not hold"
    case inconclusive = "inconclusive"

    /// A finding made of several comparisons: holds when every one holds, does not hold when any
    /// does not hold, inconclusive otherwise.
    public static func all(_ verdicts: [Verdict]) -> Verdict {
        if !verdicts.isEmpty, verdicts.allSatisfy({ $0 == .holds }) { return .holds }
        return verdicts.contains(.doesNotHold) ? .doesNotHold : .inconclusive
    }
}

/// Which side of B the claim puts A on; `same`: A and B are equivalent within the margin.
public enum ClaimedSide: String, Equatable, Sendable {
    case greater, less, same
}

/// The difference A − B of two estimates with its 95 % interval and a t test, and the verdict on
/// a claim about its sign.
///
/// Method: when both estimates have the same seeds in the same order, the runs are paired and the
/// test is a one-sample t test on the per-seed differences (scipy.stats.ttest_rel); otherwise
/// Welch's unequal-variance t test (scipy.stats.ttest_ind(equal_var=False)) with the
/// Welch–Satterthwaite degrees of freedom. The interval is difference ± t(0.975, df) · se.
///
/// Verdict rule (docs/metrics.md): **holds** when the whole interval lies on the claimed side of
/// zero; **does not hold** when it lies entirely on the other side of zero, or entirely inside
/// the equivalence margin [−margin, +margin]; **inconclusive** otherwise. For the claim `same`
/// (A and B are equivalent): holds when the interval lies inside [−margin, +margin], does not hold
/// when it lies entirely outside it, inconclusive otherwise.
public struct Comparison: Equatable, Sendable {
    public enum Method: String, Equatable, Sendable { case paired, welch }

    public let method: Method
    /// mean(A) − mean(B) (for paired runs also the mean of the per-seed differences).
    public let difference: Double
    public let standardError: Double
    public let degreesOfFreedom: Double
    /// difference / standardError (±∞ when the runs do not vary at all and the means differ).
    public let t: Double
    /// Two-sided p-value of `t`.
    public let p: Double
    public let interval: ClosedRange<Double>
    public let claim: ClaimedSide
    public let margin: Double
    public let verdict: Verdict
    /// Runs per side.
    public let nA: Int, nB: Int

    /// Compares A with B. Each side needs at least 2 runs (paired: 2 shared seeds) for an interval.
    public init(_ a: Estimate, _ b: Estimate, claim: ClaimedSide = .greater, margin: Double = 0) throws {
        let f = "Comparison"
        guard margin >= 0, margin.isFinite else {
            throw ReportError.invalidArgument(function: f, message: "the equivalence margin must be a finite number ≥ 0, got \(margin)")
        }
        guard a.n >= 2, b.n >= 2 else {
            throw ReportError.invalidArgument(function: f, message: "each side needs at least 2 runs (seeds) for an interval, got \(a.n) and \(b.n)")
        }
        self.claim = claim
        self.margin = margin
        nA = a.n; nB = b.n
        if a.seeds == b.seeds {
            method = .paired
            let d = try Estimate(values: zip(a.values, b.values).map { $0 - $1 }, seeds: a.seeds)
            difference = d.mean
            standardError = d.standardError!
            degreesOfFreedom = Double(d.n - 1)
        } else {
            method = .welch
            let va = a.sd! * a.sd! / Double(a.n), vb = b.sd! * b.sd! / Double(b.n)
            difference = a.mean - b.mean
            standardError = (va + vb).squareRoot()
            let denominator = va * va / Double(a.n - 1) + vb * vb / Double(b.n - 1)
            // Both sides constant: no spread to estimate; any df gives a zero-width interval.
            degreesOfFreedom = denominator > 0 ? (va + vb) * (va + vb) / denominator : Double(a.n + b.n - 2)
        }
        if standardError > 0 {
            t = difference / standardError
            p = StudentT.twoSidedP(t, df: degreesOfFreedom)
        } else {
            t = difference == 0 ? .nan : (difference > 0 ? .infinity : -.infinity)
            p = difference == 0 ? 1 : 0
        }
        let half = StudentT.quantile(0.975, df: degreesOfFreedom) * standardError
        interval = (difference - half)...(difference + half)
        verdict = Self.verdict(interval, claim: claim, margin: margin)
    }

    /// The three-way rule on an interval of A − B.
    public static func verdict(_ interval: ClosedRange<Double>, claim: ClaimedSide, margin: Double) -> Verdict {
        let (lo, hi) = (interval.lowerBound, interval.upperBound)
        if claim == .same {
            if lo >= -margin && hi <= margin { return .holds }
            if lo > margin || hi < -margin { return .doesNotHold }
            return .inconclusive
        }
        let onClaimedSide = claim == .greater ? lo > 0 : hi < 0
        let onOtherSide = claim == .greater ? hi < 0 : lo > 0
        if onClaimedSide { return .holds }
        if onOtherSide || (lo >= -margin && hi <= margin && margin > 0) { return .doesNotHold }
        return .inconclusive
    }

    /// "holds: +5.7 points [2.1, 9.3] (95 % CI, paired over 3 seeds)".
    public func text(_ format: NumberFormat) -> String {
        let unit: String
        if case .percent = format { unit = " points" } else { unit = "" }
        let sign = difference > 0 ? "+" : ""
        let runs = method == .paired ? "paired over \(nA) seeds" : "Welch, \(nA) and \(nB) seeds"
        var s = "\(verdict.rawValue): difference \(sign)\(format.bare(difference))\(unit) "
            + "[\(format.bare(interval.lowerBound)), \(format.bare(interval.upperBound))] (95 % CI, \(runs))"
        if claim == .same {
            s += verdict == .holds ? ", within" : verdict == .doesNotHold ? ", outside" : ", not decided against"
            s += " the margin ±\(format.bare(margin))\(unit)"
        } else if verdict == .doesNotHold, !(claim == .greater ? interval.upperBound < 0 : interval.lowerBound > 0) {
            s += ", within the margin ±\(format.bare(margin))\(unit)"
        }
        return s
    }
}
