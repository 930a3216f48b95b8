import FacetLang
import Foundation
import XCTest

/// The repository's stdlib/ directory, found from this file's path.
public let stdlibDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("stdlib")

/// An interpreter whose output is collected, with stdlib loaded once per call.
public final class Harness {
    public var lines: [String] = []
    public let interpreter: Interpreter

    public init(stdlib: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
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
    public func run(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Value? {
        do { return try interpreter.run(text, name: "test.facet") } catch {
            XCTFail("unexpected diagnostics:\n\(error)", file: file, line: line)
            return nil
        }
    }

    /// Diagnostics from checking source text.
    public func check(_ text: String) -> [Diagnostic] { interpreter.check(SourceFile(name: "test.facet", text: text)) }
}
