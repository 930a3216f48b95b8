import XCTest
@testable import FacetSynthetic
@testable import FacetVision

/// Writing a batch: files, CSV columns, and errors for unwritable places.
final class SyntheticWriteTests: XCTestCase {
    private func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("facet-synth-\(UUID().uuidString)")
    }

    func testWritesImagesManifestTruthAndSheet() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let b = try SyntheticFaces.generate(count: 5, seed: 1)
        try b.write(to: dir, sheetCount: 5)
        let manifest = try String(contentsOf: dir.appendingPathComponent("labels.csv"), encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        XCTAssertTrue(lines[0].hasPrefix("path,emotion,age,gender,ethnicity,glasses,beard,moustache,shape.faceWidth,"))
        XCTAssertTrue(lines[0].hasSuffix(",yaw,pitch"))
        let first = lines[1].split(separator: ",").map(String.init)
        XCTAssertEqual(first[0], "images/000000.png")
        XCTAssertEqual(first[1], String(b.labels[.emotion]![0]))
        XCTAssertEqual(Float(first.last!)!, b.targets[b.targetNames.count - 1], accuracy: 1e-3)
        for line in lines.dropFirst() {
            let path = dir.appendingPathComponent(String(line.split(separator: ",")[0])).path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
        }
        let truth = try String(contentsOf: dir.appendingPathComponent("truth.csv"), encoding: .utf8)
        let header = truth.split(separator: "\n")[0].split(separator: ",")
        XCTAssertEqual(header.count, 11)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sheet.png").path))
        let png = try Data(contentsOf: dir.appendingPathComponent("images/000000.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    func testManifestLoaderReadsTheLabelsAndTargetsBack() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let b = try SyntheticFaces.generate(count: 30, seed: 2)
        try b.write(to: dir, sheetCount: 0)
        let list = try ManifestSource(path: dir.appendingPathComponent("labels.csv").path, options: ManifestOptions()).samples()
        XCTAssertEqual(list.attributes, SyntheticAttribute.allCases.map(\.rawValue))
        XCTAssertEqual(list.targetNames, b.targetNames)
        for a in SyntheticAttribute.allCases {
            // The loader re-indexes the classes it sees; its class names are our indices.
            let classes = try XCTUnwrap(list.classes[a.rawValue]), read = try XCTUnwrap(list.labels[a.rawValue])
            XCTAssertEqual(read.map { Int32(classes[Int($0)])! }, b.labels[a]!, "\(a)")
        }
        for (x, y) in zip(list.targets, b.targets) { XCTAssertEqual(x, y, accuracy: 1e-3) }
        let image = try GrayImage(contentsOf: list.names[3])
        XCTAssertEqual(image.pixels.map(Float.init), b.image(3).map { $0.rounded(.toNearestOrEven) })
    }

    func testSameSeedWritesSameImageBytes() throws {
        let d1 = tempDir(), d2 = tempDir()
        defer { try? FileManager.default.removeItem(at: d1); try? FileManager.default.removeItem(at: d2) }
        try SyntheticFaces.generate(count: 3, seed: 77).write(to: d1, sheetCount: 0)
        try SyntheticFaces.generate(count: 3, seed: 77).write(to: d2, sheetCount: 0)
        for f in ["images/000002.png", "labels.csv", "truth.csv"] {
            XCTAssertEqual(try Data(contentsOf: d1.appendingPathComponent(f)), try Data(contentsOf: d2.appendingPathComponent(f)), f)
        }
    }

    func testUnwritableDirectoryIsAClearError() throws {
        let b = try SyntheticFaces.generate(count: 1, seed: 1)
        assertSyntheticError(try b.write(to: URL(fileURLWithPath: "/proc/facet-no-such-dir")), containing: "/proc/facet-no-such-dir")
    }
}
