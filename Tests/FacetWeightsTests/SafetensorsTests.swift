import FacetEngine
import FacetEngineTestSupport
import XCTest
@testable import FacetWeights

final class SafetensorsTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testNetworkRoundTripKeepsSpecWeightsAndMetadata() throws {
        let net = try Network(spec: BarsFixture.smallNet, seed: 3)
        let url = dir.appendingPathComponent("m.safetensors")
        try net.save(to: url, metadata: ["facet.training": "epochs=3"])
        let (loaded, meta) = try Network.load(from: url)
        XCTAssertEqual(loaded.spec, net.spec)
        XCTAssertEqual(loaded.snapshot(), net.snapshot())
        XCTAssertEqual(meta["facet.training"], "epochs=3")
        XCTAssertEqual(meta[ModelMetadataKey.model], net.spec.text)
        let x = BarsFixture.bars(2, seed: 1).inputs  // [2, 1, 12, 12]
        XCTAssertEqual(try loaded.predict(x)["out"], try net.predict(x)["out"])
    }

    func testHeaderLayoutFollowsTheFormat() throws {
        let data = Safetensors.encode(["b": .init(shape: [2], values: [1, 2]), "a": .init(shape: [1, 1], values: [3])],
                                      metadata: ["k": "v"])
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        XCTAssertEqual(n % 8, 0)
        let header = String(decoding: data[8..<(8 + n)], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        XCTAssertEqual(header, #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#)
        XCTAssertEqual(data.count, 8 + n + 12)
    }

    func testTruncatedCorruptAndMismatchedFilesAreClearErrors() throws {
        let url = dir.appendingPathComponent("m.safetensors")
        let net = try Network(spec: BarsFixture.smallNet, seed: 3)
        try net.save(to: url)
        let full = try Data(contentsOf: url)
        func expectError(_ bytes: Data, _ fragment: String, line: UInt = #line) {
            XCTAssertThrowsError(try Safetensors.decode(bytes, path: "x.safetensors"), line: line) {
                XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line)
                XCTAssertTrue("\($0)".hasPrefix("x.safetensors: "), line: line)
            }
        }
        expectError(full.prefix(full.count - 10), "truncated")
        expectError(full.prefix(5), "too short")
        expectError(full.prefix(100), "header length")
        var garbage = full; garbage[8] = 0x5B; garbage[9] = 0x5B   // "[[" is not an object
        expectError(garbage, "not a JSON object")
        expectError(Data("hello world, this is not a model".utf8), "header length")
        let wrongDtype = Safetensors.encode(["w": .init(shape: [1], values: [1])])
        var text = wrongDtype; let r = text.range(of: Data("F32".utf8))!; text.replaceSubrange(r, with: Data("I64".utf8))
        expectError(text, "dtype I64 is not supported")

        // a file that is valid safetensors but not a Facet model
        let plain = dir.appendingPathComponent("plain.safetensors")
        try Safetensors.write(["w": .init(shape: [1], values: [1])], to: plain)
        XCTAssertThrowsError(try Network.load(from: plain)) { XCTAssertTrue("\($0)".contains("not a Facet model"), "\($0)") }
        // weights that do not fit
        var otherSpec = BarsFixture.smallNet; otherSpec.layers[4] = .dense(units: 8)
        let other = try Network(spec: otherSpec, seed: 1)
        XCTAssertThrowsError(try other.loadWeights(net.weightEntries, path: "m")) {
            XCTAssertTrue("\($0)".contains("weights do not fit this net"), "\($0)")
        }
        XCTAssertThrowsError(try Network.load(from: dir.appendingPathComponent("missing.safetensors"))) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
    }

    // MARK: interop with Python's safetensors

    /// Runs `script` in the interpreter named by FACET_PYTHON: a virtual environment with safetensors and
    /// numpy that scripts/test makes (.build/python-venv) and exports. Without the variable (a plain
    /// `swift test`) the test is skipped, since no interpreter of the system is assumed to have them;
    /// scripts/test fails the run if that skip message appears.
    private func python(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let interpreter = ProcessInfo.processInfo.environment["FACET_PYTHON"], !interpreter.isEmpty else {
            throw XCTSkip("FACET_PYTHON is not set: run scripts/test, which makes a venv with safetensors and numpy "
                          + "(.build/python-venv) and sets FACET_PYTHON to its python", file: file, line: line)
        }
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            XCTFail("FACET_PYTHON=\(interpreter) is not an executable file: run scripts/test, which makes it", file: file, line: line)
            return ""
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: interpreter)
        p.arguments = ["-c", script]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if errText.contains("No module named") {
            XCTFail("FACET_PYTHON=\(interpreter) lacks safetensors or numpy: run scripts/test, which installs them in its venv",
                    file: file, line: line)
        }
        XCTAssertEqual(p.terminationStatus, 0, errText, file: file, line: line)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testPythonReadsWhatFacetWrites() throws {
        let url = dir.appendingPathComponent("facet.safetensors")
        try Safetensors.write(["layers.0.weight": .init(shape: [2, 3], values: [1, -2.5, 3, 0.125, 1e-8, -7])],
                              metadata: ["facet.model": "net x { }"], to: url)
        let out = try python("""
        from safetensors.numpy import load_file
        from safetensors import safe_open
        t = load_file('\(url.path)')['layers.0.weight']
        with safe_open('\(url.path)', 'np') as f: meta = f.metadata()
        print(t.dtype, list(t.shape), ' '.join(repr(float(v)) for v in t.flatten()), meta['facet.model'])
        """)
        XCTAssertEqual(out, "float32 [2, 3] 1.0 -2.5 3.0 0.125 9.99999993922529e-09 -7.0 net x { }")
    }

    func testFacetReadsWhatPythonWrites() throws {
        let url = dir.appendingPathComponent("py.safetensors")
        _ = try python("""
        import numpy as np
        from safetensors.numpy import save_file
        save_file({'a': np.arange(6, dtype=np.float32).reshape(2, 3) / 4, 'b': np.array([1.5, -2], dtype=np.float64)},
                  '\(url.path)', metadata={'who': 'python'})
        """)
        let (tensors, meta) = try Safetensors.read(url)
        XCTAssertEqual(tensors["a"], .init(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25]))
        XCTAssertEqual(tensors["b"], .init(shape: [2], values: [1.5, -2]))
        XCTAssertEqual(meta, ["who": "python"])
    }
}
