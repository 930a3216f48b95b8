import FacetSession
import XCTest

/// Asserts that running `source` in `s` (as a file called `name`) throws an error whose text
/// contains `fragment`.
public func assertRunError(_ s: Session, _ source: String, _ fragment: String, name: String = "t",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try s.run(source, name: name), source, file: file, line: line) { error in
        XCTAssertTrue("\(error)".contains(fragment), "\(error)", file: file, line: line)
    }
}
