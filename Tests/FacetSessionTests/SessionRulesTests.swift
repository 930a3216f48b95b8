import XCTest
import FacetLang
@testable import FacetSession
@testable import FacetNotebook
import FacetTestSupport

/// Rules that used to be written in several places and now have one home in the kernel.
final class SessionRulesTests: XCTestCase {
    private func session() throws -> (Session, () -> [OutputItem]) {
        let s = try Session(progress: .quiet)
        var out: [OutputItem] = []
        s.sink = { out.append($0) }
        return (s, { out })
    }

    /// One seed rule for `synthetic`, `split` and `train`: `split` used to clamp −5 to 0 and
    /// read "abc" as 0 without a word.
    func testEverySeedArgumentIsCheckedTheSameWay() throws {
        let (s, _) = try session()
        try s.run("let faces = synthetic(n: 30, seed: 1)", name: "t")
        for (call, shown) in [("split(faces, seed: -5)", "-5"), ("split(faces, seed: \"abc\")", "\"abc\""),
                              ("synthetic(n: 3, seed: 1.5)", "1.5")] {
            XCTAssertThrowsError(try s.run(call, name: "t"), call) { error in
                XCTAssertTrue("\(error)".contains("seed must be a whole number from 0 to 2^53, got \(shown)"), "\(error)")
            }
        }
        XCTAssertNoThrow(try s.run("split(faces, seed: 3)", name: "t"))
    }

    /// Training, evaluation and a saved model name a head's classes by the same binding rule.
    func testTrainingAndEvaluationBindHeadsTheSameWay() throws {
        let (s, _) = try session()
        try s.run("""
        let faces = synthetic(n: 60, seed: 2) | split(0.6, 0.2, 0.2) | gcn
        net tiny(classes = 2) {
          input 48x48x1
          conv 2 5x5 relu
          maxpool 4x4 stride 4
          softmax classes
        }
        let run = train(tiny(), faces.gender, epochs: 1, batch: 20)
        """, name: "t")
        let run = try XCTUnwrap(s.interpreter.globals.lookup("run").flatMap { v -> RunValue? in
            if case let .foreign(f) = v { return f as? RunValue } else { return nil }
        })
        let data = try XCTUnwrap(s.interpreter.globals.lookup("faces").flatMap { v -> DatasetValue? in
            if case let .foreign(f) = v { return f as? DatasetValue } else { return nil }
        })
        let evaluated = try evaluate(run.network, data, task: .attribute("gender"))
        XCTAssertEqual(run.labelNames["out"], evaluated[0].names)
        XCTAssertEqual(evaluated[0].names, data.attribute("gender")?.classes)
        XCTAssertEqual(evaluated[0].label, "gender", "a single `out` head is captioned by its task")
        XCTAssertThrowsError(try s.run("train(tiny(classes: 3), faces.gender, epochs: 1)", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("head 'out' predicts 3 classes, but"), "\(error)")
        }
    }
}

/// A stop request ends the input at the next statement: after an interrupted `train`, a `save`
/// in the same cell must not write a half-trained model over a good one.
final class InterruptStatementTests: XCTestCase {
    func testStatementsAfterAStopRequestDoNotRun() throws {
        let s = try Session(progress: .quiet)
        var out: [OutputItem] = []
        s.sink = { out.append($0) }
        s.interpreter.registry.register("stop_here", [], doc: "test: request a stop") { _, _ in
            Interrupt.raise(SIGINT)
            return .none
        }
        defer { Interrupt.clear() }
        XCTAssertThrowsError(try s.run("print(1)\nstop_here()\nprint(2)", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("t:3:1: error: interrupted: this statement and the rest of the input did not run"), "\(error)")
        }
        XCTAssertEqual(out, [.text("1")], "the statement after the stop did not run")
        Interrupt.clear()
        XCTAssertNoThrow(try s.run("print(3)", name: "t"), "the session goes on once the stop is handled")
    }
}
