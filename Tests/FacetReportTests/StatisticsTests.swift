import Foundation
import XCTest
@testable import FacetReport

/// Estimates over seeds and three-way comparisons: hand-worked examples, then scipy.stats
/// reference values (scripts/make_stats_fixtures.py) within 1e-9.
final class StatisticsTests: XCTestCase {
    // MARK: hand-worked

    /// [0.60, 0.62, 0.64]: mean 0.62, sd 0.02, se 0.02/√3, t(0.975, 2) = 4.302652729…,
    /// half-width 0.0496828 → "62.0 % [57.0, 67.0]" (no test items, no range: the plain t interval).
    func testEstimateOfThreeSeeds() throws {
        let e = try Estimate(values: [0.60, 0.62, 0.64], seeds: [1, 2, 3])
        XCTAssertEqual(e.mean, 0.62, accuracy: 1e-12)
        XCTAssertEqual(e.sd!, 0.02, accuracy: 1e-12)
        XCTAssertEqual(e.halfWidth!, 4.302652729696 * 0.02 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(e.text(.percent(1)), "62.0 % [57.0, 67.0] (95 % CI, 3 seeds)")
        XCTAssertEqual(e.cell(.fixed(3)), "0.620 [0.570, 0.670]")
        XCTAssertEqual(e.perSeed(.percent(1)), "60.0, 62.0, 64.0 (seeds 1, 2, 3)")
    }

    func testSingleRunHasNoInterval() throws {
        let e = try Estimate(values: [0.612], seeds: [1])
        XCTAssertNil(e.sd)
        XCTAssertNil(e.interval())
        XCTAssertEqual(e.text(.percent(1)), "61.2 % (1 seed)")
    }

    func testEstimateRefusesBadInput() {
        assertThrowsReportError(try Estimate(values: [], seeds: []), containing: "is empty")
        assertThrowsReportError(try Estimate(values: [1, 2], seeds: [1]), containing: "seeds has 1 elements, expected 2")
        assertThrowsReportError(try Estimate(values: [1, .nan], seeds: [1, 2]), containing: "not a finite number")
    }

    /// A = [0.70, 0.72, 0.74], B = [0.60, 0.63, 0.65] on the same seeds: differences
    /// [0.10, 0.09, 0.09], mean 0.09333, sd 0.0057735, se 0.0033333, half 4.302653 × se = 0.014342
    /// → [0.07899, 0.10768], entirely above the margin 0.01: the claim A > B holds; A < B does not.
    func testPairedComparisonByHand() throws {
        let a = try Estimate(values: [0.70, 0.72, 0.74], seeds: [1, 2, 3])
        let b = try Estimate(values: [0.60, 0.63, 0.65], seeds: [1, 2, 3])
        let c = try Comparison(a, b, claim: .greater, margin: 0.01)
        XCTAssertEqual(c.method, .paired)
        XCTAssertEqual(c.difference, 0.093333333333, accuracy: 1e-9)
        XCTAssertEqual(c.standardError, 0.0033333333333, accuracy: 1e-9)
        XCTAssertEqual(c.interval.lowerBound, 0.0789911575677, accuracy: 1e-9)
        XCTAssertEqual(c.interval.upperBound, 0.1076755090990, accuracy: 1e-9)
        XCTAssertEqual(c.verdict, .holds)
        XCTAssertEqual(try Comparison(a, b, claim: .less).verdict, .doesNotHold)
        XCTAssertEqual(c.text(.percent(1)), "holds: difference +9.3 points [7.9, 10.8] (95 % CI, paired over 3 seeds), above the margin +1.0 points")
    }

    /// A = [1, 2, 3] (seeds 1–3), B = [2, 4, 6, 8] (seeds 1–4): not paired. Variances of the means
    /// 1/3 and 5/3, se = √2, t = −3/√2 = −2.12132, df = 4 / (1/18 + 25/27) = 4.075472.
    func testWelchComparisonByHand() throws {
        let a = try Estimate(values: [1, 2, 3], seeds: [1, 2, 3])
        let b = try Estimate(values: [2, 4, 6, 8], seeds: [1, 2, 3, 4])
        let c = try Comparison(a, b, claim: .less)
        XCTAssertEqual(c.method, .welch)
        XCTAssertEqual(c.difference, -3)
        XCTAssertEqual(c.standardError, 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(c.t, -3 / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(c.degreesOfFreedom, 4 / (1.0 / 18 + 25.0 / 27), accuracy: 1e-12)
        // The interval reaches above 0: the claim A < B cannot be decided from these runs.
        XCTAssertEqual(c.verdict, .inconclusive)
    }

    /// The rule on intervals, clauses in order: no width never decides; greater holds only beyond
    /// +margin and does not hold entirely below +margin; straddling is inconclusive.
    func testVerdictRule() {
        XCTAssertEqual(Comparison.verdict(0.011...0.05, claim: .greater, margin: 0.01), .holds)
        XCTAssertEqual(Comparison.verdict(0.01...0.05, claim: .greater, margin: 0.01), .inconclusive, "touching the margin is not beyond it")
        XCTAssertEqual(Comparison.verdict(0.003...0.008, claim: .greater, margin: 0.01), .doesNotHold, "above 0 but inside the margin")
        XCTAssertEqual(Comparison.verdict(0.004...0.004, claim: .greater, margin: 0.01), .inconclusive, "zero width never decides")
        XCTAssertEqual(Comparison.verdict(0.5...0.5, claim: .greater, margin: 0.01), .inconclusive, "zero width never decides")
        XCTAssertEqual(Comparison.verdict(0.5...0.5, claim: .same, margin: 0.01), .inconclusive, "zero width never decides")
        XCTAssertEqual(Comparison.verdict(-0.05...(-0.01), claim: .greater, margin: 0.01), .doesNotHold)
        XCTAssertEqual(Comparison.verdict(-0.005...0.008, claim: .greater, margin: 0.01), .doesNotHold)
        XCTAssertEqual(Comparison.verdict(-0.005...0.008, claim: .greater, margin: 0), .inconclusive)
        XCTAssertEqual(Comparison.verdict(-0.02...0.03, claim: .greater, margin: 0.01), .inconclusive)
        XCTAssertEqual(Comparison.verdict(-0.05...(-0.01), claim: .less, margin: 0), .holds)
        XCTAssertEqual(Comparison.verdict(0.01...0.05, claim: .less, margin: 0), .doesNotHold)
        XCTAssertEqual(Comparison.verdict(-0.05...(-0.011), claim: .less, margin: 0.01), .holds)
        XCTAssertEqual(Comparison.verdict(-0.008...(-0.003), claim: .less, margin: 0.01), .doesNotHold)
        XCTAssertEqual(Comparison.verdict(-0.05...0.0, claim: .less, margin: 0.01), .inconclusive)
    }

    /// The claim "same": inside the margin holds, entirely outside does not, straddling is open.
    func testEquivalenceClaimAndCombinedFindings() {
        XCTAssertEqual(Comparison.verdict(-0.005...0.008, claim: .same, margin: 0.01), .holds)
        XCTAssertEqual(Comparison.verdict(0.02...0.05, claim: .same, margin: 0.01), .doesNotHold)
        XCTAssertEqual(Comparison.verdict(-0.05...(-0.02), claim: .same, margin: 0.01), .doesNotHold)
        XCTAssertEqual(Comparison.verdict(-0.005...0.03, claim: .same, margin: 0.01), .inconclusive)
        XCTAssertEqual(Verdict.all([.holds, .holds]), .holds)
        XCTAssertEqual(Verdict.all([.holds, .inconclusive]), .inconclusive)
        XCTAssertEqual(Verdict.all([.inconclusive, .doesNotHold, .holds]), .doesNotHold)
        XCTAssertEqual(Verdict.all([]), .inconclusive)
        XCTAssertEqual(Verdict.all([.holds, .notDecided, .doesNotHold]), .notDecided, "a finding with an undecided part is not decided")
    }

    /// A side that did not learn makes the comparison not decided, whatever the interval says.
    func testNotLearnedIsNotDecided() throws {
        let a = try Estimate(values: [0.70, 0.72, 0.74], seeds: [1, 2, 3])
        let b = try Estimate(values: [0.20, 0.21, 0.20], seeds: [1, 2, 3])
        let c = try Comparison(a, b, margin: 0.01, notLearned: "‘b’ did not learn (seeds 1, 3)")
        XCTAssertEqual(c.verdict, .notDecided)
        XCTAssertTrue(c.text(.percent(1)).hasPrefix("not decided: ‘b’ did not learn (seeds 1, 3); difference +51.7 points"), c.text(.percent(1)))
        XCTAssertEqual(try Comparison(a, b, margin: 0.01).verdict, .holds)
    }

    /// The example: [0.503, 0.504, 0.505] against a constant 0.5 with a one-point margin
    /// lies above 0 but inside the margin: not "holds".
    func testSmallDifferenceInsideTheMarginDoesNotHold() throws {
        let a = try Estimate(values: [0.503, 0.504, 0.505], seeds: [1, 2, 3], range: 0...1)
        let b = try Estimate(values: [0.5, 0.5, 0.5], seeds: [1, 2, 3], range: 0...1)
        let c = try Comparison(a, b, margin: 0.01)
        XCTAssertGreaterThan(c.interval.lowerBound, 0)
        XCTAssertEqual(c.verdict, .doesNotHold)
        XCTAssertTrue(c.text(.percent(1)).contains("below the margin +1.0 points"), c.text(.percent(1)))
    }

    /// Identical per-seed differences give a zero-width interval, which decides nothing.
    func testIdenticalDifferencesAreInconclusive() throws {
        let a = try Estimate(values: [0.5, 0.6, 0.7], seeds: [1, 2, 3])
        let c = try Comparison(a, a, claim: .greater, margin: 0.01)
        XCTAssertEqual(c.interval, 0...0)
        XCTAssertEqual(c.verdict, .inconclusive)
        let shifted = try Comparison(try a.combined(nil, 1, 0, constant: 0.2), a, claim: .greater, margin: 0.01)
        XCTAssertEqual(shifted.interval.lowerBound, shifted.interval.upperBound, accuracy: 1e-12)
        XCTAssertEqual(shifted.verdict, .inconclusive, "+20 points in every seed, but no spread to decide on")
        XCTAssertTrue(shifted.text(.percent(1)).contains("no spread to decide on"), shifted.text(.percent(1)))
    }

    func testComparisonRefusesTooFewRunsAndBadMargin() throws {
        let one = try Estimate(values: [0.5], seeds: [1]), two = try Estimate(values: [0.5, 0.6], seeds: [1, 2])
        assertThrowsReportError(try Comparison(one, two), containing: "at least 2 runs")
        assertThrowsReportError(try Comparison(two, two, margin: -1), containing: "margin must be")
    }

    /// Bars of estimates carry their interval as an error bar (a vertical line and two caps),
    /// and the axis reaches the top of the highest interval.
    func testBarChartDrawsErrorBars() throws {
        let plain = try SVG.barChart(categories: ["a", "b"], series: [Series(name: "acc", values: [0.5, 0.7])], title: "t")
        let svg = try SVG.barChart(categories: ["a", "b"], series: [Series(name: "acc", values: [0.5, 0.7])], title: "t",
                                   intervals: [[0.4...0.6, nil]])
        XCTAssertEqual((svgElementCounts(svg)["line"] ?? 0) - (svgElementCounts(plain)["line"] ?? 0), 3)
        let big = try SVG.barChart(categories: ["a"], series: [Series(name: "mse", values: [1.5])], title: "t",
                                   format: .fixed(1), intervals: [[1.0...2.6]])
        XCTAssertTrue(big.contains(">3.0</text>") || big.contains(">3</text>"), "axis reaches the interval's top")
        assertThrowsReportError(try SVG.barChart(categories: ["a"], series: [Series(name: "s", values: [1])], title: "",
                                                 intervals: [[nil, nil]]), containing: "intervals of \"s\" has 2 elements")
    }

    // MARK: scipy.stats

    struct Fixture: Decodable {
        struct Quantile: Decodable { let p, df, t: Double }
        struct CDF: Decodable { let t, df, cdf, two_sided_p: Double }
        struct Mean: Decodable { let values: [Double]; let mean, sd: Double; let interval: [Double] }
        struct Test: Decodable { let a, b: [Double]; let difference, t, p, df: Double; let interval: [Double] }
        let quantiles: [Quantile]
        let cdfs: [CDF]
        let means: [Mean]
        let paired, welch: [Test]
    }

    func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: fixtureData("scipy_statistics.json"))
    }

    func testStudentTAgainstScipy() throws {
        let f = try fixture()
        for q in f.quantiles {
            XCTAssertEqual(StudentT.quantile(q.p, df: q.df), q.t, accuracy: 1e-9 * max(1, abs(q.t)), "t.ppf(\(q.p), \(q.df))")
        }
        for c in f.cdfs {
            XCTAssertEqual(StudentT.cdf(c.t, df: c.df), c.cdf, accuracy: 1e-12, "t.cdf(\(c.t), \(c.df))")
            XCTAssertEqual(StudentT.twoSidedP(c.t, df: c.df), c.two_sided_p, accuracy: 1e-12, "p(\(c.t), \(c.df))")
        }
    }

    func testIntervalsOfMeansAgainstScipy() throws {
        for m in try fixture().means {
            let e = try Estimate(values: m.values, seeds: (1...UInt64(m.values.count)).map { $0 })
            XCTAssertEqual(e.mean, m.mean, accuracy: 1e-12)
            XCTAssertEqual(e.sd!, m.sd, accuracy: 1e-12)
            XCTAssertEqual(e.interval()!.lowerBound, m.interval[0], accuracy: 1e-9)
            XCTAssertEqual(e.interval()!.upperBound, m.interval[1], accuracy: 1e-9)
        }
    }

    func testPairedAndWelchTestsAgainstScipy() throws {
        let f = try fixture()
        for (tests, paired) in [(f.paired, true), (f.welch, false)] {
            for r in tests {
                let a = try Estimate(values: r.a, seeds: (1...UInt64(r.a.count)).map { $0 })
                // Welch fixtures get disjoint seeds so the runs are not paired.
                let b = try Estimate(values: r.b, seeds: (1...UInt64(r.b.count)).map { paired ? $0 : $0 + 100 })
                let c = try Comparison(a, b)
                XCTAssertEqual(c.method, paired ? .paired : .welch)
                XCTAssertEqual(c.difference, r.difference, accuracy: 1e-12)
                XCTAssertEqual(c.t, r.t, accuracy: 1e-9 * max(1, abs(r.t)))
                XCTAssertEqual(c.p, r.p, accuracy: 1e-9)
                XCTAssertEqual(c.degreesOfFreedom, r.df, accuracy: 1e-9)
                XCTAssertEqual(c.interval.lowerBound, r.interval[0], accuracy: 1e-9)
                XCTAssertEqual(c.interval.upperBound, r.interval[1], accuracy: 1e-9)
            }
        }
    }
}
