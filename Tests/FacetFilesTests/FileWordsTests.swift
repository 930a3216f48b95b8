import FacetFiles
import Foundation
import XCTest

/// Why a file operation failed, in plain words; which files may be read; line endings.
final class FileWordsTests: XCTestCase {
    func testErrnoValuesAreSaidInWords() {
        XCTAssertEqual(FileFailure.reason(errno: ENOSPC), "no space left on device")
        XCTAssertEqual(FileFailure.reason(errno: EROFS), "read-only file system")
        XCTAssertEqual(FileFailure.reason(errno: ENOENT), "no such file or folder")
        XCTAssertEqual(FileFailure.reason(errno: EISDIR), "it is a folder, not a file")
    }

    func testOnlyRegularFilesMayBeReadAndAFIFOIsNeverOpened() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("a.txt"), fifo = dir.appendingPathComponent("p")
        try Data("x\r\ny".utf8).write(to: file)
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertNil(InputFile.problem(file.path))
        XCTAssertEqual(InputFile.problem(dir.path), "it is a folder, not a file")
        XCTAssertEqual(InputFile.problem(dir.appendingPathComponent("none").path), "no such file or folder")
        XCTAssertNotNil(InputFile.problem(fifo.path))
        XCTAssertThrowsError(try InputFile.data(fifo.path))   // refused unopened: this would block otherwise
        XCTAssertEqual(try InputFile.text(file.path), "x\ny")   // CRLF read as LF
    }
}
