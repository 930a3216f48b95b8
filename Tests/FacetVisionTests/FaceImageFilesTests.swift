import XCTest
@testable import FacetVision

/// The one folder walk: class folders, `facet data align` and `facet predict` all list files with it.
final class FaceImageFilesTests: XCTestCase {
    func testWalksRecursivelySortedSkippingHiddenEntries() throws {
        let root = try temporaryDirectory(self)
        for name in ["b.png", "a/z.JPG", "a/notes.txt", "a/deeper/c.pgm", ".hidden.png", "a/.DS_Store", ".git/x.png", "a/.cache/y.jpg"] {
            try write("x", to: name, in: root)
        }
        let files = try FaceImageFiles.files(in: root.path)
        XCTAssertEqual(files.map(\.relativePath), ["a/deeper/c.pgm", "a/notes.txt", "a/z.JPG", "b.png"])
        XCTAssertEqual(files.map(\.isImage), [true, false, true, true])
        XCTAssertEqual(files.first?.path, root.path + "/a/deeper/c.pgm")
    }

    /// Paths keep the folder as the caller wrote it (a trailing slash is not doubled).
    func testPathsStartWithTheFolderAsGiven() throws {
        let root = try temporaryDirectory(self)
        try write("x", to: "f.png", in: root)
        XCTAssertEqual(try FaceImageFiles.files(in: root.path + "/").map(\.path), [root.path + "/f.png"])
    }

    /// A symbolic link to an image is an image; a link to a folder is not listed as a file.
    func testLinksAreFollowedForTheirKind() throws {
        let root = try temporaryDirectory(self)
        let target = try write("x", to: "elsewhere/real.png", in: root)
        let inside = root.appendingPathComponent("inside")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: inside.appendingPathComponent("link.png").path, withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: inside.appendingPathComponent("dir").path,
                                                   withDestinationPath: root.appendingPathComponent("elsewhere").path)
        XCTAssertEqual(try FaceImageFiles.files(in: inside.path).map(\.relativePath), ["link.png"])
    }

    func testAFolderThatCannotBeListedIsAnError() throws {
        let root = try temporaryDirectory(self)
        let file = try write("x", to: "plain.png", in: root)
        assertThrows(["cannot list folder"]) { try FaceImageFiles.files(in: root.appendingPathComponent("missing").path) }
        assertThrows(["cannot list folder"]) { try FaceImageFiles.files(in: file) }
    }

    func testImageExtensionsAreCaseInsensitiveAndNeedADot() {
        XCTAssertTrue(FaceImageFiles.isImage("a/b.JPEG"))
        XCTAssertTrue(FaceImageFiles.isImage("x.webp"))
        XCTAssertFalse(FaceImageFiles.isImage("png"))
        XCTAssertFalse(FaceImageFiles.isImage("dir.png/readme"))
        XCTAssertFalse(FaceImageFiles.isImage("notes.txt"))
    }

    /// A class folder uses the same walk: hidden files are neither samples nor "ignored" entries,
    /// and a hidden folder at the top is not a class.
    func testClassFoldersSkipHiddenEntries() throws {
        let root = try temporaryDirectory(self)
        let photo = try messi()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("happy"), withIntermediateDirectories: true)
        try photo.write(to: root.appendingPathComponent("happy/a.png").path)
        try write("x", to: "happy/.DS_Store", in: root)
        try write("x", to: ".git/config", in: root)
        try write("x", to: ".DS_Store", in: root)
        let samples = try FolderSource(path: root.path).samples()
        XCTAssertEqual(samples.classes["class"], ["happy"])
        XCTAssertEqual(samples.names, [root.appendingPathComponent("happy/a.png").path])
        XCTAssertEqual(samples.ignored, [])
    }
}
