import XCTest
@testable import FacetLang

/// The one completeness test every front end uses (REPL, notebook front matter, Jupyter).
final class InputStatusTests: XCTestCase {
    func testOpenBracketsAreIncompleteAndClosedOnesComplete() {
        XCTAssertEqual(InputStatus(of: "let x = 1"), .complete)
        XCTAssertEqual(InputStatus(of: "let x = [1,"), .incomplete)
        XCTAssertEqual(InputStatus(of: "net t {\n  input 8x8x1"), .incomplete)
        XCTAssertEqual(InputStatus(of: "net t {\n  input 8x8x1\n}"), .complete)
        XCTAssertEqual(InputStatus(of: ""), .complete)
    }

    /// A `#` comment inside an open bracket used to end the scan, so the closing bracket on the
    /// next line was never seen and the REPL waited forever.
    func testCommentInsideAnOpenBracketDoesNotSwallowTheRest() {
        XCTAssertEqual(InputStatus(of: "let x = [1,  # one\n  2]"), .complete)
        XCTAssertEqual(InputStatus(of: "let x = [1,  # ] not a bracket"), .incomplete)
        XCTAssertEqual(InputStatus(of: "let s = \"(\""), .complete, "a bracket in a string is text")
    }

    func testInputsThatMoreLinesCannotFixAreInvalid() {
        XCTAssertEqual(InputStatus(of: "let x = 1)"), .invalid)
        XCTAssertEqual(InputStatus(of: "let s = \"open"), .invalid)
        XCTAssertEqual(InputStatus(of: "let b = 5×5"), .invalid)
    }
}
