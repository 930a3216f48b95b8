import FacetWeights
import Foundation
import XCTest
import FacetLang
import FacetReport
@testable import FacetSession
import FacetResults
@testable import FacetNotebook
import FacetTestSupport
import FacetCache

/// `train(..., seeds:)`, metrics over runs as estimates, and `compare` with its three verdicts.
final class SeedsTests: XCTestCase {
    private func session() throws -> (Session, () -> [String]) {
        let s = try Session(progress: .quiet)
        var out: [String] = []
        s.sink = { item in
            switch item {
            case let .text(t), let .markdown(t): out.append(t)
            default: break
            }
        }
        return (s, { out })
    }

    private static let tiny = """
    let faces = synthetic(n: 200, seed: 2) | split(0.6, 0.2, 0.2) | gcn
    net tiny(classes = 2, width = 2) {
      input 48x48x1
      conv width 5x5 relu
      maxpool 4x4 stride 4
      softmax classes
    }
    """

    private func global<T>(_ s: Session, _ name: String, as: T.Type) throws -> T {
        try XCTUnwrap(s.interpreter.globals.lookup(name).flatMap { v -> T? in
            if case let .foreign(f) = v { return f as? T } else { return nil }
        }, name)
    }

    /// The done-when of issue 14: three seeds in one call, accuracy printed as an estimate whose
    /// values are the accuracies of the three runs one by one.
    func testThreeSeedsInOneCallGiveAccuracyAsAnEstimate() throws {
        let (s, out) = try session()
        try s.run(Self.tiny + """

        let runs = train(tiny(), faces.gender, epochs: 2, batch: 20, seeds: 3)
        let acc = accuracy(runs, faces.test.gender)
        print(acc)
        let singles = [accuracy(runs.runs[0], faces.test.gender), accuracy(runs.runs[1], faces.test.gender),
                       accuracy(runs.runs[2], faces.test.gender)]
        """, name: "t")
        let printed = try XCTUnwrap(out().last { $0.contains("CI") })
        XCTAssertNotNil(printed.range(of: #"^\d+\.\d % \[\d+\.\d, \d+\.\d\] \(95 % CI, 3 seeds, 40 test items\)( — did not learn: seeds? [\d, ]+)?\n?$"#,
                                      options: .regularExpression), printed)
        let acc = try global(s, "acc", as: EstimateValue.self)
        XCTAssertEqual(acc.estimate.seeds, [1, 2, 3])
        guard case let .list(singles)? = s.interpreter.globals.lookup("singles") else { return XCTFail("singles") }
        XCTAssertEqual(acc.estimate.values, singles.map { if case let .number(x) = $0 { return x } else { return .nan } })
        // Distinct seeds give distinct starting weights.
        let runs = try global(s, "runs", as: RunsValue.self)
        let w0 = runs.runs[0].network.network.weightEntries.first!.1, w1 = runs.runs[1].network.network.weightEntries.first!.1
        XCTAssertNotEqual(w0.values, w1.values)
    }

    /// The same seeds give the same runs (in a new session too); the session's own seed stream is
    /// not advanced by a seeds: call.
    func testSeedsAreReproducible() throws {
        var values: [[Double]] = []
        for _ in 0..<2 {
            let (s, _) = try session()
            try s.run(Self.tiny, name: "t")
            let streams = s.randomStreams
            try s.run("let acc = accuracy(train(tiny(), faces.gender, epochs: 1, batch: 20, seeds: [7, 8]), faces.test.gender)", name: "t")
            values.append(try global(s, "acc", as: EstimateValue.self).estimate.values)
            XCTAssertEqual(s.randomStreams, streams, "seeds: draws nothing from the session's stream")
        }
        XCTAssertEqual(values[0], values[1])
    }

    /// Two configurations that differ only by seed: never "holds", whichever side is claimed,
    /// paired (the same seeds) or not (other seeds).
    func testConfigurationsDifferingOnlyBySeedNeverHold() throws {
        let (s, _) = try session()
        try s.run(Self.tiny + """

        let a = accuracy(train(tiny(), faces.gender, epochs: 2, batch: 20, seeds: [1, 2, 3]), faces.test.gender)
        let same = accuracy(train(tiny(), faces.gender, epochs: 2, batch: 20, seeds: [1, 2, 3]), faces.test.gender)
        let other = accuracy(train(tiny(), faces.gender, epochs: 2, batch: 20, seeds: [4, 5, 6]), faces.test.gender)
        let verdicts = [compare(a, same), compare(a, same, claim: "less"), compare(a, other), compare(a, other, claim: "less")]
        """, name: "t")
        guard case let .list(verdicts)? = s.interpreter.globals.lookup("verdicts") else { return XCTFail("verdicts") }
        let comparisons = verdicts.compactMap { v -> ComparisonValue? in if case let .foreign(c) = v { return c as? ComparisonValue } else { return nil } }
        XCTAssertEqual(comparisons.count, 4)
        XCTAssertTrue([.inconclusive, .notDecided].contains(comparisons[0].comparison.verdict), "identical runs: no spread to decide on")
        XCTAssertEqual(comparisons[0].comparison.method, .paired)
        XCTAssertEqual(comparisons[2].comparison.method, .welch)
        for c in comparisons { XCTAssertNotEqual(c.comparison.verdict, .holds, c.description) }
    }

    /// A large real difference, the paper's net (narrowed) on the synthetic emotions against a
    /// quarter (near the commonest class's share), comes out "holds".
    func testLargeRealDifferenceHolds() throws {
        let (s, out) = try session()
        try s.run("""
        let faces = synthetic(n: 1000, seed: 5) | split(0.7, 0.15, 0.15, stratify: "emotion") | gcn
        let paper = accuracy(train(ferc(width: 16, fc: 64), faces.emotion, epochs: 4, batch: 25, optimizer: "adam", lr: 0.001, seeds: 3), faces.test.emotion)
        let verdict = compare(paper, 0.25, finding: "the paper's net beats a quarter")
        print(verdict)
        """, name: "t")
        let c = try global(s, "verdict", as: ComparisonValue.self)
        XCTAssertEqual(c.comparison.verdict, .holds, c.description)
        XCTAssertTrue(out().contains { $0.hasPrefix("“the paper's net beats a quarter” — holds: difference +") }, "\(out())")
    }

    func testSeedAndCompareErrorsSayWhatAndWhere() throws {
        let (s, _) = try session()
        try s.run(Self.tiny + """

        let runs = train(tiny(), faces.gender, epochs: 1, batch: 20, seeds: 2)
        let a = accuracy(runs, faces.test.gender)
        let b = accuracy(train(tiny(), faces.gender, epochs: 1, batch: 20, seeds: [5, 6]), faces.test.gender)
        let one = accuracy(train(tiny(), faces.gender, epochs: 1, batch: 20), faces.test.gender)
        """, name: "t")
        let cases: [(String, String)] = [
            ("train(tiny(), faces.gender, seeds: 1)", "t:1:36: error: seeds must be a whole number of runs from 2 to 1000"),
            ("train(tiny(), faces.gender, seeds: [3, 3])", "seeds must be distinct, got [3, 3]"),
            ("train(tiny(), faces.gender, seeds: [1])", "seeds needs at least 2 seeds for an interval, got 1"),
            ("train(tiny(), faces.gender, seed: 4, seeds: 3)", "give either seed: (one run) or seeds: (repeated runs), not both"),
            ("train(runs.runs[0], faces.gender, seeds: 3)", "a trained network or run cannot be repeated"),
            ("compare(one, one)", "t:1:9: error: a must be an estimate (a metric of runs trained with seeds:), got number"),
            ("compare(a, \"x\")", "b must be an estimate (a metric of runs trained with seeds:) or a number, got string"),
            ("compare(a, b, claim: \"bigger\")", "claim must be one of \"greater\", \"less\""),
            ("a > b", "t:1:1: error: an estimate has no single value to order with `>`: use compare(a, b)"),
            ("a - b", "cannot combine estimates over different seeds (seeds 1, 2 and seeds 5, 6) seed by seed"),
            ("similarity([runs, train(tiny(), faces.gender, epochs: 1, batch: 20, seeds: [5, 6, 7])], [\"a\", \"b\"])",
             "all runs given here must have the same number of seeds (seeds 1, 2 vs seeds 5, 6, 7)"),
        ]
        for (code, message) in cases {
            XCTAssertThrowsError(try s.run(code, name: "t"), code) { error in
                XCTAssertTrue("\(error)".contains(message), "\(code): \(error)")
            }
        }
    }

    /// A number compared with an estimate is a constant (one-sample t test); a finding combines
    /// comparisons and shows in Markdown with its verdict in bold.
    func testCompareWithANumberAndFindings() throws {
        let (s, out) = try session()
        try s.run(Self.tiny + """

        let a = estimate([0.61, 0.64, 0.62])
        let above = compare(a, -1, finding: "above -1")
        let f = finding("accuracy is a fraction", [above, compare(2, a, finding: "below 2")])
        show f
        """, name: "t")
        let above = try global(s, "above", as: ComparisonValue.self)
        XCTAssertEqual(above.comparison.verdict, .holds)
        XCTAssertEqual(above.comparison.method, .paired)
        let a = try global(s, "a", as: EstimateValue.self).estimate
        XCTAssertEqual(above.comparison.difference, a.mean + 1, accuracy: 1e-12)
        // Against a constant only the seeds vary: the paired t interval of a − (−1).
        XCTAssertEqual(above.comparison.interval.lowerBound, a.mean + 1 - StudentT.quantile(0.975, df: 2) * a.standardError!, accuracy: 1e-9)
        XCTAssertTrue(out().contains { $0.hasPrefix("“accuracy is a fraction” — **holds** (2 of 2 comparisons hold):\n\n- “above -1” — holds") }, "\(out())")
        XCTAssertTrue(out().contains { $0.contains("<details><summary>Per-seed values</summary>") && $0.contains("- a = `a` — estimate([0.61, 0.64, 0.62]): 61.0, 64.0, 62.0 % (seeds 1, 2, 3)") },
                      "\(out())")
    }

    /// A run whose value is undefined (a class it never predicts has no precision) is left out
    /// together with its seed, whichever run it is.
    func testUndefinedValuesLeaveTheirSeedOut() throws {
        let (s, _) = try session()
        for results in [[Value.none, .number(0.5), .number(0.7)], [.number(0.5), .none, .number(0.7)]] {
            guard case let .foreign(e as EstimateValue) = try MetricBuiltins(seeds: s).combine(results, seeds: [1, 2, 3], format: .percent(1), label: "t") else {
                return XCTFail("an estimate")
            }
            XCTAssertEqual(e.estimate.values, [0.5, 0.7])
            XCTAssertEqual(e.estimate.seeds, results[0].typeName == "none" ? [2, 3] : [1, 3])
        }
        guard case .none = try MetricBuiltins(seeds: s).combine([.none, .none], seeds: [1, 2], format: .percent(1), label: "t") else { return XCTFail("none") }
    }

    /// Arithmetic on estimates over the same seeds works seed by seed; scaling keeps the runs.
    func testEstimateArithmeticIsPerSeed() throws {
        let (s, _) = try session()
        try s.run(Self.tiny + """

        let a = accuracy(train(tiny(), faces.gender, epochs: 1, batch: 20, seeds: 3), faces.test.gender)
        let b = accuracy(train(tiny(width: 3), faces.gender, epochs: 1, batch: 20, seeds: 3), faces.test.gender)
        let d = a - b
        let scaled = 100 * a
        let averaged = (a + b) / 2
        """, name: "t")
        XCTAssertTrue(try global(s, "averaged", as: EstimateValue.self).description.contains(" % ["), "an average of fractions stays a percentage")
        let a = try global(s, "a", as: EstimateValue.self).estimate, b = try global(s, "b", as: EstimateValue.self).estimate
        XCTAssertEqual(try global(s, "d", as: EstimateValue.self).estimate.values, zip(a.values, b.values).map { $0 - $1 })
        let scaled = try global(s, "scaled", as: EstimateValue.self)
        XCTAssertEqual(scaled.estimate.values, a.values.map { 100 * $0 })
        XCTAssertNotNil(scaled.description.range(of: #"^\d+\.\d+ \[\d"#, options: .regularExpression),
                        "a scaled fraction is no longer printed as a percentage: \(scaled.description)")
    }

    /// Issue 28's done-when: a net that cannot learn (lr: 1e-9) makes compare "not decided",
    /// naming the configuration; between two nets that learned the verdict is three-way.
    func testANetThatDidNotLearnDecidesNothing() throws {
        let (s, _) = try session()
        try s.run("""
        let faces = synthetic(n: 600, seed: 5) | split(0.6, 0.2, 0.2, stratify: "glasses") | gcn
        net small(classes = 2, width = 4) {
          input 48x48x1
          conv width 5x5 relu
          maxpool 4x4 stride 4
          dense 16 relu
          softmax classes
        }
        let good = train(small(), faces.glasses, epochs: 8, batch: 20, optimizer: "adam", lr: 0.003, seeds: 2)
        let wider = train(small(width: 6), faces.glasses, epochs: 8, batch: 20, optimizer: "adam", lr: 0.003, seeds: 2)
        let dead = train(small(), faces.glasses, epochs: 1, batch: 20, lr: 1e-9, seeds: 2)
        let g = accuracy(good, faces.test.glasses)
        let d = accuracy(dead, faces.test.glasses)
        let undecided = compare(g, d)
        let decided = compare(g, accuracy(wider, faces.test.glasses))
        let sim = similarity([good, wider, dead], ["good", "wider", "dead"])
        """, name: "t")
        // A similarity rests on the two nets it compares (the random baseline, column 3, on one).
        func cell(_ i: Int, _ j: Int) throws -> EstimateValue {
            guard case let .foreign(e as EstimateValue) = try s.run("sim.values[\(i)][\(j)]", name: "t") else { throw KernelError("not an estimate") }
            return e
        }
        let (goodWider, widerRandom, goodDead, deadRandom) = (try cell(0, 1), try cell(1, 3), try cell(0, 2), try cell(2, 3))
        XCTAssertTrue(goodWider.learning.notLearned.isEmpty, goodWider.description)
        XCTAssertTrue(widerRandom.learning.notLearned.isEmpty, widerRandom.description)
        XCTAssertEqual(goodDead.learning.notLearned.map(\.seeds), [[1, 2]], goodDead.description)
        XCTAssertEqual(deadRandom.learning.notLearned.map(\.seeds), [[1, 2]], deadRandom.description)
        let g = try global(s, "g", as: EstimateValue.self), d = try global(s, "d", as: EstimateValue.self)
        XCTAssertTrue(g.learning.notLearned.isEmpty, "the adam net learned glasses: \(g.description)")
        XCTAssertEqual(d.learning.notLearned.first?.seeds, [1, 2], d.description)
        XCTAssertTrue(d.description.contains("did not learn: seeds 1, 2"), d.description)
        let undecided = try global(s, "undecided", as: ComparisonValue.self)
        XCTAssertEqual(undecided.comparison.verdict, .notDecided)
        XCTAssertTrue(undecided.description.contains("not decided: ‘small(classes: 2, width: 4) on synthetic(n: 600, seed: 5, size: 48, preset: \"fer\") | split | gcn’ (b) did not learn (seeds 1, 2)"),
                      undecided.description)
        let decided = try global(s, "decided", as: ComparisonValue.self)
        XCTAssertTrue([.holds, .doesNotHold, .inconclusive].contains(decided.comparison.verdict), decided.description)
        // `show` of the dead run says it in words.
        // A notebook can keep only configurations that learned: `runs.learned`.
        XCTAssertEqual(try global(s, "good", as: RunsValue.self).learned, true)
        XCTAssertEqual(try global(s, "dead", as: RunsValue.self).learned, false)
        guard case .bool(false) = try s.run("dead.learned", name: "t") else { return XCTFail("dead.learned") }
        let dead = try global(s, "dead", as: RunsValue.self).runs[0]
        XCTAssertEqual(dead.learned, false)
        guard case let .markdown(md)? = dead.render(in: s).first else { return XCTFail("markdown") }
        XCTAssertTrue(md.contains("**did not learn: accuracy"), md)
    }

    /// `mean` of estimates is an estimate, seed by seed, keeping the learning checks; `column`
    /// gives one field of records; a mean over nothing or over text is an error at the argument.
    func testMeanOfEstimatesAndColumns() throws {
        let (s, _) = try session()
        try s.run("""
        let r = records()
        r.add({task: "a", score: estimate([0.5, 0.6, 0.7])})
        r.add({task: "b", score: estimate([0.7, 0.8, 0.9])})
        let m = mean(r.column("score"))
        let plain = mean([1, 2, 4.5])
        """, name: "t")
        let m = try global(s, "m", as: EstimateValue.self)
        XCTAssertEqual(m.estimate.values.count, 3)
        for (x, y) in zip(m.estimate.values, [0.6, 0.7, 0.8]) { XCTAssertEqual(x, y, accuracy: 1e-12) }
        guard case let .number(p)? = s.interpreter.globals.lookup("plain") else { return XCTFail("plain") }
        XCTAssertEqual(p, 2.5)
        XCTAssertThrowsError(try s.run("r.column(\"accuracy\")", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("row 1 has no field 'accuracy' (it has: task, score)"), "\(error)")
        }
        // heatmap's rows follow the same rule.
        XCTAssertThrowsError(try s.run("heatmap(r, row: \"task\", column: \"seed\", value: \"score\", title: \"t\")", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("row 1 has no field 'seed' (it has: task, score)"), "\(error)")
        }
        XCTAssertThrowsError(try s.run("mean([estimate([0.5, 0.6, 0.7]), \"x\"])", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("mean needs numbers or estimates, got string"), "\(error)")
        }
        XCTAssertThrowsError(try s.run("mean([])", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("mean of an empty list"), "\(error)")
        }
    }

    /// Every report writes NAME_files/results.json: runs with their checks, estimates with their
    /// per-seed values, comparisons with their verdicts; the numbers are those of the text.
    func testReportWritesResultsJSON() throws {
        let dir = try CacheNotebook.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
        ---
        title: Results
        ---
        ```facet
        let faces = synthetic(n: 160, seed: 3, size: 12) | split(0.6, 0.2, 0.2) | gcn
        net tiny(w = 2) {
          input 12x12x1
          conv w 3x3 relu
          softmax 7
        }
        let a = accuracy(train(tiny(), faces.emotion, epochs: 1, batch: 20, seeds: 2), faces.test.emotion)
        show a
        show compare(estimate([0.61, 0.64, 0.62]), estimate([0.5, 0.52, 0.51]), finding: "given numbers")
        show compare(a, 0.1, finding: "above ten percent")
        ```
        """
        let md = try CacheNotebook.run(text, cache: .off, in: dir, name: "r")
        let data = try Data(contentsOf: dir.appendingPathComponent("r_files/results.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map { $0["seed"] as? Int }, [1, 2])
        let checks = try XCTUnwrap(runs[0]["checks"] as? [[String: Any]])
        XCTAssertEqual(Set(checks.compactMap { $0["data"] as? String }).count, 2, "validation and test checks: \(checks)")
        let estimates = try XCTUnwrap(json["estimates"] as? [[String: Any]])
        let shown = try XCTUnwrap(estimates.first { ($0["label"] as? String)?.hasPrefix("accuracy of tiny(w: 2) on synthetic(n: 160, seed: 3, size: 12, preset: \"fer\") | split | gcn") == true })
        XCTAssertEqual((shown["values"] as? [Double])?.count, 2)
        XCTAssertEqual(shown["test_items"] as? Int, 32)
        let cell = try XCTUnwrap(shown["text"] as? String)
        XCTAssertTrue(md.contains(cell), "\(cell) in\n\(md)")
        let comparisons = try XCTUnwrap(json["comparisons"] as? [[String: Any]])
        XCTAssertEqual(comparisons.count, 2)
        XCTAssertEqual(comparisons[0]["verdict"] as? String, "holds")
        XCTAssertEqual(comparisons[0]["a_expression"] as? String, "estimate([0.61, 0.64, 0.62])")
        for c in comparisons {
            let t = try XCTUnwrap(c["text"] as? String)
            XCTAssertTrue(md.replacingOccurrences(of: "**", with: "").contains(t), t)
            if ["holds", "does not hold"].contains(c["verdict"] as? String) {
                XCTAssertTrue(c["not_learned"] is NSNull, "a decided verdict rests on runs that learned")
            }
        }
        XCTAssertTrue(md.contains("| Results | [`r_files/results.json`](r_files/results.json)"), md)
    }

    /// Tables, heat maps and bars of estimates: intervals in the cells, error bars in the figure;
    /// regression and classification over runs give estimates field by field.
    func testTablesHeatmapsAndBarsRenderEstimates() throws {
        let (s, _) = try session()
        try s.run(Self.tiny + """

        let rows = records()
        for w in [1, 2] {
          let runs = train(tiny(width: w), faces.gender, epochs: 1, batch: 20, seeds: 2)
          rows.add({width: w, depth: 1, accuracy: accuracy(runs, faces.test.gender)})
        }
        let t = table(rows, format: "percent", digits: 1)
        let h = heatmap(rows, row: "depth", column: "width", value: "accuracy", title: "acc")
        let b = bars(rows, category: "width", values: "accuracy", title: "acc")
        let c = classification(train(tiny(), faces.gender, epochs: 1, batch: 20, seeds: 2), faces.test.gender)
        """, name: "t")
        let table = try global(s, "t", as: TableValue.self).markdown
        XCTAssertNotNil(table.range(of: #"\|\s+1 \|\s+1 \| \d+\.\d % \[\d+\.\d, \d+\.\d\]"#, options: .regularExpression), table)
        let heat = try global(s, "h", as: FigureValue.self)
        XCTAssertTrue(heat.table?.contains("95 % interval over 2 seeds and the test items") == true, heat.table ?? "")
        XCTAssertNotNil(heat.table?.range(of: #"\d+\.\d % \[\d+\.\d, \d+\.\d\]"#, options: .regularExpression), heat.table ?? "")
        let bars = try global(s, "b", as: FigureValue.self)
        XCTAssertTrue(bars.caption.contains("error bars: 95 % CI over seeds"))
        XCTAssertGreaterThan(bars.svg.components(separatedBy: "<line").count, 6)
        let c = try global(s, "c", as: TableValue.self)
        guard case let .foreign(precision as EstimateValue)? = c.rows[0]["precision"] ?? nil else {
            return XCTFail("per-class precision over runs is an estimate: \(c.rows[0])")
        }
        XCTAssertEqual(precision.estimate.n, 2)
        guard case .number? = c.rows[0]["support"] else { return XCTFail("support stays a count") }
        XCTAssertTrue(c.markdown.contains("over seeds 1, 2"), c.markdown)
    }

    /// Each seed's training goes through the result cache: a rerun restores all of them, and the
    /// footer says what a seed varies.
    func testEachSeedGoesThroughTheCache() throws {
        let dir = try CacheNotebook.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
        ---
        title: Seeds
        ---
        ```facet
        let faces = synthetic(n: 120, seed: 3, size: 12) | split(0.7, 0.15, 0.15) | gcn
        net tiny {
          input 12x12x1
          conv 2 3x3 relu
          softmax 7
        }
        print(accuracy(train(tiny(), faces.emotion, epochs: 2, batch: 20, seeds: 3), faces.test.emotion))
        ```
        """
        let policy = CachePolicy(directory: dir.appendingPathComponent("cache"))
        let first = try CacheNotebook.run(text, cache: policy, in: dir)
        XCTAssertEqual(CacheNotebook.counts(first), "0 from cache, 3 trained")
        XCTAssertTrue(first.contains("| Repeated runs | 3 runs trained under seeds:. Each seed of seeds: draws the initial weights"), first)
        let second = try CacheNotebook.run(text, cache: policy, in: dir)
        XCTAssertEqual(CacheNotebook.counts(second), "3 from cache, 0 trained")
        XCTAssertEqual(CacheNotebook.numbers(first), CacheNotebook.numbers(second))
    }
}

/// Issue 14's rule for the notebooks: findings are verdicts of `compare`/`finding`, never a bare
/// true/false, and every training that feeds them repeats over seeds.
final class NotebookVerdictTests: XCTestCase {
    func testEveryComparisonWithThePaperIsAThreeWayVerdictOverSeeds() throws {
        for url in try shippedNotebooks() {
            let name = url.lastPathComponent
            let text = try String(contentsOf: url, encoding: .utf8)
            let section = try XCTUnwrap(text.range(of: "## Compared with the paper"), "\(name) has no comparison section")
            let comparison = String(text[section.upperBound...])
            XCTAssertTrue(comparison.contains("compare("), "\(name): findings are decided by compare(...)")
            XCTAssertFalse(comparison.contains("holds here"), "\(name): no bare true/false verdicts")
            for call in Self.calls(of: "train(", in: text) {
                XCTAssertTrue(call.contains("seeds:"), "\(name): every training repeats over seeds: \(call)")
            }
        }
    }

    /// The text of each call `name...)` up to its balanced closing parenthesis.
    static func calls(of name: String, in text: String) -> [String] {
        var result: [String] = []
        var rest = text[...]
        while let start = rest.range(of: name) {
            var depth = 0, end = start.upperBound
            for i in rest[start.lowerBound...].indices {
                if rest[i] == "(" { depth += 1 }
                if rest[i] == ")" { depth -= 1; if depth == 0 { end = rest.index(after: i); break } }
            }
            result.append(String(rest[start.lowerBound..<end]))
            rest = rest[end...]
        }
        return result
    }
}
