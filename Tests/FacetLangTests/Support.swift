import Foundation
import XCTest
@testable import FacetLang

/// The repository's stdlib/ directory, found from this file's path.
let stdlibDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("stdlib")

/// An interpreter whose output is collected, with stdlib loaded once per call.
final class Harness {
    var lines: [String] = []
    let interpreter: Interpreter

    init(stdlib: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
        interpreter = Interpreter(output: { _ in })
        interpreter.output = { [unowned self] text in
            self.lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if stdlib {
            do { try Stdlib.load(into: interpreter, from: stdlibDirectory) } catch {
                XCTFail("stdlib failed to load: \(error)", file: file, line: line)
            }
        }
    }

    /// Runs source text and returns its value; fails the test on diagnostics.
    @discardableResult
    func run(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Value? {
        do { return try interpreter.run(text, name: "test.facet") } catch {
            XCTFail("unexpected diagnostics:\n\(error)", file: file, line: line)
            return nil
        }
    }

    /// Diagnostics from checking source text.
    func check(_ text: String) -> [Diagnostic] { interpreter.check(SourceFile(name: "test.facet", text: text)) }
}

/// Asserts that checking `text` gives exactly these `(line, message)` pairs.
func assertDiagnostics(_ text: String, _ expected: [(Int, String)], harness: Harness? = nil,
                       file: StaticString = #filePath, line: UInt = #line) {
    let h = harness ?? Harness(stdlib: true)
    let got = h.check(text).map { ($0.range.line, $0.message) }
    XCTAssertEqual(got.map { "\($0.0): \($0.1)" }, expected.map { "\($0.0): \($0.1)" }, file: file, line: line)
}

extension Value {
    var number: Double? { if case let .number(v) = self { return v } else { return nil } }
    var netValue: NetValue? { if case let .net(n) = self { return n } else { return nil } }
}

/// Typed views of a value for assertions; nil when the kind differs.
extension Value {
    var asNumber: Double? { if case let .number(v) = self { return v } else { return nil } }
    var asRecord: Record? { if case let .record(r) = self { return r } else { return nil } }
    var asNet: NetValue? { if case let .net(n) = self { return n } else { return nil } }
}
