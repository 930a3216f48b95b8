import FacetEngine
import FacetLang
import FacetWeights
import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
import FacetTestSupport

/// Issue 18: every bad input a new user met is a clear error where it enters, with a normal exit
/// status (never a signal, never a silent success).
final class BadInputTests: XCTestCase {
    private func session() throws -> Session {
        let s = try Session(progress: .quiet)
        s.sink = { _ in }
        return s
    }

    private func assertError(_ s: Session, _ source: String, _ fragment: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        assertRunError(s, source, fragment, name: "t.facet", file: file, line: line)
    }

    private func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    // MARK: save

    /// `save` of a data set, a number or an untrained net used to write nothing, print
    /// `<unknown until run>` and succeed; a known wrong type is now found by `check`.
    func testSavingSomethingThatIsNotARunOrNetworkIsAnError() throws {
        let s = try session()
        let net = "net tiny {\n  input 8x8x1\n  softmax 2\n}\n"
        let checked = s.check(SourceFile(name: "t.facet", text: net + "save(5, \"m.safetensors\")\nsave(tiny, \"m.safetensors\")"))
        XCTAssertEqual(checked.map(\.message), [
            "argument `model` of `save` must be a run or network, got number 5",
            "argument `model` of `save` must be a run or network, got net tiny",
        ])
        // A data set is only known when it runs: the error comes then, before anything is written.
        let path = try temporaryFolder().appendingPathComponent("m.safetensors").path
        assertError(s, "let d = synthetic(n: 3, seed: 1)\nsave(d, \"\(path)\")", "must be a run or network, got dataset")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))

        let dir = try temporaryFolder()
        let script = dir.appendingPathComponent("save.facet")
        try (net + "save(tiny, \"x.safetensors\")\n").write(to: script, atomically: true, encoding: .utf8)
        let out = try FacetCLI.run(["check", script.path])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.contains("save.facet:5:6: error: argument `model` of `save` must be a run or network"), out.stderr)
    }

    // MARK: train's settings

    func testTrainingSettingsOutsideTheirRangeSayTheRange() throws {
        let s = try session()
        try s.run(tinyEmotionTraining(n: "60", epochs: "1"), name: "setup.facet")
        for (arguments, message) in [
            ("lr: -1", "lr must be a number > 0, got -1"),
            ("lr: 0", "lr must be a number > 0, got 0"),
            ("lr: linear(0.01, -0.001)", "to must be a number > 0, got -0.001"),
            ("momentum: 5", "momentum must be a number in [0, 1), got 5"),
            ("momentum: 1", "momentum must be a number in [0, 1), got 1"),
            ("weight_decay: -0.1", "weight_decay must be a number ≥ 0, got -0.1"),
            ("epochs: 0", "epochs must be a whole number from 1 to 1000000, got 0"),
            // Up to 2^53 epochs used to be accepted, and epochs × batches could overflow (a trap).
            ("epochs: 10000000", "epochs must be a whole number from 1 to 1000000, got 10000000"),
            ("batch: 0", "batch must be a whole number ≥ 1, got 0"),
            ("patience: 0", "patience must be a whole number ≥ 1, got 0"),
            ("optimizer: \"sdg\"", "optimizer must be one of \"sgd\", \"adam\", got \"sdg\""),
        ] {
            assertError(s, "train(tiny(), faces.emotion, \(arguments))", message)
        }
    }

    /// Other builtins go through the same helpers: a range in the message, the argument underlined.
    func testBuiltinArgumentsShareOneVocabulary() throws {
        let s = try session()
        assertError(s, "synthetic(n: 0)", "n must be a whole number ≥ 1, got 0")
        assertError(s, "synthetic(n: 5, label_noise: 2)", "label_noise must be a number from 0 to 1, got 2")
        assertError(s, "synthetic(n: 5, size: 4)", "size must be a whole number from 8 to 512, got 4")
        assertError(s, "instantiate(softmax_regression(), seed: -1)", "seed must be a whole number from 0 to 2^53, got -1")
        try s.run("let d = synthetic(n: 10, seed: 1)", name: "t.facet")
        assertError(s, "resize(d, 1000)", "size must be a whole number from 8 to 512, got 1000")
        assertError(s, "align(d, size: \"big\")", "size must be a whole number from 8 to 512, got \"big\"")
        assertError(s, "split(d, -0.5, 1, 0.5)", "train must be a number from 0 to 1, got -0.5")
        assertError(s, "round(1.5, 400)", "digits must be a whole number from -15 to 15, got 400")
        assertError(s, "table([{a: 1.5}], digits: 40)", "digits must be a whole number from 0 to 12, got 40")
        assertError(s, "table([{a: 1.5}], format: \"pct\")", "format must be one of \"fixed\", \"percent\", \"integer\", got \"pct\"")
        XCTAssertEqual(try s.run("mean([1e308, 1e308])", name: "t.facet").description, "1e+308")
    }

    // MARK: models with non-finite weights

    /// A copy of the tests' trained model with one weight replaced by NaN.
    private func poisonedModel(in dir: URL) throws -> (path: String, tensor: String) {
        let (tensors, metadata) = try Safetensors.read(URL(fileURLWithPath: PredictFixture.modelPath))
        let name = try XCTUnwrap(tensors.keys.sorted().first)
        var poisoned = tensors
        poisoned[name]!.values[1] = .nan
        let url = dir.appendingPathComponent("nan.safetensors")
        try Safetensors.write(poisoned, metadata: metadata, to: url)
        return (url.path, name)
    }

    func testAModelWithNonFiniteWeightsIsRefusedOnLoad() throws {
        let (path, tensor) = try poisonedModel(in: try temporaryFolder())
        let expected = "\(path): tensor '\(tensor)' holds a non-finite weight (nan at element 1 of "
        assertError(try session(), "load(\"\(path)\")", expected)

        let out = try FacetCLI.run(["predict", "--model", path, PredictFixture.photo])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.contains(expected), out.stderr)
        XCTAssertEqual(out.stdout, "", "no `nan` predictions")
    }

    // MARK: predict: damaged photos and broken preprocessing

    func testATruncatedPhotoIsAnEntryWithAnError() throws {
        let dir = try temporaryFolder()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: PredictFixture.photo))
        let cut = dir.appendingPathComponent("cut.jpg")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        let out = try FacetCLI.run(["predict", "--model", PredictFixture.modelPath, cut.path, PredictFixture.photo])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("cut.jpg: damaged JPEG: the data end before its end-of-image marker"), out.stdout)
        XCTAssertFalse(out.stderr.contains("Premature end of JPEG file"), "refused before libjpeg sees it: \(out.stderr)")
    }

    /// Preprocessing read from a model file (bad settings, a cascade that is not there) names the file.
    func testPipelineAndCascadeErrorsNameTheModelFile() throws {
        let dir = try temporaryFolder()
        let (tensors, metadata) = try Safetensors.read(URL(fileURLWithPath: PredictFixture.modelPath))
        for (key, value, fragment) in [("eyeDistance", 2.0 as Any, "face pipeline: eye distance 2"),
                                       ("faceCascade", "/nowhere/no-such-cascade.xml" as Any, "no-such-cascade.xml")] {
            var pre = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metadata[ModelMetadataKey.preprocessing]!.utf8)) as? [String: Any])
            var pipeline = try XCTUnwrap(pre["pipeline"] as? [String: Any])
            pipeline[key] = value
            pre["pipeline"] = pipeline
            var meta = metadata
            meta[ModelMetadataKey.preprocessing] = String(decoding: try JSONSerialization.data(withJSONObject: pre), as: UTF8.self)
            let url = dir.appendingPathComponent("\(key).safetensors")
            try Safetensors.write(tensors, metadata: meta, to: url)
            let out = try FacetCLI.run(["predict", "--model", url.path, PredictFixture.photo])
            XCTAssertEqual(out.status, 1, out.stderr)
            XCTAssertTrue(out.stderr.contains("\(url.path): ") && out.stderr.contains(fragment), out.stderr)
        }
    }
}
