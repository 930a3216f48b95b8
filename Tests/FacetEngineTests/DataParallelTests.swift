import FacetRandom
import Foundation
import XCTest
@testable import FacetEngine

/// `size` ranks as threads of this process: what `FacetMPI` does across processes, so the
/// data-parallel trainer can be checked against a single process without MPI. Sums run in rank
/// order on every rank, so all ranks get bit-identical results, as with MPI.
final class ThreadRanks: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var arrived = 0, generation = 0
    private var slots: [[Double]]
    init(size: Int) { self.size = size; slots = Array(repeating: [], count: size) }

    /// Puts `values` in `rank`'s slot, waits for all, and returns every slot (rank order).
    func exchange(_ values: [Double], rank: Int) -> [[Double]] {
        condition.lock(); defer { condition.unlock() }
        slots[rank] = values
        let gen = generation
        arrived += 1
        if arrived == size { arrived = 0; generation += 1; condition.broadcast() } else { while gen == generation { condition.wait() } }
        let all = slots
        // A second barrier so no rank overwrites its slot before every rank has read this round.
        let gen2 = generation
        arrived += 1
        if arrived == size { arrived = 0; generation += 1; condition.broadcast() } else { while gen2 == generation { condition.wait() } }
        return all
    }

    final class Rank: Collective, @unchecked Sendable {
        let group: ThreadRanks, rank: Int
        var size: Int { group.size }
        init(_ group: ThreadRanks, _ rank: Int) { self.group = group; self.rank = rank }
        func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
            let all = group.exchange(values.map(Double.init), rank: rank)
            for i in values.indices {
                var s = Float(all[0][i])
                for r in 1..<size { s += Float(all[r][i]) }
                values[i] = s
            }
        }
        func allreduceSum(_ values: inout [Double]) {
            let all = group.exchange(values, rank: rank)
            values = values.indices.map { i in all.dropFirst().reduce(all[0][i]) { $0 + $1[i] } }
        }
        func broadcast(_ bytes: inout [UInt8], from root: Int) {
            bytes = group.exchange(bytes.map(Double.init), rank: rank)[root].map { UInt8($0) }
        }
        func allgather(_ values: [Double]) -> [[Double]] { group.exchange(values, rank: rank) }
        func agree(_ ok: Bool, within seconds: Double) -> [Bool]? { group.exchange([ok ? 1 : 0], rank: rank).map { $0[0] != 0 } }
        func abort(_ message: String) -> Never { fatalError(message) }
    }

    /// Runs `body(rank)` on `size` threads at once and returns their results in rank order.
    func run<T>(_ body: @escaping @Sendable (Rank) throws -> T) throws -> [T] {
        var results = [Result<T, Error>?](repeating: nil, count: size)
        let lock = NSLock(), done = DispatchGroup()
        for r in 0..<size {
            done.enter()
            let thread = Thread { [self] in
                let result = Result { try body(Rank(self, r)) }
                lock.lock(); results[r] = result; lock.unlock()
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        done.wait()
        return try results.map { try $0!.get() }
    }
}

final class DataParallelTests: XCTestCase {
    /// Bars (softmax "out") plus a two-label sigmoid head "attrs" with about a third of its labels
    /// missing, so ranks hold different labelled counts per head.
    static func data(_ n: Int, seed: UInt64) -> LabeledData {
        var d = TrainerTests.bars(n, seed: seed)
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

    /// `facet bench` under mpirun: what it reports per batch follows from the net's size.
    func testBenchmarkCountsTheGradientBytesOfEachBatch() throws {
        let results = try ThreadRanks(size: 2).run { rank in
            try Benchmark.runDataParallel(batch: 10, iterations: 3, spec: Self.net, collective: rank)
        }
        let r = results[0]
        let parameters = try Network(spec: Self.net, seed: 1).parameters.reduce(0) { $0 + $1.value.count }
        XCTAssertEqual(r.parameters, parameters)
        XCTAssertEqual(r.ranks, 2)
        XCTAssertEqual(r.allreduceBytesPerBatch, 4 * parameters, "one float per parameter per batch")
        XCTAssertEqual(r.ringBytesSentPerBatchPerRank, 4 * parameters, "2·(N−1)/N of it for N = 2")
        XCTAssertGreaterThan(r.imagesPerSecond, 0)
        XCTAssertGreaterThan(r.allreduceShare, 0)
        XCTAssertLessThan(r.allreduceShare, 1)
    }
}
