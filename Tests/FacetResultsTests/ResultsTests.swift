import Foundation
import XCTest
import FacetLang
import FacetReport
@testable import FacetResults

/// Estimates, comparisons, findings and the results log on their own: values made by hand, no
/// session or training (the builtins that make them are tested in FacetSessionTests/SeedsTests).
final class ResultsTests: XCTestCase {
    private func estimate(_ values: [Double], seeds: [UInt64] = [1, 2, 3], label: String? = nil) throws -> EstimateValue {
        EstimateValue(try Estimate(values: values, seeds: seeds, range: 0...1), format: .percent(1), label: label)
    }

    private func arithmetic(_ op: BinaryOp, _ a: EstimateValue, _ b: Value) throws -> EstimateValue {
        guard case let .foreign(e as EstimateValue)? = try a.apply(op, b, selfOnRight: false) else {
            throw EstimateError("no estimate from \(op.rawValue)")
        }
        return e
    }

    /// Estimates over the same seeds combine seed by seed; scaling a fraction past 10× prints it
    /// as a plain number; over other seeds, or ordered, they are refused with a reason.
    func testEstimateArithmeticIsPerSeed() throws {
        let a = try estimate([0.6, 0.7, 0.8], label: "a"), b = try estimate([0.5, 0.6, 0.6], label: "b")
        let d = try arithmetic(.subtract, a, .foreign(b))
        XCTAssertEqual(d.estimate.values, zip(a.estimate.values, b.estimate.values).map { $0 - $1 })
        XCTAssertEqual(d.label, "(a) - (b)")
        let scaled = try XCTUnwrap(try a.apply(.multiply, .number(100), selfOnRight: true)).description
        XCTAssertNotNil(scaled.range(of: #"^\d+\.\d+ \[\d"#, options: .regularExpression), scaled)
        XCTAssertTrue(try arithmetic(.divide, a, .number(2)).description.contains(" % ["), "halving a fraction keeps a percentage")
        let other = try estimate([0.5, 0.6, 0.6], seeds: [4, 5, 6])
        XCTAssertThrowsError(try a.apply(.add, .foreign(other), selfOnRight: false)) { error in
            XCTAssertTrue("\(error)".contains("cannot combine estimates over different seeds (seeds 1, 2, 3 and seeds 4, 5, 6)"), "\(error)")
        }
        XCTAssertThrowsError(try a.apply(.less, .foreign(b), selfOnRight: false)) { error in
            XCTAssertTrue("\(error)".hasPrefix("an estimate has no single value to order with `<`"), "\(error)")
        }
    }

    /// A member with no value for this estimate (the spread of one seed) is `none`, not an
    /// unknown field; an unknown name is still nil.
    func testMissingValuesAreNoneNotUnknownMembers() throws {
        let one = try estimate([0.6], seeds: [1])
        guard case Value.none? = one.member("sd") else { return XCTFail("sd of one seed: \(String(describing: one.member("sd")))") }
        guard case let .number(mean)? = one.member("mean") else { return XCTFail() }
        XCTAssertEqual(mean, 0.6)
        XCTAssertNil(one.member("no_such_member"))
        let three = try estimate([0.6, 0.7, 0.8])
        guard case .number? = three.member("sd") else { return XCTFail("sd of three seeds: \(String(describing: three.member("sd")))") }
    }

    /// A comparison reads finding, verdict, difference; a finding of two holds only when both do.
    func testComparisonAndFindingTexts() throws {
        let a = try estimate([0.80, 0.82, 0.81], label: "deep"), b = try estimate([0.60, 0.61, 0.62], label: "shallow")
        let c = ComparisonValue(try Comparison(a.estimate, b.estimate, claim: .greater, margin: 0.01), finding: "deeper is better",
                                format: a.format, a: a, b: b, expressions: ("deep", "shallow"))
        XCTAssertEqual(c.comparison.verdict, .holds)
        XCTAssertTrue(c.text(bold: true).hasPrefix("“deeper is better” — **holds**"), c.text(bold: true))
        XCTAssertTrue(c.details([c]).contains("- a = `deep` — deep: 80.0, 82.0, 81.0 % (seeds 1, 2, 3)"), c.details([c]))
        let reverse = ComparisonValue(try Comparison(b.estimate, a.estimate, claim: .greater, margin: 0.01), finding: nil,
                                      format: a.format, a: b, b: a, expressions: ("shallow", "deep"))
        let f = FindingValue(sentence: "depth helps", comparisons: [c, reverse])
        XCTAssertEqual(f.verdict, .doesNotHold)
        XCTAssertTrue(f.text(bold: false).hasPrefix("“depth helps” — does not hold (1 of 2 comparisons hold):\n\n- “deeper is better” — holds"),
                      f.text(bold: false))
    }

    /// Configurations that did not learn are named once, with the sides they stand on.
    func testNotLearnedTextNamesEachConfigurationOnce() {
        XCTAssertNil(ComparisonValue.notLearnedText(a: [], b: []))
        let text = ComparisonValue.notLearnedText(a: [("net on faces", [1, 3])], b: [("net on faces", [1, 3]), ("other", [nil])])
        XCTAssertEqual(text, "‘net on faces’ (a and b) did not learn (seeds 1, 3); ‘other’ (b) did not learn")
    }

    /// A table cell keeps its number and gets a marker when a run behind it did not learn; each
    /// distinct note is written once under the table, however many cells share it.
    func testTableNotesMarkCellsAndListEachNoteOnce() throws {
        // A constant predictor on 3 classes (did not learn) and a perfect one (learned).
        let actual = [0, 1, 2, 0, 1, 2, 0, 0]
        let dead = try LearningCheck.classification(predicted: Array(repeating: 0, count: 8), actual: actual, classes: ["a", "b", "c"])
        let fine = try LearningCheck.classification(predicted: actual, actual: actual, classes: ["a", "b", "c"])
        XCTAssertFalse(dead.learned); XCTAssertTrue(fine.learned)
        func entry(_ configuration: String, _ seed: UInt64, _ check: LearningCheck) -> LearningEntry {
            LearningEntry(configuration: configuration, seed: seed, data: "faces.test", head: "emotion", check: check)
        }
        func value(_ learning: [LearningEntry]) throws -> EstimateValue {
            EstimateValue(try Estimate(values: [0.4, 0.5], seeds: [1, 2], range: 0...1), format: .percent(1), learning: learning)
        }
        let notes = TableNotes()
        let learned = try value([entry("A", 1, fine), entry("A", 2, fine)])
        let oneDead = try value([entry("A", 1, fine), entry("B", 2, dead)])
        let twoDead = try value([entry("A", 1, dead), entry("B", 2, dead)])
        XCTAssertEqual(notes.cell(learned, format: .percent(1)), learned.estimate.cell(.percent(1)))
        XCTAssertEqual(notes.markdown, "")
        XCTAssertEqual(notes.cell(oneDead, format: .percent(1)), oneDead.estimate.cell(.percent(1)) + " ¹")
        XCTAssertEqual(notes.cell(twoDead, format: .percent(1)), twoDead.estimate.cell(.percent(1)) + " ²")
        XCTAssertEqual(notes.cell(oneDead, format: .percent(1)), oneDead.estimate.cell(.percent(1)) + " ¹", "a repeated note keeps its marker")
        XCTAssertEqual(notes.markdown, "¹ did not learn: B (seed 2)  \n² did not learn: A (seed 1); B (seed 2)")
        XCTAssertEqual(notes.appended(to: "| t |"), "| t |\n\n" + notes.markdown)
        XCTAssertEqual(TableNotes.marker(9), "¹⁰")
    }

    /// results.json: each estimate once (a comparison notes its sides), findings point at their
    /// comparisons, a run's checks follow its record, non-finite numbers are null.
    func testResultsLogWritesEachValueOnceWithIDs() throws {
        let log = ResultsLog()
        let a = try estimate([0.80, 0.82, 0.81], label: "deep"), b = try estimate([0.60, 0.61, 0.62], label: "shallow")
        XCTAssertEqual(log.note(a), "e1")
        let c = ComparisonValue(try Comparison(a.estimate, b.estimate), finding: "deeper", format: a.format, a: a, b: b,
                                expressions: ("a", "b"))
        log.note(FindingValue(sentence: "depth helps", comparisons: [c]))
        log.note(c)
        let run = ResultsLog.RunRecord(configuration: "net on faces", seed: 1, epochs: 2, bestEpoch: nil, learning: [])
        log.note(run)
        let check = try LearningCheck.classification(predicted: [0, 1, 0, 1], actual: [0, 1, 0, 1], classes: ["x", "y"])
        run.learning = [LearningEntry(configuration: "net on faces", seed: 1, data: "test", head: "out", check: check)]
        let data = try log.json(title: "T", notebook: "t.fnb", seed: 1)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let estimates = try XCTUnwrap(json["estimates"] as? [[String: Any]])
        XCTAssertEqual(estimates.map { $0["id"] as? String }, ["e1", "e2"])
        XCTAssertEqual(estimates.map { $0["label"] as? String }, ["deep", "shallow"])
        let comparisons = try XCTUnwrap(json["comparisons"] as? [[String: Any]])
        XCTAssertEqual(comparisons.count, 1)
        XCTAssertEqual(comparisons[0]["a"] as? String, "e1")
        XCTAssertEqual((json["findings"] as? [[String: Any]])?.first?["comparisons"] as? [String], ["c1"])
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["learned"] as? Bool, true, "the record carries the checks added after it was noted")
        XCTAssertTrue(runs.first?["best_epoch"] is NSNull)
        XCTAssertTrue(ResultsLog.number(.infinity) is NSNull)
    }
}
