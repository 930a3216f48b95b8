import Foundation

/// The test set's part of an estimate: one contribution per test item, averaged over the seeds,
/// whose mean moves the estimate (for accuracy, each face's share of runs that got it right).
/// Its spread is the finite test set's own sampling error, which no number of seeds removes.
public struct TestSample: Equatable, Sendable {
    /// Which test items, in which order: samples with the same key pair item by item.
    public let key: String
    /// One value per test item (the per-seed contributions averaged over the seeds).
    public let items: [Double]

    public init(key: String, items: [Double]) { self.key = key; self.items = items }

    public var count: Int { items.count }
    /// s²(items) / N: the variance of the estimate that drawing another test set of this size
    /// would bring (0 for fewer than 2 items).
    public var variance: Double {
        guard items.count > 1 else { return 0 }
        let m = items.reduce(0, +) / Double(items.count)
        return items.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(items.count - 1) / Double(items.count)
    }

    /// Item-wise a·x + b·y over samples of the same test items.
    static func combine(_ a: [TestSample], _ b: [TestSample], _ fa: Double, _ fb: Double) -> [TestSample] {
        var out = a.map { TestSample(key: $0.key, items: $0.items.map { fa * $0 }) }
        for s in b {
            if let i = out.firstIndex(where: { $0.key == s.key && $0.count == s.count }) {
                out[i] = TestSample(key: s.key, items: zip(out[i].items, s.items).map { $0 + fb * $1 })
            } else {
                out.append(TestSample(key: s.key, items: s.items.map { fb * $0 }))
            }
        }
        return out
    }
}

/// How uncertain an estimate (or a difference) is: the seeds' variance of the mean, each test
/// set's variance, and Welch–Satterthwaite degrees of freedom for their sum.
public struct Spread: Equatable, Sendable {
    /// s² / n over the seeds (paired differences: of the per-seed differences; Welch: the sum).
    public let seedVariance: Double
    public let seedDegreesOfFreedom: Double
    /// Σ s²(items) / N over the independent test sets.
    public let testVariance: Double
    public let testDegreesOfFreedom: [Double]
    public let testVariances: [Double]

    public init(seedVariance: Double, seedDegreesOfFreedom: Double, tests: [TestSample]) {
        self.seedVariance = seedVariance
        self.seedDegreesOfFreedom = seedDegreesOfFreedom
        testVariances = tests.map(\.variance)
        testDegreesOfFreedom = tests.map { Double(max($0.count - 1, 1)) }
        testVariance = testVariances.reduce(0, +)
    }

    public var variance: Double { seedVariance + testVariance }
    public var standardError: Double { variance.squareRoot() }
    /// Satterthwaite (1946): (Σ vₖ)² / Σ vₖ²/dfₖ; with no variance at all, the seeds' df.
    public var degreesOfFreedom: Double {
        let parts = [(seedVariance, seedDegreesOfFreedom)] + Array(zip(testVariances, testDegreesOfFreedom))
        let denominator = parts.reduce(0) { $0 + ($1.1 > 0 ? $1.0 * $1.0 / $1.1 : 0) }
        return denominator > 0 ? variance * variance / denominator : seedDegreesOfFreedom
    }
    /// The spread the same comparison would have with `seeds` seeds instead (the seeds' part
    /// shrinks as 1/n, the test sets' part stays).
    func with(seeds n: Int, from current: Int) -> Spread {
        Spread(seedVariance: seedVariance * Double(current) / Double(n), seedDegreesOfFreedom: Double(n - 1),
               testVariances: testVariances, testDegreesOfFreedom: testDegreesOfFreedom)
    }
    private init(seedVariance: Double, seedDegreesOfFreedom: Double, testVariances: [Double], testDegreesOfFreedom: [Double]) {
        self.seedVariance = seedVariance; self.seedDegreesOfFreedom = seedDegreesOfFreedom
        self.testVariances = testVariances; self.testDegreesOfFreedom = testDegreesOfFreedom
        testVariance = testVariances.reduce(0, +)
    }

    /// The interval value ± t(0.5 + level/2, df) · se; inside `range` by the logit scale when the
    /// range is [0, 1] (a proportion), else cut at the range.
    func interval(around value: Double, level: Double, range: ClosedRange<Double>?) -> ClosedRange<Double> {
        let t = StudentT.quantile(0.5 + level / 2, df: degreesOfFreedom)
        let half = t * standardError
        // No usable spread (non-finite parts): no width, which decides nothing.
        guard half.isFinite, value.isFinite else { return value.isFinite ? value...value : 0...0 }
        if range == 0...1, value > 0, value < 1, half > 0 {
            let logit = log(value / (1 - value)), h = half / (value * (1 - value))
            func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
            return expit(logit - h)...expit(logit + h)
        }
        var lo = value - half, hi = value + half
        if let range { lo = min(max(lo, range.lowerBound), range.upperBound); hi = max(min(hi, range.upperBound), range.lowerBound) }
        return lo...hi
    }
}

/// A quantity measured over repeated runs (one value per seed), possibly on a finite test set:
/// mean, sample standard deviation and a 95 % interval that covers both sources of chance.
///
/// Method (docs/metrics.md, "Intervals"): the variance of the mean is the seeds' s²/n plus, for
/// every test set the metric averages over, s²/N of its per-item contributions averaged over
/// the seeds — the two one-way components of a seeds × test-items crossed design (slightly
/// conservative: their interaction is counted in both) — with Welch–Satterthwaite degrees of
/// freedom. A proportion's interval is formed on the logit scale so it stays inside [0, 1]; other
/// bounded metrics are cut at their range. Without a test sample (numbers given by hand, weight
/// similarities) it is the Student-t interval over the seeds, as scipy.stats.t.interval gives.
public struct Estimate: Equatable, Sendable {
    /// One value per run, in seed order.
    public let values: [Double]
    /// The seed of each value (parallel to `values`); comparisons pair runs by these.
    public let seeds: [UInt64]
    /// The test sets the values average over (none: the seeds are the only source of chance).
    public let tests: [TestSample]
    /// The values a single run can take (0...1 for proportions); intervals stay inside it.
    public let range: ClosedRange<Double>?

    public init(values: [Double], seeds: [UInt64], tests: [TestSample] = [], range: ClosedRange<Double>? = nil) throws {
        let f = "Estimate"
        try Check.nonEmpty(f, "values", values.count)
        try Check.sameLength(f, "seeds", seeds.count, expected: values.count)
        for (i, v) in values.enumerated() where !v.isFinite { throw ReportError.nonFinite(function: f, what: "values", index: i) }
        for t in tests { try Check.finite(f, "test items", t.items) }
        self.values = values
        self.seeds = seeds
        self.tests = tests
        self.range = range
    }

    public var n: Int { values.count }
    public var mean: Double { values.reduce(0, +) / Double(n) }
    /// Sample standard deviation over the seeds (n − 1 in the denominator); nil for a single run.
    public var sd: Double? {
        guard n > 1 else { return nil }
        let m = mean
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
    }
    /// Standard error of the mean over the seeds alone, sd / √n; nil for a single run.
    public var standardError: Double? { sd.map { $0 / Double(n).squareRoot() } }

    /// Both sources of chance; nil for a single run (no seed spread to estimate).
    public var spread: Spread? {
        guard let se = standardError else { return nil }
        return Spread(seedVariance: se * se, seedDegreesOfFreedom: Double(n - 1), tests: tests)
    }

    /// The two-sided confidence interval for the mean (method above); nil for a single run.
    public func interval(level: Double = 0.95) -> ClosedRange<Double>? {
        spread?.interval(around: mean, level: level, range: range)
    }

    /// Half the width of the 95 % interval; nil for a single run.
    public var halfWidth: Double? { interval().map { ($0.upperBound - $0.lowerBound) / 2 } }

    /// Test items counted in the interval (all test sets).
    public var testItems: Int { tests.reduce(0) { $0 + $1.count } }

    /// What the interval covers: "3 seeds" or "3 seeds, 151 test faces".
    public var sources: String {
        let seeds = "\(n) seed\(n == 1 ? "" : "s")"
        return tests.isEmpty ? seeds : seeds + ", \(testItems) test items"
    }

    /// How the interval was formed, for results.json.
    public var method: String {
        if n < 2 { return "single run: no interval" }
        if tests.isEmpty { return "Student t over seeds" + (range != nil ? ", cut at the metric's range" : "") }
        return "seeds + test items (crossed-design variance, Welch-Satterthwaite df)"
            + (range == 0...1 ? ", logit scale" : range != nil ? ", cut at the metric's range" : "")
    }

    /// "61.2 % [57.0, 65.3] (95 % CI, 3 seeds, 151 test items)"; a single run: "61.2 % (1 seed)".
    public func text(_ format: NumberFormat) -> String {
        guard interval() != nil else { return "\(format.spaced(mean)) (\(sources))" }
        return "\(cell(format)) (95 % CI, \(sources))"
    }

    /// "61.2 % [57.0, 65.3]", for table cells whose header says the rest.
    public func cell(_ format: NumberFormat) -> String {
        guard let i = interval() else { return format.spaced(mean) }
        return "\(format.spaced(mean)) [\(format.bare(i.lowerBound)), \(format.bare(i.upperBound))]"
    }

    /// The per-seed values: "41.1, 44.4, 43.0 (seeds 1, 2, 3)".
    public func perSeed(_ format: NumberFormat) -> String {
        values.map { format.bare($0) }.joined(separator: ", ") + " (seed\(n == 1 ? "" : "s") "
            + seeds.map(String.init).joined(separator: ", ") + ")"
    }

    // MARK: arithmetic seed by seed (same seeds)

    /// a·self + b·other + c, seed by seed; the test samples combine item by item where they are
    /// the same test set. The range follows when it can be bounded.
    public func combined(_ other: Estimate?, _ fa: Double, _ fb: Double, constant c: Double = 0) throws -> Estimate {
        let theirs = other?.values ?? values.map { _ in 0 }
        let values = zip(self.values, theirs).map { fa * $0 + fb * $1 + c }
        var range: ClosedRange<Double>?
        if let r = self.range, other == nil || other?.range != nil {
            func ends(_ r: ClosedRange<Double>, _ f: Double) -> ClosedRange<Double> {
                let a = f * r.lowerBound, b = f * r.upperBound
                return Swift.min(a, b)...Swift.max(a, b)
            }
            let a = ends(r, fa), b = other.map { ends($0.range!, fb) } ?? 0...0
            range = (a.lowerBound + b.lowerBound + c)...(a.upperBound + b.upperBound + c)
        }
        return try Estimate(values: values, seeds: seeds, tests: TestSample.combine(tests, other?.tests ?? [], fa, fb), range: range)
    }
}

extension NumberFormat {
    /// The value with a spaced percent sign ("61.2 %"), as estimates print.
    func spaced(_ value: Double) -> String {
        let s = string(value)
        return s.hasSuffix("%") ? String(s.dropLast()) + " %" : s
    }
    /// The number alone, in the format's unit (percent points for `.percent`).
    public func bare(_ value: Double) -> String {
        let s = string(value)
        return s.hasSuffix("%") ? String(s.dropLast()) : s
    }
}
