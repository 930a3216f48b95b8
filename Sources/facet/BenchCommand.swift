import FacetRandom
import ArgumentParser
import FacetEngine
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the paper's best network on random data and compare with OpenBLAS sgemm.",
        discussion: """
        Prints training and inference images/s, batch-1 latency, peak memory, the engine's effective \
        GFLOP/s (3× forward FLOPs per training image) and OpenBLAS sgemm GFLOP/s on 1024³, measured in \
        the same run, and their ratio on wall time and on CPU time (steadier on a shared machine). \
        --layers adds where the time goes: each layer's forward and backward time, GFLOP/s and % of \
        sgemm, and the optimizer step's GB/s against a memory bandwidth (triad) measured in the same \
        run; --json always carries all of it. Build in release mode for meaningful numbers.

        Under mpirun (docs/distributed.md) it trains the same net data-parallel through the trainer: \
        --batch is the global batch, split across the ranks, for --iterations timed batches after one \
        warm-up batch; rank 0 prints images/s, the share of wall time in the gradient allreduce, and the \
        gradient bytes each rank reduces per batch (--json: the same fields).
        """)

    @Option(help: "Threads for OpenBLAS and the engine's batch-parallel kernels.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Images per batch.")
    var batch: Int = 100

    @Option(help: "Timed training and inference batches.")
    var iterations: Int = 5

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Also print each layer's forward and backward time, GFLOP/s and % of sgemm, and the optimizer step against measured memory bandwidth.")
    var layers = false

    @Flag(help: "Only check that sgemm under the loaded kernels agrees with a naive product, and exit.")
    var checkKernels = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        Engine.threads = threads
        if checkKernels { return try checkSgemm() }
        if let world = Ranks.world { return try runRanks(world) }
        let log: (String) -> Void = json ? { _ in } : { print($0) }
        if !json { print("kernels: \(BLASBootstrap.summary)") }
        #if DEBUG
        if !json { print("warning: debug build — numbers are meaningless; use `swift build -c release`") }
        #endif
        let r: Benchmark.Result
        do { r = try Benchmark.run(batch: batch, iterations: iterations, log: log) } catch let e as EngineError {
            // Refused before allocating (e.g. a batch too large for memory): a message, not a trace.
            printError("facet bench: error: \(e)")
            throw ExitCode(1)
        }
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try enc.encode(r), as: UTF8.self))
            return
        }
        print(String(format: "peak resident memory: %.0f MB", r.peakResidentMB))
        print(String(format: "engine: %.1f GFLOP/s effective (%.3f GFLOP forward per image ×3 for training)", r.engineGFLOPS, r.forwardGFLOPPerImage))
        print(String(format: "ratio engine / sgemm: %.2f (on CPU time, which a shared machine disturbs less: %.2f)", r.ratio, r.cpuRatio))
        if layers { printLayers(r) }
    }

    /// The "where the time goes" table: per step part, then the optimizer step against bandwidth.
    func printLayers(_ r: Benchmark.Result) {
        print("per layer, one training step at batch \(r.batch) (fastest of 3):")
        print("  part                  fwd ms   bwd ms  fwd GFLOP/s  bwd GFLOP/s  % sgemm  (on CPU time)")
        var parts = 0.0
        for t in r.layers {
            let name = t.index.map { "\($0) \(t.layer)" } ?? t.layer
            parts += t.forwardMilliseconds + t.backwardMilliseconds
            let padded = name.count < 20 ? name + String(repeating: " ", count: 20 - name.count) : name
            print("  " + padded + String(format: " %7.1f  %7.1f  %11.1f  %11.1f  %6.0f %%  %6.0f %%",
                         t.forwardMilliseconds, t.backwardMilliseconds, t.forwardGFLOPS, t.backwardGFLOPS,
                         t.percentOfSgemm, t.percentOfSgemmCPU))
        }
        let o = r.optimizer
        print(String(format: "  optimizer step       %7.1f ms, %.2f GB read and written: %.1f GB/s, %.0f %% of the %.1f GB/s triad",
                     o.milliseconds, o.gigabytesMoved, o.gigabytesPerSecond, o.percentOfBandwidth, r.memoryBandwidthGBps))
        print(String(format: "  timed step %.1f ms per batch; profiled parts %.1f ms + optimizer %.1f ms",
                     r.stepMilliseconds, parts, o.milliseconds))
    }
}

extension Bench {
    /// sgemm against the naive Double product on awkward sizes; exit status 1 on disagreement.
    func checkSgemm() throws {
        print("kernels: \(BLASBootstrap.summary)")
        var rng = SeededGenerator(seed: 1)
        var worst = 0.0
        for (m, n, k) in [(1, 1, 1), (7, 13, 5), (64, 324, 1600), (100, 96, 333), (129, 67, 1024)] {
            let a = (0..<(m * k)).map { _ in rng.normal() }, b = (0..<(k * n)).map { _ in rng.normal() }
            for (x, y) in zip(matmul(a, b, m: m, n: n, k: k), naiveMatmul(a, b, m: m, n: n, k: k)) {
                worst = max(worst, Double(abs(x - y)) / max(1, Double(abs(y))))
            }
        }
        let ok = worst < 1e-4
        print(String(format: "sgemm vs naive product: worst relative difference %.2e — %@", worst, ok ? "agree" : "DISAGREE"))
        if !ok { throw ExitCode(1) }
    }
}
