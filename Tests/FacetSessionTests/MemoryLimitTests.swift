import FacetEngine
import FacetLang
import FacetWeights
import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
import FacetTestSupport
import FacetPredict
import FacetCache

/// Issue 18, item 1: a net or batch that cannot fit in memory is an error with the layer, the size
/// and the limit — in `check`, `summary`, `instantiate`, `train`, a notebook, `load`/`facet predict`
/// and `facet bench` — never an abort. Limits are made small (or nets absurd) so nothing large is
/// allocated.
final class MemoryLimitTests: XCTestCase {
    override func tearDown() { MemoryLimit.override = nil }

    private func limit(_ bytes: Double) { MemoryLimit.override = MemoryLimit(bytes: bytes, source: "test") }

    /// The net: 123,912,001,671 parameters.
    static let huge = """
    net huge {
      input 48x48x1
      conv 64 5x5 relu
      dense 1000000
      softmax 7
    }
    """

    static let hugeMessage = "net `huge` needs 1.8 TiB to train before any activations (weights 461.6 GiB, gradients 461.6 GiB, "
        + "momentum 461.6 GiB, best-weights copy 461.6 GiB for 123,912,001,671 parameters), more than the memory limit "
        + "of 1.0 GiB (test); layer 3 `dense 1000000` alone needs 1.8 TiB"

    /// A net with few weights and large activations: only the batch can make it not fit.
    static let wide = """
    let faces = synthetic(n: 20, seed: 3, size: 24) | split(0.7, 0.15, 0.15, stratify: "emotion")
    net wide {
      input 24x24x1
      conv 64 5x5 relu
      softmax 7
    }
    """

    func testHugeDenseNetIsAnErrorInCheckSummaryInstantiateAndTrain() throws {
        limit(0x1p30)
        let s = try Session(progress: .quiet)
        let diagnostics = s.check(SourceFile(name: "huge.facet", text: Self.huge))
        XCTAssertEqual(diagnostics.map(\.message), [Self.hugeMessage])
        XCTAssertEqual(diagnostics.map(\.range.line), [4], "at the dense layer that dominates")
        for call in ["summary huge()", "let n = instantiate(huge())",
                     "let r = train(huge(), synthetic(n: 10) | split(0.8, 0.1, 0.1), epochs: 1)"] {
            XCTAssertThrowsError(try s.run(Self.huge + "\n" + call, name: "huge.facet"), call) { error in
                XCTAssertTrue("\(error)".contains(Self.hugeMessage), "\(error)")
            }
        }
    }

    /// By hand: 20 + 146 parameters = 664 B a copy; per sample the input 64, conv 72 and the head's
    /// 3·2 floats are kept, plus the head's backward 2·72: 286 floats = 1,144 B; conv's scratch is
    /// its col (9 × 36 positions) and weight-gradient sum (2 × 9) for each of 2 worker threads.
    func testSummaryShowsTrainingMemoryAgainstTheLimit() throws {
        let threads = Engine.threads, algorithm = ConvAlgorithm.current
        Engine.threads = 2
        ConvAlgorithm.current = .im2col   // the scratch worked out above is im2col's
        defer { Engine.threads = threads; ConvAlgorithm.current = algorithm }
        limit(0x1p30)
        let s = try Session(progress: .quiet)
        var text = ""
        s.sink = { if case let .text(t) = $0 { text += t } }
        try s.run("net small {\n  input 8x8x1\n  conv 2 3x3\n  softmax 2\n}\nsummary small", name: "s.facet")
        XCTAssertTrue(text.contains("training at batch 100 needs 117.0 KiB with sgd (weights 664 B, gradients 664 B, "
            + "momentum 664 B, best-weights copy 664 B, activations 111.7 KiB, scratch 2.7 KiB); adam adds 664 B"), text)
        XCTAssertTrue(text.contains("fits the memory limit of 1.0 GiB (test); batches of up to 938,580 fit; "
            + "the largest part is layer 1 `conv 2 3x3` with 28.4 KiB"), text)
    }

    func testABatchThatDoesNotFitIsAnErrorAtCheckAndAtRunTime() throws {
        limit(256 * 0x1p20)
        let s = try Session(progress: .quiet)
        let call = "let r = train(wide(), faces.emotion, epochs: 1, batch: 1000000)"
        let d = s.check(SourceFile(name: "w.facet", text: Self.wide + "\n" + call))
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.range.text, "1000000", "at the batch argument")
        XCTAssertEqual(d.first?.hint, "lower `batch:`")
        XCTAssertTrue(d.first?.message.hasPrefix("training at batch 1000000 with sgd needs 383.7 GiB") == true, "\(d)")
        XCTAssertTrue(d.first?.message.contains("the largest part is layer 1 `conv 64 5x5`") == true, "\(d)")
        // Known only when it runs: the engine is never asked for the memory.
        try s.run(Self.wide, name: "w.facet")
        XCTAssertThrowsError(try s.run("let r = train(wide(), faces.emotion, epochs: 1, batch: faces.count * 50000)", name: "w.facet")) {
            XCTAssertTrue("\($0)".contains("training at batch 1000000 with sgd needs 383.7 GiB"), "\($0)")
        }
    }

    func testANotebookCellThatCannotFitIsACellErrorAndTheReportIsWritten() throws {
        limit(256 * 0x1p20)
        let text = "---\ntitle: Memory\n---\n```facet\n\(Self.wide)\n```\n"
            + "```facet\nlet r = train(wide(), faces.emotion, epochs: 1, batch: faces.count * 50000)\n```\n"
            + "```facet\nprint(\"after\")\n```\n"
        let nb = try Notebook(text: text, path: "memory.fnb")
        var options = NotebookRunner.Options(); options.progress = .quiet
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("facet-memory-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        XCTAssertEqual(result.cells.map(\.failed), [false, true, false])
        XCTAssertEqual(result.cells.map(\.skipped), [false, false, true])
        let md = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(md.contains("training at batch 1000000 with sgd needs 383.7 GiB"), md)
    }

    // MARK: model files and the command line

    /// A model file whose metadata describe the huge net, with one tiny tensor.
    func craftedModel() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-huge-\(UUID().uuidString).safetensors")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 48, width: 48),
                           layers: [.conv(maps: 64, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), .relu,
                                    .dense(units: 1_000_000)],
                           heads: [HeadSpec(name: "out", kind: .softmax(classes: 7))])
        let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        try Safetensors.write(["layers.0.weight": .init(shape: [1], values: [1])],
                              metadata: [ModelMetadataKey.spec: json, ModelMetadataKey.format: "1"], to: url)
        return url
    }

    func testAModelWithAnAbsurdLayerIsRefusedByLoadAndPredict() throws {
        let url = try craftedModel()
        limit(0x1p30)
        let s = try Session(progress: .quiet)
        XCTAssertThrowsError(try s.run("let m = load(\"\(url.path)\")", name: "l.facet")) {
            XCTAssertTrue("\($0)".contains("loading this model needs 1.4 TiB"), "\($0)")
        }
        XCTAssertThrowsError(try PredictionModel(contentsOf: url.path)) {
            XCTAssertTrue("\($0)".contains("\(url.path): loading this model needs 1.4 TiB"), "\($0)")
            XCTAssertTrue("\($0)".contains("layer 3 `dense 1000000`"), "\($0)")
        }
        let photo = PredictFixture.photo
        let r = try FacetCLI.run(["predict", "--model", url.path, photo], environment: ["FACET_MEMORY_LIMIT": "1G"])
        XCTAssertTrue(r.exited, "ended by a signal: \(r.stderr)")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("loading this model needs 1.4 TiB"), r.stderr)
        XCTAssertTrue(r.stderr.contains("more than the memory limit of 1.0 GiB (FACET_MEMORY_LIMIT)"), r.stderr)
    }

    func testBenchWithAHugeBatchIsAnErrorNotAnAbort() throws {
        let r = try FacetCLI.run(["bench", "--batch", "1000000"], environment: ["FACET_MEMORY_LIMIT": "2G"])
        XCTAssertTrue(r.exited, "ended by a signal: \(r.stderr)")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("facet bench: error: training at batch 1000000 with sgd needs 2.9 TiB"), r.stderr)
        XCTAssertTrue(r.stderr.contains("batches of at most "), r.stderr)
    }

    func testCheckAndSummaryCommandsReportTheHugeNet() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("facet-huge-\(UUID().uuidString).facet")
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.huge.write(to: file, atomically: true, encoding: .utf8)
        for args in [["check", file.path], ["summary", file.path, "huge"]] {
            let r = try FacetCLI.run(args, environment: ["FACET_MEMORY_LIMIT": "1G"])
            XCTAssertTrue(r.exited && r.status == 1, "\(args): \(r.status) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(":4:3: error: net `huge` needs 1.8 TiB to train"), r.stderr)
            XCTAssertTrue(r.stderr.contains("(FACET_MEMORY_LIMIT); layer 3 `dense 1000000` alone needs 1.8 TiB"), r.stderr)
        }
    }
}
