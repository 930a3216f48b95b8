import Foundation

/// Student's t distribution: the CDF through the regularised incomplete beta function and the
/// quantile by bisection-polished Newton steps on it. Accurate to ~1e-12, enough to match
/// scipy.stats.t to 1e-9 on intervals and p-values.
public enum StudentT {
    /// P(T ≤ t) for `df` degrees of freedom (df > 0, may be fractional as in Welch's test).
    public static func cdf(_ t: Double, df: Double) -> Double {
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedBeta(x, a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// Two-sided p-value of a t statistic: P(|T| ≥ |t|).
    public static func twoSidedP(_ t: Double, df: Double) -> Double {
        if t.isNaN { return .nan }
        if t.isInfinite { return 0 }
        return regularizedBeta(df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// The t with P(T ≤ t) = p, for 0 < p < 1 and df > 0; NaN otherwise (callers decide what an
    /// interval without degrees of freedom is, instead of the process stopping).
    public static func quantile(_ p: Double, df: Double) -> Double {
        guard p > 0, p < 1, df > 0, !df.isNaN else { return .nan }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, df: df) }
        // Bracket then bisect to a tight interval; then Newton on the density for the last digits.
        var lo = 0.0, hi = 1.0
        while cdf(hi, df: df) < p { lo = hi; hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-15 * max(1, hi) {
            let mid = 0.5 * (lo + hi)
            if cdf(mid, df: df) < p { lo = mid } else { hi = mid }
        }
        var t = 0.5 * (lo + hi)
        for _ in 0..<3 {
            let f = density(t, df: df)
            guard f > 0 else { break }
            let step = (cdf(t, df: df) - p) / f
            if !step.isFinite || abs(step) > hi - lo + 1e-12 { break }
            t -= step
        }
        return t
    }

    /// The density of t.
    public static func density(_ t: Double, df: Double) -> Double {
        let logC = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        return exp(logC - (df + 1) / 2 * log1p(t * t / df))
    }

    /// I_x(a, b) by its continued fraction (Lentz), using the symmetry for fast convergence.
    static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        let logBack = lgamma(a + b) - lgamma(a) - lgamma(b) + b * log1p(-x) + a * log(x)
        return 1 - exp(logBack) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
