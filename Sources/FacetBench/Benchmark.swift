import FacetEngine
import FacetRandom
import Foundation

/// Measures the engine on a network (the paper's best, `NetSpec.paper`, by default) against the
/// best GEMM available at each layer's own shapes, OpenBLAS sgemm 1024³ and memory bandwidth, in
/// one process, so ratios hold even on a loaded machine.
public enum Benchmark {
    public struct Result: Codable, Sendable {
        /// What was measured: "paper net" or the net's call, e.g. "ferc(classes: 7, size: 48, …)".
        public var net: String
        /// The net's structure (the JSON model files store as `facet.spec`), so other tools can
        /// build the same net (bench/pytorch/compare.py does).
        public var spec: NetSpec
        public var parameters: Int
        public var blasCore: String
        /// The layer GEMMs oneDNN runs at this net's shapes, each as "layer product" with its site
        /// (e.g. "4 conv 16 5x5 dW (conv.dw)"); OpenBLAS runs the others.
        public var oneDNNProducts: [String]
        /// What chose the libraries: the per-shape rule for this machine's kernels, or FACET_ONEDNN.
        public var gemmChoice: String = ""
        /// How convs run (`primitive` or `im2col`, FACET_CONV), and the convs on oneDNN's
        /// convolution primitive at this batch, each as "layer (kernel)", e.g. "4 conv 16 5x5
        /// (jit:avx512_core)": they make no GEMM calls, so their limit is still their GEMMs'.
        public var convAlgorithm: String = ""
        public var primitiveConvs: [String] = []
        public var threads: Int
        public var batch: Int
        /// Timed training batches: at least the `iterations` asked for, and as many more as fill
        /// `minSeconds` (a narrow net's 5 steps took 0.1 s, and one hiccup of the shared machine
        /// moved its % of limit by 15 points); `inferenceIterations` likewise for inference.
        public var iterations: Int
        public var inferenceIterations: Int = 0
        public var trainImagesPerSecond: Double
        public var inferenceImagesPerSecond: Double
        public var latencyBatch1Milliseconds: Double
        /// Each trunk layer's forward at batch 1, then the heads (fastest of the latency runs).
        public var latencyLayersMilliseconds: [Double]
        /// Batch 1 must read every weight: 4 bytes × parameters ÷ `memoryBandwidthGBps`.
        public var latencyFloorMilliseconds: Double
        /// `latencyBatch1Milliseconds` ÷ `latencyFloorMilliseconds`.
        public var latencyOverFloor: Double
        public var forwardGFLOPPerImage: Double
        /// 3 × forward FLOPs per training image × training images/s.
        public var engineGFLOPS: Double
        public var sgemmGFLOPS: Double
        /// oneDNN's sgemm on 1024³ with its own threads (Engine.threads), same run.
        public var onednnSgemmGFLOPS: Double
        /// Engine GFLOP/s over OpenBLAS sgemm 1024³ (the figure earlier rounds quoted).
        public var ratio: Double
        /// Engine GFLOP/s over the faster of OpenBLAS and oneDNN at 1024³.
        public var ratioBestSgemm: Double
        /// The step's limit: every part's (`LayerTiming.limit`) plus the optimizer's bytes at the
        /// measured bandwidth, in ms per batch.
        public var limitMilliseconds: Double
        /// `limitMilliseconds` ÷ `stepMilliseconds`: the share of the machine's limit the engine
        /// reaches on the whole step (1 = every part as fast as its best GEMM or bandwidth).
        public var limitRatio: Double
        /// The same against the profiled step (each part the fastest of 3, plus the optimizer):
        /// like for like with the limits, which are best-of times too, so less hit by other load.
        public var limitRatioProfiled: Double
        /// `limitRatio` with each part's limit capped at the part's own time: a part faster than
        /// its limit (a conv on oneDNN's convolution primitive, which makes no GEMM calls, beats its
        /// GEMMs) gets no credit beyond 100 %, so the others' shortfall is not hidden by it.
        public var limitRatioCapped: Double = 0
        /// The same ratio on process CPU time instead of wall time (GFLOP per CPU-second of all
        /// threads, engine over sgemm): on a machine shared with other work, wall-time rates
        /// depend on the share of the cores each phase happened to get; CPU time much less.
        public var cpuRatio: Double
        public var peakResidentMB: Double
        /// Milliseconds per training batch in the timed loop (forward, backward and optimizer step).
        public var stepMilliseconds: Double
        /// Each trunk layer, then the heads, in one profiled training step.
        public var layers: [LayerTiming]
        public var optimizer: OptimizerTiming
        /// STREAM-style triad over arrays far larger than the caches, on the engine's threads.
        public var memoryBandwidthGBps: Double
    }

    /// One part of a training step: its forward and backward time and FLOP rate.
    public struct LayerTiming: Codable, Sendable {
        /// Trunk layer index; nil for the heads (their forward, loss and backward together).
        public var index: Int?
        public var layer: String
        public var forwardMilliseconds: Double
        public var backwardMilliseconds: Double
        /// FLOPs over the batch: forward as counted by `NetSpec.flops`; backward twice that for
        /// layers with weights (weight and input gradients; once when the input gradient is
        /// skipped), once that for the others (a nominal count: they are memory-bound).
        public var forwardGFLOP: Double
        public var backwardGFLOP: Double
        public var forwardGFLOPS: Double
        public var backwardGFLOPS: Double
        /// Forward + backward FLOP rate as a percentage of the same run's sgemm rate.
        public var percentOfSgemm: Double
        /// The same on CPU time: GFLOP per CPU-second of all threads, over sgemm's.
        public var percentOfSgemmCPU: Double
        /// What this part could take at best (its GEMMs on the faster library, or its bytes at the
        /// measured bandwidth), and forward + backward time as a percentage of that.
        public var limit: PartLimit?
        public var percentOfLimit: Double?
    }

    /// The optimizer step: time, bytes it reads and writes, and that rate against the triad's.
    public struct OptimizerTiming: Codable, Sendable {
        public var milliseconds: Double
        public var gigabytesMoved: Double
        public var gigabytesPerSecond: Double
        public var percentOfBandwidth: Double
    }

    /// Runs `body` at least `iterations` times and until `minSeconds` have passed (at most 10,000
    /// times); returns the count and the seconds they took.
    static func timedRepeats(_ iterations: Int, minSeconds: Double, _ body: () throws -> Void) rethrows -> (count: Int, seconds: Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        var count = 0, seconds = 0.0
        repeat {
            try body()
            count += 1
            seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        } while (count < iterations || seconds < minSeconds) && count < 10_000
        return (count, seconds)
    }

    /// Runs the whole benchmark; `log` receives one line per phase. Throws `EngineError.memory`
    /// before allocating anything when a training step at `batch` would not fit the memory limit.
    /// Training and inference each time at least `iterations` batches and at least `minSeconds`.
    public static func run(batch: Int = 100, iterations: Int = 5, minSeconds: Double = 1, spec: NetSpec = .paper,
                           name: String = "paper net", limits: Bool = true, log: (String) -> Void = { _ in }) throws -> Result {
        try spec.memory(.training(batch: batch, optimizer: .paperSGD, keepsBestWeights: false)).check()
        var sgemmCPU = 0.0
        let sgemm = sgemmGFLOPS(cpuRate: &sgemmCPU)
        log(String(format: "sgemm 1024³: %.1f GFLOP/s (%@, %d threads)", sgemm, Engine.blasCoreName, Engine.threads))
        let net = try Network(spec: spec, seed: 1)
        let oneDNN = oneDNNProducts(net, batch: batch)
        log("layer GEMMs on oneDNN (\(Profiling.gemmChoice)): " + (oneDNN.isEmpty ? "none (all OpenBLAS)" : oneDNN.joined(separator: ", ")))
        let primitiveConvs = primitiveConvolutions(net, batch: batch)
        log("convs on oneDNN's convolution primitive (conv \(Profiling.convAlgorithm)): "
            + (primitiveConvs.isEmpty ? "none (im2col and GEMMs)" : primitiveConvs.joined(separator: ", ")))
        var rng = SeededGenerator(seed: 2)
        let x = Tensor(shape: [batch, spec.input.channels, spec.input.height, spec.input.width],
                       data: (0..<(batch * spec.input.count)).map { _ in rng.normal() })
        let targets = randomTargets(spec.heads, batch: batch, rng: &rng)
        let optimizer = Optimizer(.paperSGD)
        func step() throws {
            optimizer.prepare(net.parameters, learningRate: 0.001)
            _ = try net.accumulateGradients(x, targets: targets)
            optimizer.step(net.parameters, learningRate: 0.001)
        }
        try step()  // warm-up: first-touch of buffers
        let c0 = Profiling.processCPUSeconds()
        let (trained, trainSeconds) = try timedRepeats(iterations, minSeconds: minSeconds, step)
        let trainCPU = Profiling.processCPUSeconds() - c0
        let trainRate = Double(batch * trained) / trainSeconds
        log(String(format: "training: %.1f images/s (batch %d, %d iterations)", trainRate, batch, trained))

        _ = try net.predict(x)
        let (inferred, inferSeconds) = try timedRepeats(iterations, minSeconds: minSeconds) { _ = try net.predict(x) }
        let inferRate = Double(batch * inferred) / inferSeconds
        let one = x.samples(0..<1)
        var latencies: [Double] = []
        _ = try net.predict(one)
        for _ in 0..<max(20, iterations) {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try net.predict(one)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        latencies.sort()
        let latencyLayers = try profileForward(net, one, runs: 10)
        log(String(format: "inference: %.1f images/s at batch %d, %.2f ms median at batch 1", inferRate, batch, latencies[latencies.count / 2]))

        let (parts, optimizerSeconds) = try profileStep(net, optimizer, x, targets, steps: 3)
        // Read before the bandwidth test, whose arrays are not part of training.
        let peak = peakResidentMegabytes()
        let bandwidth = triadGBps()
        log(String(format: "memory bandwidth (triad): %.1f GB/s", bandwidth))
        // After the peak, like the triad: oneDNN's threads and buffers are not part of training.
        let onednnSgemm = onednnGFLOPS()
        log(String(format: "oneDNN sgemm 1024³: %.1f GFLOP/s (%d threads)", onednnSgemm, Engine.threads))
        let limits = limits ? partLimits(net, batch: batch, bandwidth: bandwidth) : nil

        let flops = Double(try spec.flops())
        let engine = 3 * flops * trainRate / 1e9
        // GFLOP per CPU-second: the sgemm phase's best call and the training loop, each over the
        // CPU time all the process's threads spent in it.
        let engineCPU = 3 * flops * Double(batch * trained) / trainCPU / 1e9
        let moved = optimizer.bytesPerStep(net.parameters) / 1e9
        let opt = OptimizerTiming(milliseconds: optimizerSeconds * 1e3, gigabytesMoved: moved,
                                  gigabytesPerSecond: moved / optimizerSeconds,
                                  percentOfBandwidth: 100 * moved / optimizerSeconds / bandwidth)
        var rows = try layerTimings(net, parts: parts, batch: batch, sgemm: sgemm, sgemmCPU: sgemmCPU)
        let step = trainSeconds / Double(trained) * 1e3
        let profiled = rows.reduce(optimizerSeconds * 1e3) { $0 + $1.forwardMilliseconds + $1.backwardMilliseconds }
        var limit = moved / bandwidth * 1e3, capped = min(limit, optimizerSeconds * 1e3)
        if let limits {
            for (i, l) in limits.enumerated() {
                rows[i].limit = l
                let ms = rows[i].forwardMilliseconds + rows[i].backwardMilliseconds
                rows[i].percentOfLimit = ms > 0 ? 100 * l.milliseconds / ms : nil
                limit += l.milliseconds
                capped += min(l.milliseconds, ms)
            }
        }
        let parameters = net.parameters.reduce(0) { $0 + $1.value.count }
        let latency = latencies[latencies.count / 2], floor = 4 * Double(parameters) / (bandwidth * 1e9) * 1e3
        var result = Result(net: name, spec: spec, parameters: parameters, blasCore: Engine.blasCoreName, oneDNNProducts: oneDNN,
                      threads: Engine.threads, batch: batch, iterations: trained,
                      trainImagesPerSecond: trainRate, inferenceImagesPerSecond: inferRate,
                      latencyBatch1Milliseconds: latency, latencyLayersMilliseconds: latencyLayers,
                      latencyFloorMilliseconds: floor, latencyOverFloor: latency / floor,
                      forwardGFLOPPerImage: flops / 1e9, engineGFLOPS: engine, sgemmGFLOPS: sgemm,
                      onednnSgemmGFLOPS: onednnSgemm, ratio: engine / sgemm, ratioBestSgemm: engine / max(sgemm, onednnSgemm),
                      limitMilliseconds: limits == nil ? 0 : limit, limitRatio: limits == nil ? 0 : limit / step,
                      limitRatioProfiled: limits == nil ? 0 : limit / profiled,
                      cpuRatio: engineCPU / sgemmCPU,
                      peakResidentMB: peak, stepMilliseconds: step,
                      layers: rows, optimizer: opt, memoryBandwidthGBps: bandwidth)
        result.gemmChoice = Profiling.gemmChoice
        result.inferenceIterations = inferred
        result.limitRatioCapped = limits == nil ? 0 : capped / step
        result.convAlgorithm = Profiling.convAlgorithm
        result.primitiveConvs = primitiveConvs
        return result
    }

    /// Random labels for every head: a class per sample (softmax), 0/1 per label (sigmoid),
    /// normal values (regression).
    static func randomTargets(_ heads: [HeadSpec], batch: Int, rng: inout SeededGenerator) -> [String: HeadTargets] {
        var out: [String: HeadTargets] = [:]
        for h in heads {
            let k = h.kind.outputs
            switch h.kind {
            case .softmax: out[h.name] = .classes((0..<batch).map { _ in Int32(rng.below(k)) })
            case .sigmoid: out[h.name] = .multiLabel((0..<(batch * k)).map { _ in Float(rng.below(2)) })
            case .regress: out[h.name] = .values((0..<(batch * k)).map { _ in rng.normal() })
            }
        }
        return out
    }

    /// Milliseconds of each trunk layer's forward at the batch of `x`, then of the heads' forward:
    /// the fastest of `runs` inference passes, part by part.
    static func profileForward(_ net: Network, _ x: Tensor, runs: Int) throws -> [Double] {
        var best = [Double](repeating: .infinity, count: net.layers.count + 1)
        for _ in 0..<runs {
            var current = [Double](repeating: 0, count: net.layers.count)
            net.stepTimer = { part, _, wall, _ in current[part] += wall }
            let f = net.features(x, training: false)
            net.stepTimer = nil
            let t = DispatchTime.now().uptimeNanoseconds
            for head in net.heads { _ = head.forward(f, training: false) }
            let heads = Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
            for i in current.indices { best[i] = min(best[i], current[i]) }
            best[net.layers.count] = min(best[net.layers.count], heads)
        }
        return best.map { $0 * 1e3 }
    }

    /// Seconds of one step part: forward and backward, wall and CPU time (all threads).
    struct PartSeconds {
        var forward = 0.0, backward = 0.0, forwardCPU = 0.0, backwardCPU = 0.0
    }

    /// Seconds per step part (trunk layers, then the heads) and of the optimizer step: the
    /// fastest of `steps` real training steps, each part and clock on its own (the fastest is the
    /// least disturbed by other processes).
    static func profileStep(_ net: Network, _ optimizer: Optimizer, _ x: Tensor, _ targets: [String: HeadTargets],
                            steps: Int) throws -> (parts: [PartSeconds], optimizer: Double) {
        let count = net.layers.count + 1
        let none = PartSeconds(forward: .infinity, backward: .infinity, forwardCPU: .infinity, backwardCPU: .infinity)
        var best = [PartSeconds](repeating: none, count: count)
        var bestOptimizer = Double.infinity
        for _ in 0..<steps {
            var current = [PartSeconds](repeating: PartSeconds(), count: count)
            net.stepTimer = { part, backward, wall, cpu in
                if backward { current[part].backward += wall; current[part].backwardCPU += cpu } else {
                    current[part].forward += wall; current[part].forwardCPU += cpu
                }
            }
            defer { net.stepTimer = nil }
            optimizer.prepare(net.parameters, learningRate: 0.001)
            _ = try net.accumulateGradients(x, targets: targets)
            let t = DispatchTime.now().uptimeNanoseconds
            optimizer.step(net.parameters, learningRate: 0.001)
            bestOptimizer = min(bestOptimizer, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
            for i in 0..<count {
                best[i] = PartSeconds(forward: min(best[i].forward, current[i].forward),
                                      backward: min(best[i].backward, current[i].backward),
                                      forwardCPU: min(best[i].forwardCPU, current[i].forwardCPU),
                                      backwardCPU: min(best[i].backwardCPU, current[i].backwardCPU))
            }
        }
        return (best, bestOptimizer)
    }

    /// Rows of the per-layer table from profiled seconds and the net's FLOP counts.
    static func layerTimings(_ net: Network, parts: [PartSeconds], batch: Int,
                             sgemm: Double, sgemmCPU: Double) throws -> [LayerTiming] {
        let rows = try net.spec.rows()
        var layerFlops: [Double] = [], headFlops = 0.0
        for row in rows {
            switch row.part {
            case .input: break
            case .layer: layerFlops.append(Double(row.counts.flops))
            case .head: headFlops += Double(row.counts.flops)
            }
        }
        func timing(_ index: Int?, _ name: String, _ forward: Double, _ backward: Double,
                    _ seconds: PartSeconds) -> LayerTiming {
            let f = forward * Double(batch) / 1e9, b = backward * Double(batch) / 1e9
            func rate(_ gflop: Double, _ s: Double) -> Double { s > 0 ? gflop / s : 0 }
            return LayerTiming(index: index, layer: name,
                               forwardMilliseconds: seconds.forward * 1e3, backwardMilliseconds: seconds.backward * 1e3,
                               forwardGFLOP: f, backwardGFLOP: b,
                               forwardGFLOPS: rate(f, seconds.forward), backwardGFLOPS: rate(b, seconds.backward),
                               percentOfSgemm: 100 * rate(f + b, seconds.forward + seconds.backward) / sgemm,
                               percentOfSgemmCPU: 100 * rate(f + b, seconds.forwardCPU + seconds.backwardCPU) / sgemmCPU,
                               limit: nil, percentOfLimit: nil)
        }
        var out: [LayerTiming] = []
        for (i, layer) in net.layers.enumerated() {
            let f = layerFlops[i]
            let backward = layer.parameters.isEmpty ? f : ((layer as? Conv2D)?.needsInputGradient == false ? f : 2 * f)
            out.append(timing(i, layer.spec.text, f, backward, parts[i]))
        }
        // The heads are timed as one part (forward, loss and backward), reported as forward.
        out.append(timing(nil, "heads", 3 * headFlops, 0, parts[net.layers.count]))
        return out
    }

    /// Peak resident set size of this process (getrusage; Linux reports kilobytes).
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
