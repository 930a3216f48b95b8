import XCTest
@testable import FacetVision

final class DatasetLoaderTests: XCTestCase {
    /// A folder holding the sample photo, a face-free gradient and a manifest row for a missing file.
    private func imageFolder() throws -> URL {
        let dir = try temporaryDirectory(self)
        try messi().write(to: dir.appendingPathComponent("face.png").path)
        let gradient = (0..<(120 * 90)).map { (i: Int) -> UInt8 in UInt8((i % 120) * 2) }
        try GrayImage(width: 120, height: 90, pixels: gradient).write(to: dir.appendingPathComponent("plain.png").path)
        return dir
    }

    private func options(cache: URL? = nil) -> LoadOptions {
        var o = LoadOptions()
        o.cacheDirectory = cache
        o.normalisation = .none
        return o
    }

    func testManifestMapsValuesKeepsMissingAndListsFailures() throws {
        let dir = try imageFolder()
        let manifest = try write("""
            path,gender,age,yaw,split
            face.png,m,20,-3.5,train
            plain.png,f,3,,valid
            face.png,,100,12,test
            missing.png,m,20,0.5,train

            """, to: "people.csv", in: dir)
        let d = try FaceDataset.load(path: manifest, options: options())
        XCTAssertEqual(d.attributes, ["gender", "age"])
        XCTAssertEqual(d.classes["gender"], ["f", "m"])
        XCTAssertEqual(d.classes["age"], ["3", "20", "100"])  // integers in numeric order
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.labels["gender"], [1, 0, -1])
        XCTAssertEqual(d.labels["age"], [1, 0, 2])
        XCTAssertEqual(d.targetNames, ["yaw"])
        XCTAssertEqual(d.targets[0], -3.5)
        XCTAssertTrue(d.targets[1].isNaN)
        XCTAssertEqual(d.splits, [.train, .valid, .test])
        XCTAssertEqual(d.summary.inputs, 4)
        XCTAssertEqual(d.summary.unreadable.count, 1)
        XCTAssertTrue(d.summary.unreadable[0].source.hasSuffix("missing.png"))
        XCTAssertTrue(d.summary.unreadable[0].reason.contains("cannot open"))
        XCTAssertEqual(d.summary.facesFound, 2)
        XCTAssertEqual(d.summary.noFace.count, 1)
        XCTAssertTrue(d.summary.noFace[0].hasSuffix("plain.png"))
        XCTAssertEqual(d.size, 48)
    }

    func testNoFacePolicyDropIsCountedNotSilent() throws {
        let dir = try imageFolder()
        let manifest = try write("file,label\nface.png,a\nplain.png,b\n", to: "m.csv", in: dir)
        var o = options()
        o.pipeline.whenNoFace = .drop
        let d = try FaceDataset.load(path: manifest, options: o)
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.summary.dropped, 1)
        XCTAssertEqual(d.summary.noFace.map { URL(fileURLWithPath: $0).lastPathComponent }, ["plain.png"])
    }

    func testManifestErrorsNameFileAndLine() throws {
        let dir = try temporaryDirectory(self)
        assertThrows(["m.csv:1:", "no image path column"]) {
            try FaceDataset.load(.manifest(write("name,label\na.png,x\n", to: "m.csv", in: dir)), options: options())
        }
        assertThrows(["m2.csv:3:", "expected 2 fields"]) {
            try FaceDataset.load(.manifest(write("path,label\na.png,x\nb.png\n", to: "m2.csv", in: dir)), options: options())
        }
        assertThrows(["m3.csv:2:", "split 'dev'"]) {
            try FaceDataset.load(.manifest(write("path,split\na.png,dev\n", to: "m3.csv", in: dir)), options: options())
        }
        assertThrows(["m4.csv:2:", "unterminated"]) {
            try FaceDataset.load(.manifest(write("path,label\n\"a.png,x\n", to: "m4.csv", in: dir)), options: options())
        }
    }

    func testFolderOfClassesListsNonImages() throws {
        let root = try temporaryDirectory(self)
        let photo = try messi()
        for (folder, name) in [("happy", "a.png"), ("sad", "b.jpg"), ("sad", "deeper/c.png")] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder).appendingPathComponent(name).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try photo.write(to: root.appendingPathComponent(folder).appendingPathComponent(name).path)
        }
        try write("x", to: "sad/notes.txt", in: root)
        try write("x", to: "README", in: root)
        var o = options()
        o.split = .random(train: 0.34, valid: 0.33, seed: 5)
        let progress = ProgressRecorder()
        let d = try FaceDataset.load(path: root.path, options: o, progress: { progress.record($0, $1) })
        XCTAssertEqual(d.classes["class"], ["happy", "sad"])
        XCTAssertEqual(d.labels["class"], [0, 1, 1])
        XCTAssertEqual(d.summary.ignored.count, 2)
        XCTAssertEqual(d.summary.facesFound, 3)
        XCTAssertEqual(progress.calls.last?.done, 3)
        XCTAssertTrue(progress.calls.allSatisfy { $0.total == 3 })
        XCTAssertEqual(d.splitCounts[.train], 1)
        assertThrows(["no class sub-folders"]) {
            try FaceDataset.load(.folder(temporaryDirectory(self).path), options: options())
        }
    }

    func testDetectsSourceKind() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(try DatasetSource.detect(write("emotion,pixels,Usage\n", to: "a.csv", in: dir)), .fer2013(dir.path + "/a.csv"))
        XCTAssertEqual(try DatasetSource.detect(write("0,1 2 3 4,Training\n", to: "b.csv", in: dir)), .fer2013(dir.path + "/b.csv"))
        XCTAssertEqual(try DatasetSource.detect(write("path,age\n", to: "c.csv", in: dir)), .manifest(dir.path + "/c.csv"))
        XCTAssertEqual(try DatasetSource.detect(dir.path), .folder(dir.path))
        assertThrows(["no such file"]) { try DatasetSource.detect(dir.path + "/nope.csv") }
    }
}
