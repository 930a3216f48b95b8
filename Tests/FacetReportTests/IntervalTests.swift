import Foundation
import XCTest
@testable import FacetReport

/// Intervals over seeds and test items, against numpy/scipy (scripts/make_interval_fixtures.py,
/// which computes them from the method's definition, not from this code), and by hand.
final class IntervalTests: XCTestCase {
    struct Fixture: Decodable {
        struct EstimateCase: Decodable {
            let items: [[Double]]
            let proportion: Bool
            let mean, seed_variance, test_variance, df: Double
            let interval: [Double]
        }
        struct ComparisonCase: Decodable {
            let a, b: [[Double]]
            let same_items: Bool
            let margin, difference, seed_variance, test_variance, df: Double
            let interval: [Double]
            let verdict: String
            let seeds_to_decide: Int?
        }
        let estimates: [EstimateCase]
        let comparisons: [ComparisonCase]
    }

    func fixture() throws -> Fixture { try JSONDecoder().decode(Fixture.self, from: fixtureData("scipy_intervals.json")) }

    /// An estimate as a metric builds it: per-seed means of the items, the items averaged over seeds.
    static func estimate(_ items: [[Double]], key: String, proportion: Bool) throws -> Estimate {
        let n = items.count, N = items[0].count
        let values = items.map { $0.reduce(0, +) / Double(N) }
        let means = (0..<N).map { j in items.reduce(0) { $0 + $1[j] } / Double(n) }
        return try Estimate(values: values, seeds: (1...UInt64(n)).map { $0 }, tests: [TestSample(key: key, items: means)],
                            range: proportion ? 0...1 : nil)
    }

    func testEstimatesAgainstScipy() throws {
        for (i, c) in try fixture().estimates.enumerated() {
            let e = try Self.estimate(c.items, key: "t", proportion: c.proportion)
            let s = try XCTUnwrap(e.spread)
            XCTAssertEqual(e.mean, c.mean, accuracy: 1e-12, "case \(i)")
            XCTAssertEqual(s.seedVariance, c.seed_variance, accuracy: 1e-14, "case \(i)")
            XCTAssertEqual(s.testVariance, c.test_variance, accuracy: 1e-14, "case \(i)")
            XCTAssertEqual(s.degreesOfFreedom, c.df, accuracy: 1e-9, "case \(i)")
            let iv = try XCTUnwrap(e.interval())
            XCTAssertEqual(iv.lowerBound, c.interval[0], accuracy: 1e-9, "case \(i)")
            XCTAssertEqual(iv.upperBound, c.interval[1], accuracy: 1e-9, "case \(i)")
            if c.proportion { XCTAssertTrue(iv.lowerBound >= 0 && iv.upperBound <= 1, "a proportion's interval stays in [0, 1]") }
        }
    }

    func testComparisonsAndSeedsToDecideAgainstScipy() throws {
        for (i, c) in try fixture().comparisons.enumerated() {
            let a = try Self.estimate(c.a, key: "items", proportion: true)
            let b = try Self.estimate(c.b, key: c.same_items ? "items" : "other items", proportion: true)
            let r = try Comparison(a, b, claim: .greater, margin: c.margin)
            XCTAssertEqual(r.method, .paired)
            XCTAssertEqual(r.difference, c.difference, accuracy: 1e-12, "case \(i)")
            XCTAssertEqual(r.spread.seedVariance, c.seed_variance, accuracy: 1e-14, "case \(i)")
            XCTAssertEqual(r.spread.testVariance, c.test_variance, accuracy: 1e-14, "case \(i)")
            XCTAssertEqual(r.degreesOfFreedom, c.df, accuracy: 1e-9, "case \(i)")
            XCTAssertEqual(r.interval.lowerBound, c.interval[0], accuracy: 1e-9, "case \(i)")
            XCTAssertEqual(r.interval.upperBound, c.interval[1], accuracy: 1e-9, "case \(i)")
            XCTAssertEqual(r.verdict.rawValue, c.verdict, "case \(i)")
            XCTAssertEqual(r.seedsToDecide, c.seeds_to_decide, "case \(i)")
        }
    }

    /// By hand: two seeds × four items. Items [1, 1, 0, 1] and [1, 0, 0, 1]: per-seed 0.75 and 0.5,
    /// seeds' variance var([0.75, 0.5]) / 2 = 0.03125 / 2 = 0.015625; item means [1, 0.5, 0, 1],
    /// variance var(·) / 4 = (0.229167) / 4 = 0.0572917; total 0.0729167.
    func testVarianceComponentsByHand() throws {
        let e = try Self.estimate([[1, 1, 0, 1], [1, 0, 0, 1]], key: "k", proportion: false)
        let s = try XCTUnwrap(e.spread)
        XCTAssertEqual(s.seedVariance, 0.015625, accuracy: 1e-15)
        XCTAssertEqual(s.testVariance, 0.6875 / 3 / 4, accuracy: 1e-15)
        XCTAssertEqual(s.variance, 0.015625 + 0.6875 / 12, accuracy: 1e-15)
        // Satterthwaite: V² / (Vs²/1 + Vt²/3).
        let v = 0.015625 + 0.6875 / 12
        XCTAssertEqual(s.degreesOfFreedom, v * v / (0.015625 * 0.015625 + (0.6875 / 12) * (0.6875 / 12) / 3), accuracy: 1e-12)
    }

    /// A quick-profile precision with a wide spread ("65.8 % ± 135.3" before) stays inside [0, 100 %].
    func testBoundedIntervalsStayInRange() throws {
        let e = try Estimate(values: [0.2, 0.95, 0.9], seeds: [1, 2, 3], range: 0...1)
        let i = try XCTUnwrap(e.interval())
        XCTAssertGreaterThan(i.lowerBound, 0)
        XCTAssertLessThan(i.upperBound, 1)
        XCTAssertFalse(e.text(.percent(1)).contains("-"), e.text(.percent(1)))
        let plain = try Estimate(values: [0.2, 0.95, 0.9], seeds: [1, 2, 3])
        XCTAssertLessThan(plain.interval()!.lowerBound, 0, "without a range the t interval leaves [0, 1]")
        let cut = try Estimate(values: [1, 40, 3], seeds: [1, 2, 3], range: 0...180)
        XCTAssertEqual(cut.interval()!.lowerBound, 0, "a bounded metric is cut at its range")
    }

    /// Arithmetic keeps the test items: a − b on the same items pairs them, a scale scales them.
    func testArithmeticCombinesTestItems() throws {
        let a = try Self.estimate([[1, 1, 0, 1], [1, 0, 0, 1]], key: "k", proportion: true)
        let b = try Self.estimate([[1, 0, 0, 1], [0, 0, 0, 1]], key: "k", proportion: true)
        let d = try a.combined(b, 1, -1)
        XCTAssertEqual(d.values, [0.25, 0.25])
        XCTAssertEqual(d.tests.count, 1)
        XCTAssertEqual(d.tests[0].items, [0.5, 0.5, 0, 0])
        XCTAssertEqual(d.range, -1...1)
        let other = try Self.estimate([[1, 0, 0, 1], [0, 0, 0, 1]], key: "other", proportion: true)
        XCTAssertEqual(try a.combined(other, 1, -1).tests.count, 2, "different test sets stay independent")
        XCTAssertEqual(try a.combined(nil, 100, 0).tests[0].items, [100, 50, 0, 100])
    }

    /// Against a constant (an estimate without test items) the text names only the other side's
    /// test items: "900 and 0 test items" read as if the constant had an empty test set.
    func testAConstantSideHasNoTestItemsInTheText() throws {
        let a = try Self.estimate([[1, 1, 0, 1], [1, 0, 0, 1], [1, 1, 1, 0]], key: "k", proportion: true)
        let half = try Estimate(values: [0.5, 0.5, 0.5], seeds: [1, 2, 3])
        let text = try Comparison(a, half, margin: 0.01).text(.percent(1))
        XCTAssertTrue(text.contains("paired over 3 seeds, 4 test items)"), text)
        XCTAssertTrue(try Comparison(half, a, margin: 0.01).text(.percent(1)).contains("paired over 3 seeds, 4 test items)"))
        let other = try Self.estimate([[1, 0, 0], [0, 0, 1], [1, 1, 1]], key: "other", proportion: true)
        XCTAssertTrue(try Comparison(a, other, margin: 0.01).text(.percent(1)).contains("4 and 3 test items"))
    }

    /// Seeds to decide: an effect of 3 points with a seed sd of 3 points and no test items needs
    /// more seeds; a test set too small for the effect cannot be decided by seeds at all.
    func testSeedsToDecide() throws {
        let a = try Estimate(values: [0.53, 0.50, 0.56], seeds: [1, 2, 3])
        let b = try Estimate(values: [0.50, 0.50, 0.50], seeds: [1, 2, 3])
        let c = try Comparison(a, b, margin: 0)
        XCTAssertEqual(c.verdict, .inconclusive)
        let k = try XCTUnwrap(c.seedsToDecide)
        XCTAssertGreaterThan(k, 3)
        // At k seeds the t interval 0.03 ± t(k−1)·0.03/√k lies above 0; at k − 1 it does not.
        func lower(_ n: Int) -> Double { 0.03 - StudentT.quantile(0.975, df: Double(n - 1)) * 0.03 / Double(n).squareRoot() }
        XCTAssertGreaterThan(lower(k), 0)
        XCTAssertLessThanOrEqual(lower(k - 1), 0)
        XCTAssertTrue(c.text(.percent(1)).contains("about \(k) seeds would decide a difference this size"), c.text(.percent(1)))

        let x = try Self.estimate([[1, 0, 1, 0, 1, 1], [1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 1]], key: "k", proportion: true)
        let y = try Self.estimate([[1, 0, 1, 0, 0, 1], [1, 0, 1, 0, 0, 1], [0, 1, 1, 0, 1, 0]], key: "other", proportion: true)
        let small = try Comparison(x, y, margin: 0.01)
        XCTAssertEqual(small.verdict, .inconclusive)
        XCTAssertNil(small.seedsToDecide)
        XCTAssertTrue(small.seedsCannotDecide)
        XCTAssertTrue(small.text(.percent(1)).contains("more seeds alone would not decide it"), small.text(.percent(1)))
    }
}
