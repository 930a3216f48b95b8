import Foundation
import XCTest
@testable import FacetVision

/// Path of a committed fixture (Tests/FacetVisionTests/Fixtures/NAME).
func fixturePath(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
    guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures") else {
        XCTFail("fixture \(name) missing", file: file, line: line)
        throw VisionError("fixture \(name) missing")
    }
    return url.path
}

/// The committed sample photo (OpenCV's BSD-licensed messi5.jpg, 548×342).
func messi(file: StaticString = #filePath, line: UInt = #line) throws -> GrayImage {
    try GrayImage(contentsOf: fixturePath("messi5.jpg", file: file, line: line))
}

/// A fresh empty directory under the temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("facet-vision-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `text` to `name` inside `dir` and returns the path.
@discardableResult
func write(_ text: String, to name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url.path
}

/// Asserts that `body` throws a VisionError whose message contains every fragment.
func assertThrows<T>(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch let error as VisionError {
        for fragment in fragments where !error.description.contains(fragment) {
            XCTFail("error \"\(error.description)\" lacks \"\(fragment)\"", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
}

/// Collects progress callbacks, which arrive from worker threads.
final class ProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(done: Int, total: Int)] = []

    var calls: [(done: Int, total: Int)] { lock.lock(); defer { lock.unlock() }; return recorded }

    func record(_ done: Int, _ total: Int) { lock.lock(); recorded.append((done, total)); lock.unlock() }
}
