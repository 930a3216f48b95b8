import Foundation
import XCTest
@testable import FacetEngine
import FacetEngineTestSupport

/// The memory estimate (docs/engine.md, "Memory") and every engine path that refuses, before
/// allocating, a net or batch that does not fit the limit. Nothing here allocates more than a few KiB.
final class MemoryTests: XCTestCase {
    override func tearDown() { MemoryLimit.override = nil }

    private func limit(_ bytes: Double) { MemoryLimit.override = MemoryLimit(bytes: bytes, source: "test") }

    /// 4×4×1 → conv 2 3×3 (2×2×2, 20 params) → relu → maxpool 2 (1×1×2) → dense 3 (9) → softmax 2 (8).
    static let small = NetSpec(
        input: FeatureShape(channels: 1, height: 4, width: 4),
        layers: [.conv(maps: 2, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), .relu,
                 .maxpool(size: 2, stride: 2, ceil: false), .dense(units: 3)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])

    /// By hand: 37 parameters = 148 bytes per copy. Kept per sample: input 16 + conv 8 + relu 8 +
    /// maxpool 2·2 (output and argmax) + dense 3 + head 3·2 = 45 floats; the largest transient is
    /// conv's 16 + 8 = 24; so 4·69 = 276 bytes a sample. Scratch: conv's col (9 × 4 positions) and
    /// weight-gradient sum (2 × 9) for each of 2 worker threads = 108 floats.
    func testTrainingMemoryByHand() throws {
        let threads = Engine.threads, algorithm = ConvAlgorithm.current
        Engine.threads = 2
        ConvAlgorithm.current = .im2col
        defer { Engine.threads = threads; ConvAlgorithm.current = algorithm }
        let sgd = try Self.small.memory(.training(batch: 20, optimizer: .paperSGD))
        XCTAssertEqual(sgd.parts.map(\.name), ["weights", "gradients", "momentum", "best-weights copy", "activations", "scratch"])
        XCTAssertEqual(sgd.parts.map(\.bytes), [148, 148, 148, 148, 20 * 276, 4 * 108])
        XCTAssertEqual(sgd.bytesPerSample, 276)
        let adam = try Self.small.memory(.training(batch: 20, optimizer: .defaultAdam))
        XCTAssertEqual(adam.total - sgd.total, 148, "Adam keeps two moments, momentum one")
        let bench = try Self.small.memory(.training(batch: 20, optimizer: .paperSGD, keepsBestWeights: false))
        XCTAssertEqual(sgd.total - bench.total, 148)
        XCTAssertEqual(try Self.small.memory(.instantiate).total, 296)
        XCTAssertEqual(try Self.small.memory(.load).total, 444)
        // inference keeps only the input and one layer's input and output: 16 + 24 floats a sample
        XCTAssertEqual(try Self.small.memory(.inference(batch: 20)).total, 296 + 20 * 4 * 40 + 4 * 108)
    }

    /// 4×4×2 → relu → lcn 3 → dense 3 (99 params) → softmax 2 (8). Kept per sample: input 32 +
    /// relu 32 + lcn 32 (its output) + 3·16 (the local mean, σ and the divisor per pixel) + 1 (the
    /// mean σ) + dense 3 + head 3·2 = 154 floats; lcn keeps its input too, but that is relu's output,
    /// counted there. The largest transient is relu's or lcn's 32 + 32; so 4·218 = 872 bytes.
    func testLocalContrastNormMemoryByHand() throws {
        let net = NetSpec(input: FeatureShape(channels: 2, height: 4, width: 4),
                          layers: [.relu, .lcn(size: 3), .dense(units: 3)],
                          heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])
        let sgd = try net.memory(.training(batch: 10, optimizer: .paperSGD))
        XCTAssertEqual(sgd.bytesPerSample, 872)
        XCTAssertEqual(sgd.parts.map(\.bytes), [428, 428, 428, 428, 10 * 872])
    }

    /// On oneDNN's primitive the conv's scratch is each worker's part in the primitive's layouts:
    /// here the output 2×2 and twice the input 4×4 (input, and input gradient, which cannot take a
    /// one-channel input's place), channels padded to 16: 16·4 + 2·16·16 = 576 floats an image;
    /// 20 images fit one part per worker (10 each), so 2 · 10 · 576 = 11,520 floats.
    func testConvScratchOnThePrimitiveByHand() throws {
        let threads = Engine.threads, algorithm = ConvAlgorithm.current, budget = ConvPrimitive.scratchBudget
        Engine.threads = 2
        ConvAlgorithm.current = .primitive
        defer { Engine.threads = threads; ConvAlgorithm.current = algorithm; ConvPrimitive.scratchBudget = budget }
        let sgd = try Self.small.memory(.training(batch: 20, optimizer: .paperSGD))
        XCTAssertEqual(sgd.parts.last?.name, "scratch")
        XCTAssertEqual(sgd.parts.last?.bytes, 4 * 11_520)
        // A budget of 3 images a part cuts 20 images into 8 parts (a multiple of the 2 workers), of
        // at most 3 images: 2 · 3 · 576 floats.
        ConvPrimitive.scratchBudget = 3 * 4 * 576
        XCTAssertEqual(ConvPrimitive.partCount(input: FeatureShape(channels: 1, height: 4, width: 4),
                                               output: FeatureShape(channels: 2, height: 2, width: 2), batch: 20, threads: 2), 8)
        XCTAssertEqual(try Self.small.memory(.training(batch: 20, optimizer: .paperSGD)).parts.last?.bytes, 4 * 2 * 3 * 576)
        // Fewer images than threads: im2col's col and weight-gradient sum, one worker.
        XCTAssertEqual(try Self.small.memory(.inference(batch: 1)).parts.last?.bytes, 4 * (9 * 4 + 2 * 9))
    }

    func testLimitComesFromTheEnvironmentFormat() {
        XCTAssertEqual(MemoryLimit.parse("64M"), 64 * 0x1p20)
        XCTAssertEqual(MemoryLimit.parse("2g"), 2 * 0x1p30)
        XCTAssertEqual(MemoryLimit.parse("1.5GiB"), 1.5 * 0x1p30)
        XCTAssertEqual(MemoryLimit.parse("4096"), 4096)
        XCTAssertNil(MemoryLimit.parse("lots"))
        XCTAssertNil(MemoryLimit.parse("0"))
        XCTAssertGreaterThan(MemoryLimit.physicalMemory, 0)
    }

    func testHugeNetIsRefusedBeforeItsWeightsExist() throws {
        limit(0x1p30)
        XCTAssertThrowsError(try Network(spec: MemoryFixture.huge, seed: 0)) { error in
            XCTAssertEqual("\(error)", "building this net needs 923.2 GiB (weights 461.6 GiB, gradients 461.6 GiB), "
                + "more than the memory limit of 1.0 GiB (test); the largest part is layer 3 `dense 1000000` with 923.2 GiB")
        }
    }

    func testTrainerRefusesABatchThatDoesNotFit() throws {
        let threads = Engine.threads, algorithm = ConvAlgorithm.current
        Engine.threads = 2
        ConvAlgorithm.current = .im2col   // the limits below are worked out with im2col's scratch
        defer { Engine.threads = threads; ConvAlgorithm.current = algorithm }
        limit(5000)
        let net = try Network(spec: Self.small, seed: 1)
        let data = LabeledData(inputs: Tensor(shape: [20, 1, 4, 4], repeating: 0.5),
                               targets: ["out": .classes([Int32](repeating: 1, count: 20))])
        var options = TrainingOptions(); options.epochs = 1; options.batchSize = 20
        XCTAssertThrowsError(try Trainer.train(net, on: data, options: options)) { error in
            XCTAssertTrue("\(error)".hasPrefix("training at batch 20 with sgd needs 6.4 KiB"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("batches of at most 14 fit"), "\(error)")
        }
        options.batchSize = 10
        XCTAssertNoThrow(try Trainer.train(net, on: data, options: options))
    }
}
