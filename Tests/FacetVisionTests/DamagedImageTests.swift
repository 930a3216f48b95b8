import Foundation
import XCTest
@testable import FacetVision

/// Images that libjpeg/libpng would decode only in part are refused, naming the file, instead of
/// being used as faces (OpenCV decoded a truncated JPEG's first rows and only printed "Premature
/// end of JPEG file" to stderr). Damaged copies are cut from the committed photo at run time.
final class DamagedImageTests: XCTestCase {
    /// The committed JPEG's bytes, and a copy cut to `fraction` of them written to `name` in `dir`.
    private func truncatedCopy(_ fraction: Double, name: String, in dir: URL) throws -> (whole: Data, path: String) {
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixturePath("messi5.jpg")))
        let url = dir.appendingPathComponent(name)
        try whole.prefix(Int(Double(whole.count) * fraction)).write(to: url)
        return (whole, url.path)
    }

    func testTruncatedJPEGIsAnErrorNamingTheFile() throws {
        let dir = try temporaryDirectory(self)
        let (whole, path) = try truncatedCopy(0.6, name: "cut.jpg", in: dir)
        assertThrows([path + ": damaged JPEG: the data end before its end-of-image marker"]) { try GrayImage(contentsOf: path) }
        assertThrows(["damaged JPEG"]) { try GrayImage(encoded: [UInt8](whole.prefix(whole.count - 2))) }
        // The whole file, and the whole file followed by a camera's trailer, still decode.
        XCTAssertNoThrow(try GrayImage(encoded: [UInt8](whole)))
        XCTAssertNoThrow(try GrayImage(encoded: [UInt8](whole) + [0, 0, 1, 2, 3]))
    }

    func testTruncatedPNGIsAnErrorNamingTheFile() throws {
        let dir = try temporaryDirectory(self)
        let good = dir.appendingPathComponent("face.png").path
        try messi().write(to: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = dir.appendingPathComponent("cut.png").path
        try bytes.prefix(bytes.count - 12).write(to: URL(fileURLWithPath: cut))  // without IEND
        XCTAssertNoThrow(try GrayImage(contentsOf: good))
        assertThrows([cut + ": damaged PNG: the data end before its IEND chunk"]) { try GrayImage(contentsOf: cut) }
    }

    /// In a data set a damaged image is counted and listed like any unreadable one, not trained on.
    func testTruncatedJPEGInADataSetIsListedAsUnreadable() throws {
        let dir = try temporaryDirectory(self)
        try FileManager.default.copyItem(atPath: fixturePath("messi5.jpg"), toPath: dir.appendingPathComponent("face.jpg").path)
        _ = try truncatedCopy(0.5, name: "cut.jpg", in: dir)
        let manifest = try write("path,label\nface.jpg,a\ncut.jpg,b\n", to: "m.csv", in: dir)
        var options = LoadOptions()
        options.cacheDirectory = nil
        options.normalisation = .none
        let d = try FaceDataset.load(path: manifest, options: options)
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.summary.unreadable.map { URL(fileURLWithPath: $0.source).lastPathComponent }, ["cut.jpg"])
        XCTAssertTrue(d.summary.unreadable.first?.reason.hasPrefix("damaged JPEG") ?? false, "\(d.summary.unreadable)")
    }

    /// A manifest whose images are all missing names them (the first three and the count) instead
    /// of failing later with "the training split is empty".
    func testAManifestWithNoReadableImageNamesTheMissingFiles() throws {
        let dir = try temporaryDirectory(self)
        let manifest = try write("path,label\na.jpg,x\nb.jpg,y\nc.jpg,x\nd.jpg,y\n", to: "m.csv", in: dir)
        var options = LoadOptions()
        options.cacheDirectory = nil
        assertThrows(["none of the 4 images could be read: ", "a.jpg: cannot open file (no such file)", "c.jpg", "; and 1 more"]) {
            try FaceDataset.load(path: manifest, options: options)
        }
    }
}
