import Foundation
import XCTest
@testable import FacetLang
import FacetLangTestSupport

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
