import Foundation
import XCTest
@testable import FacetLang
import FacetLangTestSupport

/// A builtin that fails with a Foundation or system error is reported in plain words at the call,
/// never as `NSCocoaErrorDomain Code=…`.
final class ErrorWordsTests: XCTestCase {
    func testFoundationErrorsFromBuiltinsAreSaidInWords() {
        let h = Harness(stdlib: false)
        h.interpreter.registry.register("write_out", [], doc: "test") { _, _ in throw CocoaError(.fileWriteOutOfSpace) }
        h.interpreter.registry.register("read_in", [], doc: "test") { _, _ in
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))
        }
        for (call, words) in [("write_out()", "no space left on device"), ("read_in()", "permission denied")] {
            XCTAssertThrowsError(try h.interpreter.run(call, name: "t")) { error in
                XCTAssertTrue("\(error)".contains("t:1:1: error: \(call.dropLast(2)): \(words)"), "\(error)")
                XCTAssertFalse("\(error)".contains("Domain"), "\(error)")
            }
        }
    }
}
