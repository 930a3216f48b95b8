import FacetEngineTestSupport
import XCTest
@testable import FacetEngine  // EpochRecord's memberwise init
@testable import FacetWeights

/// Checkpoints: a run stopped after epoch k and resumed from its saved state (through the file
/// format) ends bit-identical to a run never stopped — weights, history, best epoch.
final class TrainingCheckpointTests: XCTestCase {
    typealias T = BarsFixture

    /// Trains `epochs` epochs uninterrupted, and again stopping after `stopAfter` (the state goes
    /// through the file format into a fresh network), and returns both.
    private func both(_ options: TrainingOptions, stopAfter k: Int, validation: Bool = true)
        throws -> (whole: (Network, TrainingHistory), resumed: (Network, TrainingHistory)) {
        let data = T.bars(120, seed: 3), valid = validation ? T.bars(40, seed: 4) : nil
        let whole = try Network(spec: T.smallNet, seed: 7)
        let wholeHistory = try Trainer.train(whole, on: data, validation: valid, options: options)

        let first = try Network(spec: T.smallNet, seed: 7)
        var saved: Data?
        var stopped = false
        _ = try Trainer.train(first, on: data, validation: valid, options: options, shouldStop: { stopped },
                              checkpoint: { state in
            if state.epochsDone == k { saved = try? TrainingCheckpoint.encode(state, for: first); stopped = true }
        })
        let file = try XCTUnwrap(saved, "a checkpoint after epoch \(k)")
        let second = try Network(spec: T.smallNet, seed: 7)
        let state = try TrainingCheckpoint.decode(file, for: second, path: "ckpt")
        XCTAssertEqual(state.epochsDone, k)
        let resumedHistory = try Trainer.train(second, on: data, validation: valid, options: options, resume: state)
        return ((whole, wholeHistory), (second, resumedHistory))
    }

    private func assertSame(_ r: (whole: (Network, TrainingHistory), resumed: (Network, TrainingHistory)),
                            file: StaticString = #filePath, line: UInt = #line) {
        let a = r.whole.0.snapshot().map { $0.map(\.bitPattern) }, b = r.resumed.0.snapshot().map { $0.map(\.bitPattern) }
        // Compared as a Bool: a failure printing every weight would drown the report.
        let firstDifference = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        XCTAssertTrue(a == b, "weights bit for bit; first differing tensor: \(firstDifference.map(String.init) ?? "-")",
                      file: file, line: line)
        let losses = { (h: TrainingHistory) in h.epochs.map { [$0.trainLoss, $0.validationError ?? -1, $0.learningRate] } }
        XCTAssertEqual(losses(r.whole.1), losses(r.resumed.1), "history", file: file, line: line)
        XCTAssertEqual(r.whole.1.bestEpoch, r.resumed.1.bestEpoch, file: file, line: line)
        XCTAssertEqual(r.whole.1.stoppedEarly, r.resumed.1.stoppedEarly, file: file, line: line)
    }

    func testAdamWithDropoutResumesBitIdentical() throws {
        assertSame(try both(T.options(epochs: 4), stopAfter: 2))
    }

    func testSGDMomentumAndScheduleResumeBitIdentical() throws {
        var o = T.options(epochs: 4)
        o.optimizer = .sgd(momentum: 0.9, weightDecay: 0.001)
        o.learningRate = .linear(from: 0.02, to: 0.005, over: 4)
        assertSame(try both(o, stopAfter: 1))
        assertSame(try both(o, stopAfter: 3, validation: false))
    }

    func testEarlyStoppingStateCarriesOver() throws {
        var o = T.options(epochs: 12)
        o.patience = 1
        o.learningRate = .constant(0.05)   // noisy enough that validation stops improving
        let r = try both(o, stopAfter: 2)
        assertSame(r)
        // A checkpoint written after the stopping epoch resumes to the same end without training.
        let last = r.whole.1.epochs.count
        if r.whole.1.stoppedEarly, last > 1 { assertSame(try both(o, stopAfter: last)) }
    }

    func testFormatRefusesAnotherNetAndDamage() throws {
        let net = try Network(spec: T.smallNet, seed: 1)
        var state: TrainingState?
        _ = try Trainer.train(net, on: T.bars(40, seed: 1), options: T.options(epochs: 1), checkpoint: { state = $0 })
        let bytes = try TrainingCheckpoint.encode(try XCTUnwrap(state), for: net)
        // Python's safetensors reads it: a safetensors header with the state as JSON metadata.
        let (tensors, metadata) = try Safetensors.decode(bytes)
        XCTAssertNotNil(tensors["weights.layers.0.weight"])
        XCTAssertNotNil(tensors["optimizer.second.heads.out.bias"], "Adam keeps a second moment")
        XCTAssertTrue(metadata[TrainingCheckpoint.metadataKey]?.contains("\"epochsDone\":1") == true)

        var other = T.smallNet
        other.layers[4] = .dense(units: 8)
        XCTAssertThrowsError(try TrainingCheckpoint.decode(bytes, for: try Network(spec: other, seed: 1), path: "c"))
        XCTAssertThrowsError(try TrainingCheckpoint.decode(bytes.prefix(bytes.count / 2), for: net, path: "c"))
        // A state for other data is refused by the trainer before it changes anything.
        var wrong = try XCTUnwrap(state)
        wrong.order = [0, 1]
        let before = net.snapshot()
        XCTAssertThrowsError(try Trainer.train(net, on: T.bars(40, seed: 1), options: T.options(epochs: 2), resume: wrong))
        XCTAssertEqual(net.snapshot(), before)
    }

    func testHistoryJSONKeepsEveryDouble() throws {
        var h = TrainingHistory()
        h.epochs = [EpochRecord(epoch: 1, learningRate: 0.1 + 0.2, trainLoss: 1 / 3, validationError: .infinity, seconds: 1e-7)]
        h.bestEpoch = 1
        h.seconds = 123.456789012345
        XCTAssertEqual(try TrainingHistory(json: h.json()), h)
    }
}
