import FacetRandom
import Foundation
import XCTest
@testable import FacetLang
import FacetLangTestSupport
import FacetEngine   // SeededGenerator: every run mutates the same way

/// Feeds thousands of seeded random mutations of the stdlib files through lex, parse and
/// check. Every one must end in success or clean diagnostics — never a crash or a hang.
final class FuzzTests: XCTestCase {
    func testSeededMutationsOfStdlibEndCleanly() throws {
        // The stdlib files, plus the golden files for the scripting syntax the stdlib lacks.
        let golden = try XCTUnwrap(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let goldenFiles = try FileManager.default.contentsOfDirectory(at: golden, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "facet" }.sorted { $0.path < $1.path }
        let stdlib = try Stdlib.files(in: stdlibDirectory).map { try String(contentsOf: $0, encoding: .utf8) }
        let sources = stdlib + stdlib + (try goldenFiles.map { try String(contentsOf: $0, encoding: .utf8) })
        XCTAssertGreaterThan(stdlib.count, 1)
        // Checking leaves the session untouched, so one interpreter with the stdlib serves all.
        let shared = Harness(stdlib: true).interpreter
        // FACET_FUZZ_SEED / FACET_FUZZ_COUNT explore further; the default run is fixed.
        let env = ProcessInfo.processInfo.environment
        var rng = SeededGenerator(seed: env["FACET_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_150_601)
        let count = env["FACET_FUZZ_COUNT"].flatMap { Int($0) } ?? 2000
        var clean = 0, failing = 0
        let start = Date()
        for n in 0..<count {
            let text = SourceMutation.mutate(sources[n % sources.count], &rng)
            let file = SourceFile(name: "mutant\(n).facet", text: text)
            let diagnostics = shared.check(file)
            if diagnostics.isEmpty { clean += 1 } else { failing += 1 }
            for d in diagnostics {
                XCTAssertFalse(d.message.isEmpty)
                if d.range.file === file {
                    XCTAssertTrue(d.range.start >= 0 && d.range.end <= file.bytes.count, "range out of bounds in mutant \(n)")
                }
                XCTAssertTrue(d.rendered.hasPrefix(d.range.file.name))
            }
            // A clean stdlib mutant must also run in a session like the one that checked it:
            // what checking let through may not fail at run time.
            if diagnostics.isEmpty, n % sources.count < 2 * stdlib.count, n % 3 == 0 {
                let fresh = Harness(stdlib: true).interpreter
                XCTAssertNoThrow(try fresh.run(file), "mutant \(n) checked clean but failed to run")
            }
        }
        // Both outcomes occur, so the mutations neither always break nor never break the files.
        XCTAssertGreaterThan(failing, count / 3)
        XCTAssertGreaterThan(clean, count / 20)
        print("fuzz: \(count) mutants, \(clean) clean, \(failing) with diagnostics, \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    }
}
