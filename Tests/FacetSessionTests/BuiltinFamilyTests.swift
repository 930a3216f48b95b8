import XCTest
import FacetEngine
import FacetLang
import FacetResults
@testable import FacetSession

/// A builtin family gets only the services it was made with: fakes stand in for the session.
final class BuiltinFamilyTests: XCTestCase {
    /// Always the same seed, counting how often one was drawn.
    final class FixedSeeds: SeedSource {
        var drawn = 0
        func nextSeed() -> UInt64 { drawn += 1; return 42 }
        func replicateSeed(_ seed: UInt64, stream: UInt64) -> UInt64 { seed * 10 + stream }
    }

    /// Notes progress bars and data sets instead of drawing and listing them.
    final class Recorder: ProgressSource, DataRegistry {
        var bars: [String] = [], data: [String] = []
        func progressBar(label: String, total: Int) -> ProgressBar {
            bars.append(label)
            return ProgressBar(label: label, total: total, style: .quiet)
        }
        func noteData(_ name: String, fingerprint: String) { data.append(name) }
    }

    private func interpreter(_ families: [any BuiltinFamily]) -> Interpreter {
        let registry = BuiltinRegistry.core()
        for f in families { f.register(in: registry) }
        return Interpreter(registry: registry)
    }

    /// The data family's seeds come from the source it was given (none drawn when `seed:` is
    /// written), and its data sets and progress go to the services it was given.
    func testDataFamilyUsesTheServicesItIsGiven() throws {
        let seeds = FixedSeeds(), recorder = Recorder()
        let i = interpreter([DataBuiltins(seeds: seeds, progress: recorder, registry: recorder)])
        try i.run(SourceFile(name: "t", text: "let a = synthetic(n: 4)\nlet b = synthetic(n: 4, seed: 7)"))
        XCTAssertEqual(seeds.drawn, 1, "a written seed draws none from the source")
        XCTAssertEqual(recorder.data, ["synthetic(n: 4, seed: 42, size: 48, preset: \"fer\")",
                                       "synthetic(n: 4, seed: 7, size: 48, preset: \"fer\")"])
        XCTAssertEqual(recorder.bars, ["render faces", "render faces"])
    }

    /// `compare` and `finding` record into the log they were given.
    func testComparisonFamilyRecordsIntoItsLog() throws {
        let log = ResultsLog()
        let i = interpreter([ComparisonBuiltins(results: log)])
        try i.run(SourceFile(name: "t", text: """
        let c = compare(estimate([0.8, 0.82, 0.81]), estimate([0.6, 0.61, 0.62]))
        let f = finding("higher", c)
        """))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try log.json(title: "t", notebook: "t", seed: 1)) as? [String: Any])
        XCTAssertEqual((json["comparisons"] as? [Any])?.count, 1)
        XCTAssertEqual((json["estimates"] as? [Any])?.count, 2)
        XCTAssertEqual((json["findings"] as? [[String: Any]])?.first?["verdict"] as? String, "holds")
    }
}
