import FacetFiles
import XCTest
@testable import FacetSession
@testable import FacetNotebook
import FacetTestSupport

/// Every message about a file says what (the path) and why in plain words, never Foundation's
/// `NSCocoaErrorDomain Code=…`.
final class FileErrorTests: XCTestCase {
    private func trainedSession() throws -> Session {
        let s = try Session(progress: .quiet)
        try s.run("""
        let faces = synthetic(n: 30, seed: 2) | split(0.6, 0.2, 0.2)
        net tiny {   # ~50k weights: 200 KB
          input 48x48x1
          conv 2 5x5 relu
          maxpool 4x4 stride 4
          dense 200 relu
          softmax 7
        }
        let run = train(tiny(), faces.emotion, epochs: 1, batch: 10)
        """, name: "t")
        return s
    }

    private func saveError(_ s: Session, _ path: String) -> String {
        do { try s.run("save(run, \"\(path)\")", name: "t"); return "" } catch { return "\(error)" }
    }

    func testSavePathsThatCannotWorkAreToldBeforeWriting() throws {
        let s = try trainedSession()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertTrue(saveError(s, "").contains("cannot save to \"\": the path is empty"), saveError(s, ""))
        XCTAssertTrue(saveError(s, dir.path).contains("it is a folder, not a file"), saveError(s, dir.path))
        let file = dir.appendingPathComponent("plain.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let under = file.appendingPathComponent("m.safetensors").path
        XCTAssertTrue(saveError(s, under).contains("\(file.path) is a file, not a folder"), saveError(s, under))
        XCTAssertEqual(saveError(s, dir.appendingPathComponent("ok/m.safetensors").path), "")
    }

    func testReadOnlyAndFullFileSystemsAreSaidInPlainWords() throws {
        let s = try trainedSession()
        let fs = try Tmpfs.mount(kilobytes: 16)
        defer { fs.unmount() }
        // 16 KiB cannot hold the model (200 KB)'s weights: the write fails for lack of space.
        let full = saveError(s, fs.url.appendingPathComponent("m.safetensors").path)
        XCTAssertTrue(full.contains("no space left on device"), full)
        XCTAssertFalse(full.contains("NSCocoaErrorDomain"), full)
        try fs.remountReadOnly()
        let readOnly = saveError(s, fs.url.appendingPathComponent("m.safetensors").path)
        XCTAssertTrue(readOnly.contains("read-only file system"), readOnly)
    }

    /// A diverged network (NaN weights) is refused at `save`, so no unusable model file appears.
    func testSaveRefusesNonFiniteWeights() throws {
        let s = try trainedSession()
        guard case let .foreign(f)? = s.interpreter.globals.lookup("run"), let run = f as? RunValue else {
            return XCTFail("no run")
        }
        run.network.network.parameters[0].value[3] = .nan
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString).safetensors").path
        let message = saveError(s, path)
        XCTAssertTrue(message.contains("not saved: tensor 'layers.0.weight' holds a non-finite weight (nan at element 3 of"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testFoundationErrorsBecomePlainWords() {
        XCTAssertEqual(FileFailure.reason(CocoaError(.fileWriteOutOfSpace)), "no space left on device")
        XCTAssertEqual(FileFailure.reason(CocoaError(.fileNoSuchFile)), "no such file or folder")
        XCTAssertEqual(FileFailure.reason(NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))), "read-only file system")
        XCTAssertEqual(FileFailure.reason(errno: EACCES), "permission denied")
    }
}
