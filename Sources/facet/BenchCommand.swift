import FacetRandom
import ArgumentParser
import FacetBench
import FacetEngine
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a network (the paper's best by default) on random data and compare with the machine's limits.",
        discussion: """
        Prints training and inference images/s, batch-1 latency against the time to read every weight \
        at the measured memory bandwidth, peak memory, the engine's effective GFLOP/s (3× forward FLOPs \
        per training image) against OpenBLAS and oneDNN sgemm on 1024³, and the training step against \
        its limit: each layer's own GEMMs (forward and backward, at its shapes) on the faster of OpenBLAS \
        and oneDNN, memory-bound layers' bytes at the measured bandwidth (triad), all measured in the \
        same run. --layers adds where the time goes: each layer's forward and backward time, GFLOP/s, \
        % of sgemm and % of its limit, each GEMM with the library that was fastest at its shape and, where \
        the engine runs it on the other, that one's time, and the optimizer step against bandwidth; \
        --json always carries all of it. Build in release mode for meaningful numbers.

        --net FILE NAME [name=value ...] measures a net from a .facet file (stdlib/ is loaded first), \
        --net 'ferc(fc: 256)' one written as an expression over stdlib/; --compare 'A' 'B' ... measures \
        several side by side (--json: an array), in one process (so peak memory is the largest so far).

        Under mpirun (docs/distributed.md) it trains the same net data-parallel through the trainer: \
        --batch is the global batch, split across the ranks, for --iterations timed batches after one \
        warm-up batch; rank 0 prints images/s, the share of wall time in the gradient allreduce, and the \
        gradient bytes each rank reduces per batch (--json: the same fields).
        """)

    @Option(help: "Threads for OpenBLAS and the engine's batch-parallel kernels.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Images per batch.")
    var batch: Int = 100

    @Option(help: "Timed training and inference batches, at least.")
    var iterations: Int = 5

    @Option(name: .customLong("min-seconds"),
            help: "Keep timing batches until this many seconds have passed (0: exactly --iterations); a small net's few steps are too short to time on a busy machine.")
    var minSeconds: Double = 1

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Also print each layer's forward and backward time, GFLOP/s and % of sgemm, and the optimizer step against measured memory bandwidth.")
    var layers = false

    @Flag(help: "Only check that sgemm under the loaded kernels agrees with a naive product, and exit.")
    var checkKernels = false

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("The net to measure: FILE NAME [name=value ...], or an expression such as 'ferc(fc: 256)'.",
                               valueName: "net"))
    var net: [String] = []

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Measure several nets side by side, each an expression such as 'ferc_size(depth: 1, width: 16)'.",
                               valueName: "net"))
    var compare: [String] = []

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        guard minSeconds >= 0, minSeconds.isFinite else { throw ValidationError("--min-seconds must be 0 or more") }
        guard net.isEmpty || compare.isEmpty else { throw ValidationError("--net and --compare cannot be used together") }
        _ = try Self.netCall(net)
        for c in compare { _ = try Self.netCall([c]) }
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
        let nets = try benchNets()
        var results: [Benchmark.Result] = []
        for (spec, name) in nets {
            if !json { print("net: \(name)") }
            do {
                results.append(try Benchmark.run(batch: batch, iterations: iterations, minSeconds: minSeconds, spec: spec, name: name,
                                                 log: log))
            } catch let e as EngineError {
                // Refused before allocating (e.g. a batch too large for memory): a message, not a trace.
                printError("facet bench: error: " + (nets.count > 1 ? "\(name): " : "") + "\(e)")
                throw ExitCode(1)
            }
            if !json { printResult(results.last!) }
        }
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
            let data = compare.isEmpty ? try enc.encode(results[0]) : try enc.encode(results)
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if results.count > 1 { printComparison(results) }
    }

    func printResult(_ r: Benchmark.Result) {
        print(String(format: "batch-1 latency %.2f ms: %.2f × the %.2f ms it takes to read the %.0f MB of weights at %.1f GB/s",
                     r.latencyBatch1Milliseconds, r.latencyOverFloor, r.latencyFloorMilliseconds,
                     4 * Double(r.parameters) / 1e6, r.memoryBandwidthGBps))
        print(String(format: "peak resident memory: %.0f MB", r.peakResidentMB))
        print(String(format: "engine: %.1f GFLOP/s effective (%.3f GFLOP forward per image ×3 for training)", r.engineGFLOPS, r.forwardGFLOPPerImage))
        print(String(format: "ratio engine / sgemm: %.2f (on CPU time, which a shared machine disturbs less: %.2f); "
                     + "against the faster of OpenBLAS and oneDNN (%.1f GFLOP/s): %.2f",
                     r.ratio, r.cpuRatio, r.onednnSgemmGFLOPS, r.ratioBestSgemm))
        print(String(format: "training step %.1f ms against a limit of %.1f ms (each layer's best GEMMs or bandwidth): %.0f %% of the limit "
                     + "(profiled parts, fastest of 3 like the limits: %.0f %%)",
                     r.stepMilliseconds, r.limitMilliseconds, 100 * r.limitRatio, 100 * r.limitRatioProfiled))
        if r.limitRatioCapped > 0, abs(r.limitRatioCapped - r.limitRatio) >= 0.005 {
            print(String(format: "  with no part credited beyond its own time (a part that beats its limit, such as a conv on oneDNN's "
                         + "primitive against its GEMMs, counts at 100 %%): %.0f %% of the limit", 100 * r.limitRatioCapped))
        }
        if layers { printLayers(r) }
    }

    /// The "where the time goes" table: per step part, then the optimizer step against bandwidth.
    func printLayers(_ r: Benchmark.Result) {
        print("per layer, one training step at batch \(r.batch) (fastest of 3):")
        print("  part                  fwd ms   bwd ms  fwd GFLOP/s  bwd GFLOP/s  % sgemm  (on CPU time)  limit ms  % limit  batch-1 fwd ms")
        var parts = 0.0
        for (i, t) in r.layers.enumerated() {
            let name = t.index.map { "\($0) \(t.layer)" } ?? t.layer
            parts += t.forwardMilliseconds + t.backwardMilliseconds
            let padded = name.count < 20 ? name + String(repeating: " ", count: 20 - name.count) : name
            let limit = t.limit.map { String(format: "%8.1f %@", $0.milliseconds, $0.bound == "memory" ? "m" : "g") } ?? "          "
            let share = t.percentOfLimit.map { String(format: "%6.0f %%", $0) } ?? "        "
            let latency = i < r.latencyLayersMilliseconds.count ? String(format: "%9.2f", r.latencyLayersMilliseconds[i]) : ""
            print("  " + padded + String(format: " %7.1f  %7.1f  %11.1f  %11.1f  %6.0f %%  %6.0f %%      ",
                         t.forwardMilliseconds, t.backwardMilliseconds, t.forwardGFLOPS, t.backwardGFLOPS,
                         t.percentOfSgemm, t.percentOfSgemmCPU) + limit + " " + share + "  " + latency)
            for g in t.limit?.gemms ?? [] {
                let s = g.shape
                var line = String(format: "      %@ %d×%d×%d%@: %.2f ms on %@ (%.0f GFLOP/s)", s.product, s.m, s.n, s.k,
                                  s.count > 1 ? " ×\(s.count)" : "", g.milliseconds, g.best, g.gflops)
                if let engine = g.engine, engine != g.best, let ms = g.engineMilliseconds {
                    line += String(format: "; the engine runs it on %@: %.2f ms", engine, ms)
                }
                print(line)
            }
        }
        print("  (limit: g = the layer's GEMMs on the faster library, m = its bytes at the measured bandwidth)")
        let slower = Benchmark.slowerLibraryProducts(r.layers)
        if !slower.products.isEmpty {
            print(String(format: "  %d GEMM product(s) run on the slower library here (%@): %.1f ms a step over their best",
                         slower.products.count, slower.products.joined(separator: ", "), slower.milliseconds))
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
