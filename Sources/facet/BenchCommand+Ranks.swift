import FacetBench
import FacetEngine
import FacetMPI
import Foundation

/// `facet bench` under mpirun (docs/distributed.md): `Benchmark.runDataParallel` over the MPI
/// world; the writer (`Ranks.output`) prints.
extension Bench {
    func runRanks(_ world: MPICommunicator) throws {
        Engine.threads = threads
        let r = try Benchmark.runDataParallel(batch: batch, iterations: iterations, collective: world)
        guard Ranks.output.writes else { return }
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
