import FacetEngine
import FacetWeights
import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// `facet export`'s refusals: each names the file and the reason, exits 1 and writes nothing.
/// (What a successful export contains is tested in FacetONNXTests and by Tests/onnx/run.sh.)
final class ExportCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func savedModel() throws -> URL {
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 8, width: 8), layers: [.lcn(size: 3), .dense(units: 4)],
                           heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])
        let url = folder.appendingPathComponent("m.safetensors")
        try Network(spec: spec, seed: 1).save(to: url)
        return url
    }

    func testExportWritesTheModelAndNamesItsOutputs() throws {
        let model = try savedModel()
        let r = try FacetCLI.run(["export", model.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("wrote \(folder.appendingPathComponent("m.onnx").path): "), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("input 'input', outputs out\n"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.onnx").path))
    }

    func testAFileThatIsNotAFacetModelIsRefused() throws {
        let text = folder.appendingPathComponent("notes.safetensors")
        try Data("hello".utf8).write(to: text)
        let out = folder.appendingPathComponent("x.onnx").path
        var r = try FacetCLI.run(["export", text.path, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: \(text.path): not a safetensors file: 5 bytes, too short for a header\n")
        // a safetensors file without a net in its metadata
        let plain = folder.appendingPathComponent("plain.safetensors")
        try Safetensors.write(["w": Safetensors.Entry(shape: [1], values: [1])], to: plain)
        r = try FacetCLI.run(["export", plain.path, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: \(plain.path): not a Facet model: no 'facet.spec' in its metadata\n")
        r = try FacetCLI.run(["export", folder.appendingPathComponent("absent.safetensors").path, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: \(folder.appendingPathComponent("absent.safetensors").path): cannot read: no such file or folder\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testAnOutputInAMissingFolderIsRefused() throws {
        let model = try savedModel()
        let out = folder.appendingPathComponent("no/such/m.onnx").path
        let r = try FacetCLI.run(["export", model.path, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: \(out): cannot write the ONNX model: no such file or folder\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["m.safetensors"])
    }

    func testAnOutputOnAReadOnlyFileSystemIsRefusedAndTheOldFileKept() throws {
        let model = try savedModel()
        let fs = try Tmpfs.mount(kilobytes: 256)
        defer { fs.unmount() }
        let out = fs.url.appendingPathComponent("m.onnx")
        try Data("previous".utf8).write(to: out)
        try fs.remountReadOnly()
        let r = try FacetCLI.run(["export", model.path, "-o", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: \(out.path): cannot write the ONNX model: read-only file system\n")
        XCTAssertEqual(try Data(contentsOf: out), Data("previous".utf8))
    }

    func testTheModelItselfIsNeverOverwritten() throws {
        let model = try savedModel()
        let before = try Data(contentsOf: model)
        let r = try FacetCLI.run(["export", model.path, "-o", model.path])
        XCTAssertEqual(r.status, 1)
        // The one rule for outputs (OutputRule): never over the command's own input.
        XCTAssertEqual(r.stderr, "error: cannot write \(model.path): it is the command's input \(model.path); give another output path, or --force to replace it\n")
        XCTAssertEqual(try Data(contentsOf: model), before)
    }
}
