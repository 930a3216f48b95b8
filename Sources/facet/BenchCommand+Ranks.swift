import FacetEngine
import FacetMPI
import FacetRandom
import Foundation

/// `facet bench` under mpirun (docs/distributed.md): data-parallel training of the bench net
/// through the trainer's data-parallel path, global batch = --batch split across the ranks, for
/// one warm-up batch and then --iterations timed batches. Rank 0 prints.
struct RankBenchResult: Codable {
    var ranks: Int
    var threadsPerRank: Int
    var globalBatch: Int
    var iterations: Int
    var parameters: Int
    var imagesPerSecond: Double
    /// Rank 0's wall time per timed batch, and the share of it spent inside the gradient allreduce
    /// (which includes waiting for slower ranks).
    var millisecondsPerBatch: Double
    var allreduceShare: Double
    /// The gradient buffer each rank hands to MPI_Allreduce per batch (4 bytes per parameter).
    var allreduceBytesPerBatch: Int
    /// What a ring allreduce sends per rank per batch: 2·(N−1)/N of the buffer. Open MPI may pick
    /// another algorithm; count the link's bytes (e.g. `ip -s link`) for the exact figure.
    var ringBytesSentPerBatchPerRank: Int
}

extension Bench {
    func runRanks(_ world: MPICommunicator) throws {
        Engine.threads = threads
        let spec = Benchmark.paperNet
        let batches = iterations + 1
        var rng = SeededGenerator(seed: 2)
        let n = batch * batches
        let x = Tensor(shape: [n, spec.input.channels, spec.input.height, spec.input.width],
                       data: (0..<(n * spec.input.count)).map { _ in rng.normal() })
        let classes = spec.heads[0].kind.outputs
        let data = LabeledData(inputs: x, targets: [spec.heads[0].name: .classes((0..<n).map { _ in Int32(rng.below(classes)) })])
        let net = try Network(spec: spec, seed: 1)
        var options = TrainingOptions()
        options.epochs = 1; options.batchSize = batch; options.seed = 1
        options.learningRate = .constant(0.001); options.optimizer = .paperSGD
        options.collective = world
        // The clock and MPI's counters start after the first (warm-up) batch.
        var start = 0.0, reduced = 0.0, bytes = 0
        let now = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        _ = try Trainer.train(net, on: data, options: options, progress: { p in
            if p.batch == 1, !p.epochFinished { start = now(); reduced = world.allreduceSeconds; bytes = world.allreducedBytes }
        })
        let seconds = now() - start
        let perBatch = (world.allreducedBytes - bytes) / iterations
        let r = RankBenchResult(
            ranks: world.size, threadsPerRank: Engine.threads, globalBatch: batch, iterations: iterations,
            parameters: net.parameters.reduce(0) { $0 + $1.value.count },
            imagesPerSecond: Double(batch * iterations) / seconds, millisecondsPerBatch: 1000 * seconds / Double(iterations),
            allreduceShare: (world.allreduceSeconds - reduced) / seconds, allreduceBytesPerBatch: perBatch,
            ringBytesSentPerBatchPerRank: perBatch * 2 * (world.size - 1) / world.size)
        guard world.rank == 0 else { return }
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try enc.encode(r), as: UTF8.self))
            return
        }
        print("kernels: \(BLASBootstrap.summary)")
        #if DEBUG
        print("warning: debug build — numbers are meaningless; use `swift build -c release`")
        #endif
        print("data-parallel training: \(r.ranks) ranks × \(r.threadsPerRank) threads, global batch \(r.globalBatch) "
              + "(\(r.globalBatch / r.ranks)–\((r.globalBatch + r.ranks - 1) / r.ranks) per rank), \(r.iterations) timed batches")
        print(String(format: "training: %.1f images/s, %.1f ms per batch", r.imagesPerSecond, r.millisecondsPerBatch))
        print(String(format: "allreduce: %.1f %% of wall time; %.1f MB of gradients per batch per rank (%d parameters), "
                     + "a ring sends %.1f MB per rank", 100 * r.allreduceShare, Double(r.allreduceBytesPerBatch) / 1e6,
                     r.parameters, Double(r.ringBytesSentPerBatchPerRank) / 1e6))
    }
}
