import Foundation
import XCTest
import FacetEngine
@testable import FacetLang
import FacetLangTestSupport

/// Runs every Golden/*.facet file. A file with `# error: message` comments must give exactly
/// those diagnostics, each on the line of its comment or `# error@+1:` one line down
/// (`# hint: text` after it checks the hint).
/// Otherwise the file must run cleanly and print exactly its `# expect: line` comments, in order.
final class GoldenTests: XCTestCase {
    func testGoldenFiles() throws {
        // Summaries compare with the memory limit; a fixed one keeps the expected text the same on every machine.
        MemoryLimit.override = MemoryLimit(bytes: 16 * 0x1p30, source: "fixed for the golden files")
        defer { MemoryLimit.override = nil }
        // Conv's scratch is per engine thread and depends on the algorithm the machine runs convs
        // with; a fixed count and algorithm keep it the same on every machine too.
        let threads = Engine.threads, algorithm = ConvAlgorithm.current
        Engine.threads = 2
        ConvAlgorithm.current = .im2col
        defer { Engine.threads = threads; ConvAlgorithm.current = algorithm }
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".facet") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 6)
        for name in files {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let source = SourceFile(name: name, text: text)
            var expectedOutput: [String] = []
            var expectedErrors: [String] = []
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let r = line.range(of: "# expect: ") { expectedOutput.append(String(line[r.upperBound...])) }
                if line.hasSuffix("# expect:") { expectedOutput.append("") }
                if let r = line.range(of: #"# error(@[+-][0-9]+)?: "#, options: .regularExpression) {
                    let marker = line[r].dropFirst("# error".count).dropLast(2)
                    let lineNumber = i + 1 + (marker.isEmpty ? 0 : Int(marker.dropFirst())!)
                    var message = String(line[r.upperBound...]), hint = ""
                    if let h = message.range(of: "  # hint: ") {
                        hint = String(message[h.upperBound...])
                        message = String(message[..<h.lowerBound])
                    }
                    expectedErrors.append("\(lineNumber): \(message.trimmingTrailingSpaces())" + (hint.isEmpty ? "" : " | hint: \(hint)"))
                }
            }
            let h = Harness()
            if !expectedErrors.isEmpty {
                let hinted = Set(expectedErrors.filter { $0.contains(" | hint: ") }.map { $0.components(separatedBy: " | hint: ")[0] })
                let got = h.interpreter.check(source).map { d -> String in
                    let base = "\(d.range.line): \(d.message)"
                    return hinted.contains(base) ? base + " | hint: \(d.hint ?? "")" : base
                }
                XCTAssertEqual(got, expectedErrors, "diagnostics of \(name)")
            } else {
                do { try h.interpreter.run(source) } catch { XCTFail("\(name) failed:\n\(error)"); continue }
                XCTAssertEqual(h.lines, expectedOutput, "output of \(name)")
            }
        }
    }
}
