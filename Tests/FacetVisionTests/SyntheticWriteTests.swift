import XCTest
@testable import FacetVision

/// Writing a batch: files, CSV columns, and errors for unwritable places.
final class SyntheticWriteTests: XCTestCase {
    private func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("facet-synth-\(UUID().uuidString)")
    }

    func testWritesImagesManifestTargetsAndSheet() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let b = try SyntheticFaces.generate(count: 5, seed: 1)
        try b.write(to: dir, sheetCount: 5)
        let manifest = try String(contentsOf: dir.appendingPathComponent("labels.csv"), encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(lines[0], "path,emotion,age,gender,ethnicity,glasses,beard,moustache")
        let first = lines[1].split(separator: ",").map(String.init)
        XCTAssertEqual(first[0], "images/000000.png")
        XCTAssertEqual(first[1], SyntheticAttribute.emotion.classNames[Int(b.labels[.emotion]![0])])
        for line in lines.dropFirst() {
            let path = dir.appendingPathComponent(String(line.split(separator: ",")[0])).path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
        }
        let targets = try String(contentsOf: dir.appendingPathComponent("targets.csv"), encoding: .utf8)
        let header = targets.split(separator: "\n")[0].split(separator: ",")
        XCTAssertEqual(header.count, 1 + 2 + 4 + 4 + b.targetNames.count)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sheet.png").path))
        let png = try Data(contentsOf: dir.appendingPathComponent("images/000000.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    func testSameSeedWritesSameImageBytes() throws {
        let d1 = tempDir(), d2 = tempDir()
        defer { try? FileManager.default.removeItem(at: d1); try? FileManager.default.removeItem(at: d2) }
        try SyntheticFaces.generate(count: 3, seed: 77).write(to: d1, sheetCount: 0)
        try SyntheticFaces.generate(count: 3, seed: 77).write(to: d2, sheetCount: 0)
        for f in ["images/000002.png", "labels.csv", "targets.csv"] {
            XCTAssertEqual(try Data(contentsOf: d1.appendingPathComponent(f)), try Data(contentsOf: d2.appendingPathComponent(f)), f)
        }
    }

    func testUnwritableDirectoryIsAClearError() throws {
        let b = try SyntheticFaces.generate(count: 1, seed: 1)
        assertThrows(try b.write(to: URL(fileURLWithPath: "/proc/facet-no-such-dir")), containing: "/proc/facet-no-such-dir")
    }
}
