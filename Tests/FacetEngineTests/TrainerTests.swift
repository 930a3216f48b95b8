import FacetEngineTestSupport
import XCTest
@testable import FacetEngine

final class TrainerTests: XCTestCase {
    func testSmallConvNetLearnsBars() throws {
        let net = try Network(spec: BarsFixture.smallNet, seed: 1)
        let train = BarsFixture.bars(400, seed: 1), test = BarsFixture.bars(200, seed: 2)
        var reports = 0
        let history = try Trainer.train(net, on: train, validation: test, options: BarsFixture.options(),
                                        progress: { _ in reports += 1 })
        let error = try Trainer.validationError(net, test, heads: ["out"])
        XCTAssertLessThan(error, 0.05, "accuracy \(1 - error) after \(history.epochs.count) epochs")
        XCTAssertEqual(reports, 6 * 20 + 6, "one report per batch and one per epoch")
        XCTAssertLessThan(history.epochs.last!.trainLoss, history.epochs.first!.trainLoss)
    }

    func testSameSeedGivesBitIdenticalWeights() throws {
        func run(_ seed: UInt64) throws -> [[Float]] {
            let net = try Network(spec: BarsFixture.smallNet, seed: 7)
            _ = try Trainer.train(net, on: BarsFixture.bars(100, seed: 3), options: BarsFixture.options(epochs: 2, seed: seed))
            return net.snapshot()
        }
        let a = try run(5), b = try run(5), c = try run(6)
        XCTAssertEqual(a, b, "same seed, same weights, bit for bit")
        XCTAssertNotEqual(a, c, "another seed shuffles and drops out differently")
    }

    func testNonFiniteLossStopsWithEpochAndBatchAndKeepsWeights() throws {
        let net = try Network(spec: BarsFixture.smallNet, seed: 1)
        var data = BarsFixture.bars(60, seed: 4)
        _ = try Trainer.train(net, on: data, options: BarsFixture.options(epochs: 1))
        let before = net.snapshot()
        data.inputs.data[0] = .nan
        var o = BarsFixture.options(epochs: 3); o.batchSize = 60
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
        let net = try Network(spec: BarsFixture.smallNet, seed: 1)
        var o = BarsFixture.options(epochs: 10)
        o.learningRate = .linear(from: 0.01, to: 0, over: 2)  // no learning after epoch 1
        o.patience = 2
        let history = try Trainer.train(net, on: BarsFixture.bars(100, seed: 5), validation: BarsFixture.bars(50, seed: 6), options: o)
        XCTAssertTrue(history.stoppedEarly)
        XCTAssertLessThan(history.epochs.count, 10)
        let best = history.epochs.min { $0.validationError! < $1.validationError! }!
        XCTAssertEqual(history.bestEpoch, best.epoch)
        XCTAssertEqual(try Trainer.validationError(net, BarsFixture.bars(50, seed: 6), heads: ["out"]), best.validationError!, accuracy: 1e-12)
    }

    func testLabelsForTheWrongNumberOfSamplesAreAnError() throws {
        let net = try Network(spec: BarsFixture.smallNet, seed: 1)
        var data = BarsFixture.bars(10, seed: 1)
        data.targets["out"] = .classes([0, 1])
        XCTAssertThrowsError(try Trainer.train(net, on: data, options: BarsFixture.options())) {
            XCTAssertEqual("\($0)", "head 'out': labels for 2 samples, but the data have 10")
        }
    }
}
