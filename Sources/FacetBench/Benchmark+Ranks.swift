import FacetEngine
import FacetRandom
import Foundation

/// `facet bench` under mpirun: data-parallel training of a net through the trainer's own
/// data-parallel path, global batch `batch` split across the ranks, one warm-up batch and then
/// `iterations` timed batches.
extension Benchmark {
    public struct DataParallelResult: Codable, Sendable, Equatable {
        public var ranks: Int
        public var threadsPerRank: Int
        public var globalBatch: Int
        public var iterations: Int
        public var parameters: Int
        public var imagesPerSecond: Double
        /// This rank's wall time per timed batch, and the share of it spent inside the gradient
        /// allreduce (which includes waiting for slower ranks).
        public var millisecondsPerBatch: Double
        public var allreduceShare: Double
        /// The gradient buffer each rank hands to the allreduce per batch (4 bytes per parameter).
        public var allreduceBytesPerBatch: Int
        /// What a ring allreduce sends per rank per batch: 2·(N−1)/N of the buffer. MPI may pick
        /// another algorithm; count the link's bytes (e.g. `ip -s link`) for the exact figure.
        public var ringBytesSentPerBatchPerRank: Int
    }

    public static func runDataParallel(batch: Int = 100, iterations: Int = 5, spec: NetSpec = .paper,
                                       collective: any Collective) throws -> DataParallelResult {
        let n = batch * (iterations + 1)
        var rng = SeededGenerator(seed: 2)
        let x = Tensor(shape: [n, spec.input.channels, spec.input.height, spec.input.width],
                       data: (0..<(n * spec.input.count)).map { _ in rng.normal() })
        let classes = spec.heads[0].kind.outputs
        let data = LabeledData(inputs: x, targets: [spec.heads[0].name: .classes((0..<n).map { _ in Int32(rng.below(classes)) })])
        let net = try Network(spec: spec, seed: 1)
        let timed = TimedCollective(collective)
        var options = TrainingOptions()
        options.epochs = 1; options.batchSize = batch; options.seed = 1
        options.learningRate = .constant(0.001); options.optimizer = .paperSGD
        options.collective = timed
        // The clock and the allreduce counters start after the first (warm-up) batch.
        var start = 0.0, reduced = 0.0, bytes = 0
        let now = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        _ = try Trainer.train(net, on: data, options: options, progress: { p in
            if p.batch == 1, !p.epochFinished { start = now(); reduced = timed.seconds; bytes = timed.bytes }
        })
        let seconds = now() - start, size = collective.size
        let perBatch = (timed.bytes - bytes) / iterations
        return DataParallelResult(
            ranks: size, threadsPerRank: Engine.threads, globalBatch: batch, iterations: iterations,
            parameters: net.parameters.reduce(0) { $0 + $1.value.count },
            imagesPerSecond: Double(batch * iterations) / seconds, millisecondsPerBatch: 1000 * seconds / Double(iterations),
            allreduceShare: (timed.seconds - reduced) / seconds, allreduceBytesPerBatch: perBatch,
            ringBytesSentPerBatchPerRank: perBatch * 2 * (size - 1) / size)
    }
}

/// A collective that times its float allreduces and counts their bytes (the gradient sums).
final class TimedCollective: Collective, @unchecked Sendable {
    let inner: any Collective
    private(set) var seconds = 0.0
    private(set) var bytes = 0
    init(_ inner: any Collective) { self.inner = inner }
    var rank: Int { inner.rank }
    var size: Int { inner.size }
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        let t = DispatchTime.now().uptimeNanoseconds
        inner.allreduceSum(values)
        seconds += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
        bytes += 4 * values.count
    }
    func allreduceSum(_ values: inout [Double]) { inner.allreduceSum(&values) }
    func broadcast(_ bytes: inout [UInt8], from root: Int) { inner.broadcast(&bytes, from: root) }
    func allgather(_ values: [Double]) -> [[Double]] { inner.allgather(values) }
    func agree(_ ok: Bool, within seconds: Double) -> [Bool]? { inner.agree(ok, within: seconds) }
    func abort(_ message: String) -> Never { inner.abort(message) }
}
