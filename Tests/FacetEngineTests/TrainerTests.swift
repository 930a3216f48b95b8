import FacetRandom
import XCTest
@testable import FacetEngine

final class TrainerTests: XCTestCase {
    /// Two classes of 12×12 images: a horizontal or a vertical bar at a random place, plus noise.
    static func bars(_ n: Int, seed: UInt64) -> LabeledData {
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [n, 1, 12, 12])
        var labels: [Int32] = []
        for i in 0..<n {
            let cls = Int32(rng.next() % 2), pos = Int(rng.next() % 10) + 1
            for p in 0..<144 { x.data[i * 144 + p] = rng.normal() * 0.3 }
            for t in 0..<12 { x.data[i * 144 + (cls == 0 ? pos * 12 + t : t * 12 + pos)] += 1 }
            labels.append(cls)
        }
        return LabeledData(inputs: x, targets: ["out": .classes(labels)])
    }

    static let smallNet = NetSpec(
        input: FeatureShape(channels: 1, height: 12, width: 12),
        layers: [.conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1), .relu, .lcn(size: 3),
                 .maxpool(size: 2, stride: 2, ceil: true), .dense(units: 16), .relu, .dropout(rate: 0.2)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])

    static func options(epochs: Int = 6, seed: UInt64 = 1) -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs; o.batchSize = 20; o.seed = seed
        o.optimizer = .defaultAdam; o.learningRate = .constant(0.01)
        return o
    }

    func testSmallConvNetLearnsBars() throws {
        let net = try Network(spec: Self.smallNet, seed: 1)
        let train = Self.bars(400, seed: 1), test = Self.bars(200, seed: 2)
        var reports = 0
        let history = try Trainer.train(net, on: train, validation: test, options: Self.options(),
                                        progress: { _ in reports += 1 })
        let error = try Trainer.validationError(net, test, heads: ["out"])
        XCTAssertLessThan(error, 0.05, "accuracy \(1 - error) after \(history.epochs.count) epochs")
        XCTAssertEqual(reports, 6 * 20 + 6, "one report per batch and one per epoch")
        XCTAssertLessThan(history.epochs.last!.trainLoss, history.epochs.first!.trainLoss)
    }

    func testSameSeedGivesBitIdenticalWeights() throws {
        func run(_ seed: UInt64) throws -> [[Float]] {
            let net = try Network(spec: Self.smallNet, seed: 7)
            _ = try Trainer.train(net, on: Self.bars(100, seed: 3), options: Self.options(epochs: 2, seed: seed))
            return net.snapshot()
        }
        let a = try run(5), b = try run(5), c = try run(6)
        XCTAssertEqual(a, b, "same seed, same weights, bit for bit")
        XCTAssertNotEqual(a, c, "another seed shuffles and drops out differently")
    }

    func testNonFiniteLossStopsWithEpochAndBatchAndKeepsWeights() throws {
        let net = try Network(spec: Self.smallNet, seed: 1)
        var data = Self.bars(60, seed: 4)
        _ = try Trainer.train(net, on: data, options: Self.options(epochs: 1))
        let before = net.snapshot()
        data.inputs.data[0] = .nan
        var o = Self.options(epochs: 3); o.batchSize = 60
        XCTAssertThrowsError(try Trainer.train(net, on: data, options: o)) { error in
            guard case let .nonFiniteLoss(epoch, batch, head, value)? = error as? EngineError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual([epoch, batch], [1, 1]); XCTAssertEqual(head, "out"); XCTAssertTrue(value.isNaN)
            XCTAssertEqual("\(error)", "training diverged: loss of head 'out' is NaN at epoch 1, batch 1; "
                           + "kept the best weights so far (try a lower learning rate)")
        }
        XCTAssertTrue(net.snapshot() == before, "weights are those before the bad batch")
    }

    func testEarlyStoppingRestoresTheBestEpoch() throws {
        let net = try Network(spec: Self.smallNet, seed: 1)
        var o = Self.options(epochs: 10)
        o.learningRate = .linear(from: 0.01, to: 0, over: 2)  // no learning after epoch 1
        o.patience = 2
        let history = try Trainer.train(net, on: Self.bars(100, seed: 5), validation: Self.bars(50, seed: 6), options: o)
        XCTAssertTrue(history.stoppedEarly)
        XCTAssertLessThan(history.epochs.count, 10)
        let best = history.epochs.min { $0.validationError! < $1.validationError! }!
        XCTAssertEqual(history.bestEpoch, best.epoch)
        XCTAssertEqual(try Trainer.validationError(net, Self.bars(50, seed: 6), heads: ["out"]), best.validationError!, accuracy: 1e-12)
    }

    func testLabelsForTheWrongNumberOfSamplesAreAnError() throws {
        let net = try Network(spec: Self.smallNet, seed: 1)
        var data = Self.bars(10, seed: 1)
        data.targets["out"] = .classes([0, 1])
        XCTAssertThrowsError(try Trainer.train(net, on: data, options: Self.options())) {
            XCTAssertEqual("\($0)", "head 'out': labels for 2 samples, but the data have 10")
        }
    }
}
