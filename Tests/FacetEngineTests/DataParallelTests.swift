import FacetRandom
import Foundation
import XCTest
@testable import FacetEngine
import FacetEngineTestSupport

final class DataParallelTests: XCTestCase {
    /// Bars (softmax "out") plus a two-label sigmoid head "attrs" with about a third of its labels
    /// missing, so ranks hold different labelled counts per head.
    static func data(_ n: Int, seed: UInt64) -> LabeledData {
        var d = BarsFixture.bars(n, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 100)
        guard case let .classes(c) = d.targets["out"]! else { fatalError() }
        var attrs: [Float] = []
        for i in 0..<n {
            attrs.append(rng.next() % 3 == 0 ? .nan : Float(c[i]))
            attrs.append(rng.next() % 3 == 0 ? -1 : Float(rng.next() % 2))
        }
        d.targets["attrs"] = .multiLabel(attrs)
        return d
    }

    static let net = NetSpec(
        input: FeatureShape(channels: 1, height: 12, width: 12),
        layers: [.conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1), .relu,
                 .maxpool(size: 2, stride: 2, ceil: true), .dense(units: 16), .relu, .dropout(rate: 0.3)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 2)), HeadSpec(name: "attrs", kind: .sigmoid(labels: 2))])

    /// 90 samples in batches of 20: the last batch has 10, split 5/5 over two ranks, 4/3/3 over three.
    static func options(_ optimizer: OptimizerKind) -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = 3; o.batchSize = 20; o.seed = 9; o.optimizer = optimizer; o.learningRate = .constant(0.02)
        o.patience = 5
        return o
    }

    func train(ranks: Int, _ optimizer: OptimizerKind) throws -> [(weights: [[Float]], history: TrainingHistory)] {
        let data = Self.data(90, seed: 4), valid = Self.data(30, seed: 5)
        let single = try Network(spec: Self.net, seed: 3)
        let history = try Trainer.train(single, on: data, validation: valid, options: Self.options(optimizer))
        let parallel = try ThreadRanks(size: ranks).run { rank -> ([[Float]], TrainingHistory) in
            // Other ranks start from other weights: rank 0's are broadcast.
            let net = try Network(spec: Self.net, seed: 3 + UInt64(rank.rank))
            var o = Self.options(optimizer)
            o.collective = rank
            let h = try Trainer.train(net, on: data, validation: valid, options: o)
            return (net.snapshot(), h)
        }
        return [(single.snapshot(), history)] + parallel.map { (weights: $0.0, history: $0.1) }
    }

    func assertClose(_ a: [[Float]], _ b: [[Float]], _ tolerance: Float, file: StaticString = #filePath, line: UInt = #line) {
        var worst: Float = 0
        for (x, y) in zip(a, b) {
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v) / max(1, abs(u))) }
        }
        XCTAssertLessThan(worst, tolerance, "largest relative difference", file: file, line: line)
    }

    func testTwoRanksEqualOneProcessWithSGDMomentum() throws {
        let runs = try train(ranks: 2, .sgd(momentum: 0.9, weightDecay: 0.001))
        XCTAssertEqual(runs[1].weights, runs[2].weights, "ranks hold bit-identical weights")
        assertClose(runs[0].weights, runs[1].weights, 1e-5)
        for (a, b) in zip(runs[0].history.epochs, runs[1].history.epochs) {
            XCTAssertEqual(a.trainLoss, b.trainLoss, accuracy: 1e-5, "the reported loss is the global batch's")
            XCTAssertEqual(a.validationError!, b.validationError!, accuracy: 1e-9)
        }
        XCTAssertEqual(runs[0].history.bestEpoch, runs[1].history.bestEpoch)
    }

    func testThreeRanksEqualOneProcessWithAdam() throws {
        let runs = try train(ranks: 3, .defaultAdam)
        XCTAssertEqual(runs[1].weights, runs[3].weights)
        assertClose(runs[0].weights, runs[1].weights, 1e-5)
        // Validation split 10/10/10 over the ranks, its error sums and counts added up.
        XCTAssertEqual(runs[0].history.epochs.map(\.validationError), runs[2].history.epochs.map(\.validationError))
        XCTAssertEqual(runs[0].history.bestEpoch, runs[3].history.bestEpoch)
    }

    /// Without skipping the other slices' draws, dropout masks differ from one process's and the
    /// weights drift far beyond rounding: this test fails when `skipDropout` is left out.
    func testDropoutMasksMatchOneProcess() throws {
        let runs = try train(ranks: 2, .sgd(momentum: 0, weightDecay: 0))
        assertClose(runs[0].weights, runs[2].weights, 1e-5)
    }

    func testMeanCountIsWhatTheLossDividesBy() throws {
        let net = try Network(spec: Self.net, seed: 1)
        let attrs = net.heads[1]
        XCTAssertEqual(attrs.meanCount(.multiLabel([.nan, -1, 1, .nan, 0, 0])), 2, "samples with any label")
        XCTAssertEqual(net.heads[0].meanCount(.classes([1, -1, 0])), 2)
    }
}
