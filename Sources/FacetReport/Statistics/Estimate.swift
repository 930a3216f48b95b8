import Foundation

/// A quantity measured over repeated runs (one value per seed): mean, sample standard deviation
/// and a Student-t confidence interval for the mean.
public struct Estimate: Equatable, Sendable {
    /// One value per run, in seed order.
    public let values: [Double]
    /// The seed of each value (parallel to `values`); comparisons pair runs by these.
    public let seeds: [UInt64]

    public init(values: [Double], seeds: [UInt64]) throws {
        let f = "Estimate"
        try Check.nonEmpty(f, "values", values.count)
        try Check.sameLength(f, "seeds", seeds.count, expected: values.count)
        for (i, v) in values.enumerated() where !v.isFinite { throw ReportError.nonFinite(function: f, what: "values", index: i) }
        self.values = values
        self.seeds = seeds
    }

    public var n: Int { values.count }
    public var mean: Double { values.reduce(0, +) / Double(n) }
    /// Sample standard deviation (n − 1 in the denominator); nil for a single run.
    public var sd: Double? {
        guard n > 1 else { return nil }
        let m = mean
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
    }
    /// Standard error of the mean, sd / √n; nil for a single run.
    public var standardError: Double? { sd.map { $0 / Double(n).squareRoot() } }

    /// The two-sided confidence interval for the mean: mean ± t(1 − α/2, n − 1) · sd / √n (the
    /// same as scipy.stats.t.interval(level, n − 1, mean, sem)); nil for a single run.
    public func interval(level: Double = 0.95) -> ClosedRange<Double>? {
        guard let se = standardError else { return nil }
        let half = StudentT.quantile(0.5 + level / 2, df: Double(n - 1)) * se
        return (mean - half)...(mean + half)
    }

    /// Half the width of the 95 % interval (the "± x" a report prints); nil for a single run.
    public var halfWidth: Double? { interval().map { ($0.upperBound - $0.lowerBound) / 2 } }

    /// "61.2 % ± 1.4 (95 % CI, 3 seeds)"; a single run: "61.2 % (1 seed)".
    public func text(_ format: NumberFormat) -> String {
        let seeds = "\(n) seed\(n == 1 ? "" : "s")"
        guard let h = halfWidth else { return "\(format.spaced(mean)) (\(seeds))" }
        return "\(format.spaced(mean)) ± \(format.bare(h)) (95 % CI, \(seeds))"
    }

    /// "61.2 % ± 1.4", for table cells whose header says the rest.
    public func cell(_ format: NumberFormat) -> String {
        guard let h = halfWidth else { return format.spaced(mean) }
        return "\(format.spaced(mean)) ± \(format.bare(h))"
    }
}

extension NumberFormat {
    /// The value with a spaced percent sign ("61.2 %"), as estimates print.
    func spaced(_ value: Double) -> String {
        let s = string(value)
        return s.hasSuffix("%") ? String(s.dropLast()) + " %" : s
    }
    /// The number alone, in the format's unit (percent points for `.percent`).
    func bare(_ value: Double) -> String {
        let s = string(value)
        return s.hasSuffix("%") ? String(s.dropLast()) : s
    }
}
