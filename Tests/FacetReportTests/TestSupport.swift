import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import FacetReport

/// Asserts two doubles agree within `tolerance`, reporting at the caller.
func assertClose(_ actual: Double?, _ expected: Double?, tolerance: Double = 1e-12, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    guard let actual, let expected else {
        XCTAssertEqual(actual == nil, expected == nil, "\(what): \(String(describing: actual)) vs \(String(describing: expected))",
                       file: file, line: line)
        return
    }
    XCTAssertEqual(actual, expected, accuracy: tolerance, what, file: file, line: line)
}

/// Asserts two arrays agree element-wise within `tolerance` (nil matches nil only).
func assertClose(_ actual: [Double?], _ expected: [Double?], tolerance: Double = 1e-12, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what): length", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        assertClose(a, e, tolerance: tolerance, "\(what)[\(i)]", file: file, line: line)
    }
}

/// Asserts `body` throws a `ReportError` whose message contains `fragment`.
func assertThrowsReportError<T>(_ body: @autoclosure () throws -> T, containing fragment: String,
                                file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard let e = error as? ReportError else {
            return XCTFail("expected ReportError, got \(error)", file: file, line: line)
        }
        XCTAssertTrue(e.description.contains(fragment), "\"\(e)\" lacks \"\(fragment)\"", file: file, line: line)
    }
}

/// Bytes of a file in the test bundle's Fixtures directory.
func fixtureData(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Data {
    guard let base = Bundle.module.resourceURL else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "test bundle has no resources"])
    }
    return try Data(contentsOf: base.appendingPathComponent("Fixtures").appendingPathComponent(name))
}

/// Compares `actual` byte for byte with `Fixtures/golden/<name>`.
///
/// To regenerate after an intended change: `FACET_UPDATE_GOLDEN=1 swift test --filter FacetReportTests`,
/// then review the diff of Tests/FacetReportTests/Fixtures/golden/ before committing.
func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    if ProcessInfo.processInfo.environment["FACET_UPDATE_GOLDEN"] == "1" {
        let source = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("Fixtures/golden/\(name)")
        XCTAssertNoThrow(try Data(actual.utf8).write(to: source, options: .atomic), file: file, line: line)
        return
    }
    guard let data = try? fixtureData("golden/\(name)") else {
        return XCTFail("missing golden file golden/\(name); run with FACET_UPDATE_GOLDEN=1", file: file, line: line)
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        XCTFail("\(name) differs from its golden file at line \(first + 1):\n  got:      \(first < a.count ? a[first] : "<end>")\n"
            + "  expected: \(first < e.count ? e[first] : "<end>")\n(regenerate with FACET_UPDATE_GOLDEN=1 if intended)",
            file: file, line: line)
    }
}

/// Parses `svg` as XML and returns how many times each element name occurs; fails the test if malformed.
func svgElementCounts(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Int] {
    final class Collector: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    if !parser.parse() {
        XCTFail("SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")", file: file, line: line)
    }
    XCTAssertEqual(collector.counts["svg"], 1, "one root <svg>", file: file, line: line)
    return collector.counts
}
