import Foundation
import XCTest

/// The ten notebooks in the repository's notebooks/ folder, sorted by name.
public func shippedNotebooks(file: StaticString = #filePath, line: UInt = #line) throws -> [URL] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent("notebooks")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".fnb") }.sorted()
    XCTAssertEqual(names.count, 10, file: file, line: line)
    return names.map { dir.appendingPathComponent($0) }
}
