import FacetEngine
import FacetVision
import FacetWeights
import Foundation
import XCTest
@testable import FacetPredict
@testable import FacetSession
import FacetTestSupport

/// `facet predict`: a model saved from a notebook-style session, applied to photos through the CLI
/// and in process.
final class PredictTests: XCTestCase {
    static let photo = PredictFixture.photo
    static let emotions = PredictFixture.emotions
    static let modelPath = PredictFixture.modelPath

    func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func runJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let out = try FacetCLI.run(["predict", "--model", Self.modelPath, "--json"] + args)
        XCTAssertEqual(out.status, 0, out.stderr, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], "stdout is not a JSON object: \(out.stdout)", file: file, line: line)
    }

    // MARK: JSON schema

    func testJSONOnTheSamplePhotoFollowsTheSchema() throws {
        let doc = try runJSON([Self.photo])
        XCTAssertEqual(doc["model"] as? String, Self.modelPath)
        XCTAssertEqual(doc["input"] as? String, "24x24")
        let heads = try XCTUnwrap(doc["heads"] as? [[String: Any]])
        XCTAssertEqual(heads.count, 1)
        XCTAssertEqual(heads[0]["kind"] as? String, "softmax")
        XCTAssertEqual(heads[0]["outputs"] as? Int, 7)
        let headName = try XCTUnwrap(heads[0]["name"] as? String)

        let images = try XCTUnwrap(doc["images"] as? [[String: Any]])
        XCTAssertEqual(images.count, 1)
        XCTAssertEqual(images[0]["path"] as? String, Self.photo)
        XCTAssertTrue(images[0]["error"] is NSNull, "error should be null on success")
        let faces = try XCTUnwrap(images[0]["faces"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(faces.count, 1)

        let image = try GrayImage(contentsOf: Self.photo)
        for face in faces {
            let box = try XCTUnwrap(face["box"] as? [String: Int])
            let (x, y, w, h) = (box["x"]!, box["y"]!, box["width"]!, box["height"]!)
            XCTAssertTrue(x >= 0 && y >= 0 && w > 10 && h > 10 && x + w <= image.width && y + h <= image.height, "box \(box)")
            XCTAssertEqual(face["alignment"] as? String, "aligned")
            let eyes = try XCTUnwrap(face["eyes"] as? [String: [String: Double]])
            let left = try XCTUnwrap(eyes["left"]), right = try XCTUnwrap(eyes["right"])
            for eye in [left, right] {
                XCTAssertTrue(Double(x)...Double(x + w) ~= eye["x"]!, "eye \(eye) outside box \(box)")
                XCTAssertTrue(Double(y)...Double(y + h / 2 + h / 8) ~= eye["y"]!, "eye \(eye) not in the upper face")
            }
            XCTAssertLessThan(left["x"]!, right["x"]!)

            let outputs = try XCTUnwrap(face["heads"] as? [String: Any])
            let head = try XCTUnwrap(outputs[headName] as? [String: Any])
            let distribution = try XCTUnwrap(head["distribution"] as? [String: Double])
            XCTAssertEqual(Set(distribution.keys), Set(Self.emotions), "class names come from the model file")
            XCTAssertEqual(distribution.values.reduce(0, +), 1, accuracy: 1e-4)
            let best = distribution.max { $0.value < $1.value }!
            XCTAssertEqual(head["label"] as? String, best.key)
            XCTAssertEqual(head["probability"] as? Double, best.value)
        }
        let summary = try XCTUnwrap(doc["summary"] as? [String: Int])
        XCTAssertEqual(summary, ["images": 1, "images_with_faces": 1, "faces": faces.count, "failed": 0, "batches": 1])
    }

    // MARK: folders and failures

    /// A folder with a non-image file, an image with no face and (one level down) an image with a
    /// face: every file is accounted for and the batch completes.
    func testFolderListsUnreadableAndFacelessFilesWithoutAborting() throws {
        let dir = try temporaryFolder()
        try "not a photo".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let blank = GrayImage(width: 160, height: 120, pixels: (0..<(160 * 120)).map { UInt8(($0 % 160) / 2) })
        try blank.write(to: dir.appendingPathComponent("gradient.png").path)
        let sub = dir.appendingPathComponent("people")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.photo, toPath: sub.appendingPathComponent("messi.jpg").path)

        let doc = try runJSON([dir.path])
        let images = try XCTUnwrap(doc["images"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: images.map { (($0["path"] as! NSString).lastPathComponent, $0) })
        XCTAssertEqual(Set(byName.keys), ["notes.txt", "gradient.png", "messi.jpg"])
        XCTAssertEqual(byName["notes.txt"]?["error"] as? String, "not an image OpenCV can decode")
        XCTAssertEqual(byName["gradient.png"]?["error"] as? String, "no face found")
        XCTAssertTrue(byName["messi.jpg"]?["error"] is NSNull)
        XCTAssertEqual((byName["notes.txt"]?["faces"] as? [Any])?.count, 0)
        XCTAssertGreaterThanOrEqual((byName["messi.jpg"]?["faces"] as? [Any])?.count ?? 0, 1)
        XCTAssertEqual((doc["summary"] as? [String: Int])?["failed"], 2)

        let text = try FacetCLI.run(["predict", "--model", Self.modelPath, dir.path])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("people/messi.jpg: 1 face"), text.stdout)
        XCTAssertTrue(text.stdout.contains("3 files: 1 face in 1 image; 2 without a result:"), text.stdout)
        XCTAssertTrue(text.stdout.contains("gradient.png: no face found"), text.stdout)
        XCTAssertTrue(text.stdout.contains("notes.txt: not an image OpenCV can decode"), text.stdout)
    }

    func testMissingInputIsReportedNotFatal() throws {
        let doc = try runJSON(["/nonexistent/photo.jpg", Self.photo])
        let images = try XCTUnwrap(doc["images"] as? [[String: Any]])
        XCTAssertEqual(images.first?["error"] as? String, "no such file or folder")
        XCTAssertTrue(images.last?["error"] is NSNull)
    }

    // MARK: annotate

    func testAnnotatedCopyExistsAndDiffersInsideTheFaceBox() throws {
        let dir = try temporaryFolder()
        let out = try FacetCLI.run(["predict", "--model", Self.modelPath, "--annotate", dir.path, Self.photo])
        XCTAssertEqual(out.status, 0, out.stderr)
        let annotated = dir.appendingPathComponent("messi5.jpg").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: annotated), "no annotated copy in \(dir.path)")
        let before = try GrayImage(contentsOf: Self.photo), after = try GrayImage(contentsOf: annotated)
        XCTAssertEqual([after.width, after.height], [before.width, before.height])

        let face = try XCTUnwrap(Predictor(model: PredictionModel(contentsOf: Self.modelPath)).predict(files: [Self.photo]).images[0].faces.first)
        /// Mean absolute difference over a rectangle's outline (where the box is drawn).
        func outlineDifference(_ b: FaceBox) -> Double {
            var total = 0.0, count = 0
            for x in b.x..<(b.x + b.width) {
                for y in [b.y, b.y + b.height - 1] { total += abs(Double(before.pixels[y * before.width + x]) - Double(after.pixels[y * after.width + x])); count += 1 }
            }
            return total / Double(count)
        }
        let drawn = outlineDifference(face.box)
        // The same outline shifted to the far corner, where nothing is drawn: JPEG noise only.
        let elsewhere = outlineDifference(FaceBox(x: 0, y: before.height - face.box.height, width: face.box.width, height: face.box.height))
        XCTAssertGreaterThan(drawn, 20, "the box outline should be drawn")
        XCTAssertLessThan(elsewhere, 5, "pixels away from faces should be a plain copy")
    }

    // MARK: models

    func testAFileThatIsNotAFacetModelIsAClearError() throws {
        let dir = try temporaryFolder()
        let foreign = dir.appendingPathComponent("foreign.safetensors")
        try Safetensors.write(["w": Safetensors.Entry(shape: [2], values: [1, 2])], metadata: ["format": "pt"], to: foreign)
        let out = try FacetCLI.run(["predict", "--model", foreign.path, Self.photo])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains(foreign.path) && out.stderr.contains("not a Facet model"), out.stderr)
        XCTAssertEqual(out.stdout, "")

        let text = dir.appendingPathComponent("notes.safetensors")
        try "hello".write(to: text, atomically: true, encoding: .utf8)
        let bad = try FacetCLI.run(["predict", "--model", text.path, Self.photo])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains(text.path), bad.stderr)

        let missing = try FacetCLI.run(["predict", "--model", dir.appendingPathComponent("none.safetensors").path, Self.photo])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such model file"), missing.stderr)
    }

    // MARK: batching and alignment

    /// Batches span images (one network call per batch) and do not change any output.
    func testBatchesSpanImagesAndGiveTheSameOutputs() throws {
        let model = try PredictionModel(contentsOf: Self.modelPath)
        let files = Array(repeating: Self.photo, count: 5)
        let small = try Predictor(model: model, batchSize: 2).predict(files: files)
        let large = try Predictor(model: model, batchSize: 64).predict(files: files)
        let faces = small.faceCount
        XCTAssertEqual(faces, 5 * small.images[0].faces.count)
        XCTAssertEqual(small.batches, (faces + 1) / 2)
        XCTAssertEqual(large.batches, 1)
        for (a, b) in zip(small.images, large.images) {
            for (fa, fb) in zip(a.faces, b.faces) {
                XCTAssertEqual(fa.box, fb.box)
                for (ha, hb) in zip(fa.heads, fb.heads) {
                    guard case let .classes(pa) = ha.prediction, case let .classes(pb) = hb.prediction else { return XCTFail("softmax expected") }
                    XCTAssertEqual(pa.map(\.name), pb.map(\.name))
                    for (x, y) in zip(pa, pb) { XCTAssertEqual(x.probability, y.probability, accuracy: 1e-5) }
                }
            }
        }
    }

    /// Photos decoded, detected and aligned on several workers (and the network on two threads) give
    /// exactly the output of one worker on one thread: the same faces, boxes, eyes and predictions,
    /// in the same order, in the text and in the JSON. The folder mixes one-face, two-face, mirrored
    /// and scaled photos with files that fail, so workers finish out of order.
    func testParallelAndOneThreadRunsPrintTheSameOutput() throws {
        let dir = try temporaryFolder()
        let one = try GrayImage(contentsOf: Self.photo)
        func rows(_ image: GrayImage) -> [ArraySlice<UInt8>] {
            (0..<image.height).map { image.pixels[($0 * image.width)..<(($0 + 1) * image.width)] }
        }
        let mirrored = GrayImage(width: one.width, height: one.height, pixels: rows(one).flatMap { $0.reversed() })
        let pair = GrayImage(width: 2 * one.width, height: one.height, pixels: rows(one).flatMap { $0 + $0 })
        let half = GrayImage(width: one.width / 2, height: one.height / 2, pixels: (0..<(one.height / 2)).flatMap { y in
            (0..<(one.width / 2)).map { x in one.pixels[2 * y * one.width + 2 * x] }
        })
        let blank = GrayImage(width: 160, height: 120, pixels: (0..<(160 * 120)).map { UInt8(($0 % 160) / 2) })
        for (name, image) in [("a-photo.png", one), ("b-mirrored.png", mirrored), ("c-pair.png", pair), ("d-half.png", half),
                              ("e-gradient.png", blank), ("g-photo-again.png", one)] {
            try image.write(to: dir.appendingPathComponent(name).path)
        }
        try "not a photo".write(to: dir.appendingPathComponent("f-notes.txt"), atomically: true, encoding: .utf8)

        for format in [[], ["--json"]] {
            let serial = try FacetCLI.run(["predict", "--model", Self.modelPath, "--workers", "1", "--threads", "1", "--batch", "3", dir.path] + format)
            let parallel = try FacetCLI.run(["predict", "--model", Self.modelPath, "--workers", "3", "--threads", "2", "--batch", "3", dir.path] + format)
            XCTAssertEqual(serial.status, 0, serial.stderr)
            XCTAssertEqual(parallel.status, 0, parallel.stderr)
            XCTAssertEqual(parallel.stdout, serial.stdout, "output \(format) depends on the number of workers")
            XCTAssertTrue(serial.stderr.contains("(1 worker)") && parallel.stderr.contains("(3 workers)"), serial.stderr + parallel.stderr)
            XCTAssertTrue(parallel.stderr.contains("photos/s"), parallel.stderr)
        }
        let doc = try runJSON(["--workers", "3", dir.path])
        let faces = try XCTUnwrap(doc["summary"] as? [String: Int])["faces"] ?? 0
        XCTAssertGreaterThanOrEqual(faces, 5, "the folder should hold at least five faces, so the comparison means something")
    }

    /// Workers start with the biggest files (they take longest); equal sizes and files that cannot
    /// be read keep their input order, the unreadable ones last.
    func testLargestPhotosAreTakenFirst() throws {
        let dir = try temporaryFolder()
        let files = [("a", 10), ("b", 300), ("c", 10), ("d", 50)].map { name, size in
            let path = dir.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: Data(count: size))
            return path
        }
        XCTAssertEqual(Predictor.largestFirst(files + [dir.appendingPathComponent("missing").path]), [1, 3, 0, 2, 4])
    }

    /// `--align-from-detection` is accepted and keeps the photo's faces; the default is off.
    func testAlignFromDetectionIsOptInAndKeepsTheFaces() throws {
        let searched = try runJSON([Self.photo]), fast = try runJSON(["--align-from-detection", Self.photo])
        let faces = { (doc: [String: Any]) in try XCTUnwrap(doc["summary"] as? [String: Int])["faces"] }
        XCTAssertEqual(try faces(fast), try faces(searched))
        XCTAssertEqual(try faces(fast), 1)
        XCTAssertFalse(try Predictor(model: PredictionModel(contentsOf: Self.modelPath)).alignFromDetection)
    }

    /// Each face is aligned as training aligned its main face: same face, eyes within a pixel.
    func testEveryFaceAlignmentMatchesTheSingleFacePath() throws {
        let model = try PredictionModel(contentsOf: Self.modelPath)
        let aligner = try FaceAligner(model.pipeline)
        let image = try GrayImage(contentsOf: Self.photo)
        let main = try aligner.align(image)
        let all = try aligner.alignAll(image)
        let first = try XCTUnwrap(all.first)
        XCTAssertEqual(first.outcome, main.outcome)
        let (e, m) = (try XCTUnwrap(first.eyes), try XCTUnwrap(main.eyes))
        for (a, b) in [(e.leftX, m.leftX), (e.leftY, m.leftY), (e.rightX, m.rightX), (e.rightY, m.rightY)] {
            XCTAssertEqual(a, b, accuracy: 1.0)
        }
        let difference = zip(first.crop.pixels, main.crop.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        XCTAssertLessThan(Double(difference) / Double(main.crop.pixels.count), 4, "crops should match the training path")
    }

    /// Two copies of the photo side by side: two faces, each aligned as the single photo's face.
    func testEveryFaceInAGroupPhotoIsFoundAndAligned() throws {
        let model = try PredictionModel(contentsOf: Self.modelPath)
        let aligner = try FaceAligner(model.pipeline)
        let one = try GrayImage(contentsOf: Self.photo)
        var pixels: [UInt8] = []
        for row in 0..<one.height { let r = one.pixels[(row * one.width)..<((row + 1) * one.width)]; pixels += r; pixels += r }
        let two = GrayImage(width: 2 * one.width, height: one.height, pixels: pixels)
        let single = try XCTUnwrap(aligner.alignAll(one).first)
        let faces = try aligner.alignAll(two).sorted { $0.faceBox!.x < $1.faceBox!.x }
        XCTAssertEqual(faces.count, 2)
        guard faces.count == 2 else { return }
        for (k, face) in faces.enumerated() {
            XCTAssertEqual(face.outcome, .aligned)
            let box = try XCTUnwrap(face.faceBox), reference = try XCTUnwrap(single.faceBox)
            XCTAssertEqual(Double(box.x), Double(reference.x + k * one.width), accuracy: 3)
            XCTAssertEqual(Double(box.y), Double(reference.y), accuracy: 3)
            let difference = zip(face.crop.pixels, single.crop.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
            XCTAssertLessThan(Double(difference) / Double(single.crop.pixels.count), 4, "face \(k + 1)")
        }
    }

    /// A crop read back through the saved preprocessing gives exactly the Floats training saw.
    func testSavedPreprocessingReproducesTheTrainingPixels() throws {
        let dir = try temporaryFolder()
        let path = dir.appendingPathComponent("m.safetensors").path
        let session = try Session(seed: 2, progress: .quiet)
        _ = try session.run("""
        let faces = synthetic(n: 60, seed: 4, size: 24) | split(0.6, 0.2, 0.2) | gcn
        net tiny(classes = 7) {
          input 24x24x1
          dense 8 relu
          softmax classes
        }
        save(train(tiny(), faces.emotion, epochs: 1, batch: 20), "\(path)")
        """, name: "train.facet")
        guard case let .foreign(value) = try session.run("faces", name: "faces.facet"), let data = value as? DatasetValue else {
            return XCTFail("faces is not a data set")
        }
        let model = try PredictionModel(contentsOf: path)
        XCTAssertEqual(model.pipeline, data.pipeline)
        XCTAssertNotNil(model.statistics)
        for i in data.indices(.test) {
            var mine = [Float](repeating: 0, count: 24 * 24)
            mine.withUnsafeMutableBufferPointer {
                model.normalisation.normalise(data.face.crops.image(i).pixels, statistics: model.statistics, into: $0)
            }
            XCTAssertEqual(mine, data.face.pixels([i]), "sample \(i)")
        }
    }

    /// Softmax, sigmoid and regression heads in one model: each in its own JSON shape and text form.
    func testEveryHeadKindIsReported() throws {
        let dir = try temporaryFolder()
        let path = dir.appendingPathComponent("multi.safetensors").path
        let session = try Session(seed: 2, progress: .quiet)
        _ = try session.run("""
        let faces = synthetic(n: 60, seed: 4, size: 24, preset: "multi-attribute") | split(0.6, 0.2, 0.2) | gcn
        net multi(params = 30) {
          input 24x24x1
          dense 8 relu
          heads { emotion: softmax 7  joint: sigmoid 37  aam: regress params + 2 }
        }
        save(train(multi(params: len(faces.targets) - 2), faces, epochs: 1, batch: 20), "\(path)")
        """, name: "train.facet")
        let model = try PredictionModel(contentsOf: path)
        let report = try Predictor(model: model).predict(files: [Self.photo])
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json(model: model).utf8)) as? [String: Any])
        let face = try XCTUnwrap(((doc["images"] as? [[String: Any]])?.first?["faces"] as? [[String: Any]])?.first)
        let heads = try XCTUnwrap(face["heads"] as? [String: [String: Any]])
        XCTAssertEqual(Set(heads.keys), ["emotion", "joint", "aam"])

        let joint = try XCTUnwrap(heads["joint"]?["labels"] as? [String: Double])
        XCTAssertEqual(joint.count, 37)
        XCTAssertTrue(joint.values.allSatisfy { (0...1).contains($0) })
        let present = try XCTUnwrap(heads["joint"]?["present"] as? [String])
        XCTAssertEqual(Set(present), Set(joint.filter { $0.value >= 0.5 }.keys))

        let values = try XCTUnwrap(heads["aam"]?["values"] as? [String: Double])
        XCTAssertEqual(values.count, model.network.heads[2].spec.kind.outputs)
        XCTAssertNotNil(values["yaw"])
        XCTAssertNotNil(values["pitch"])

        let text = report.text
        XCTAssertTrue(text.contains("    emotion: "), text)
        XCTAssertTrue(text.contains("    joint: "), text)
        XCTAssertTrue(text.contains("    aam: yaw ") && text.contains("°, pitch ") && text.contains("\(values.count - 2) AAM values ["), text)
    }

    /// Photos with the same name in different folders get distinct annotated copies.
    func testAnnotatedNamesStayUnique() {
        var used: Set<String> = []
        let names = ["a/face.jpg", "b/face.jpg", "c/face.jpg", "face-2.jpg", "notes"].map {
            PredictionReport.outputName(for: $0, avoiding: &used)
        }
        XCTAssertEqual(names, ["face.jpg", "face-2.jpg", "face-3.jpg", "face-2-2.jpg", "notes"])
    }
}
