import FacetRandom
import Foundation

/// Measures the engine on the paper's best network against OpenBLAS sgemm, in one process.
public enum Benchmark {
    /// The paper's best network (§4.1.1): 48×48×1 → conv 64 5×5 → ReLU → LCN 9 → max-pool 3×3/2 →
    /// conv 64 5×5 → ReLU → conv 128 4×4 → ReLU → dense 3072 → ReLU → dropout 0.2 → softmax 7.
    public static let paperNet = NetSpec(
        input: FeatureShape(channels: 1, height: 48, width: 48),
        layers: [.conv(maps: 64, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), .relu, .lcn(size: 9),
                 .maxpool(size: 3, stride: 2, ceil: true),
                 .conv(maps: 64, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), .relu,
                 .conv(maps: 128, kernelHeight: 4, kernelWidth: 4, stride: 1, padding: 0), .relu,
                 .dense(units: 3072), .relu, .dropout(rate: 0.2)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 7))])

    public struct Result: Codable, Sendable {
        public var blasCore: String
        public var threads: Int
        public var batch: Int
        public var iterations: Int
        public var trainImagesPerSecond: Double
        public var inferenceImagesPerSecond: Double
        public var latencyBatch1Milliseconds: Double
        public var forwardGFLOPPerImage: Double
        /// 3 × forward FLOPs per training image × training images/s.
        public var engineGFLOPS: Double
        public var sgemmGFLOPS: Double
        public var ratio: Double
        public var peakResidentMB: Double
        /// Seconds per training batch spent in each layer, forward + backward (for finding hot spots).
        public var layerMilliseconds: [String: Double]
    }

    /// sgemm on n×n×n, best of `repeats` after one warm-up call.
    public static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 5) -> Double {
        var rng = SeededGenerator(seed: 1)
        let a = (0..<(n * n)).map { _ in rng.unit() }, b = (0..<(n * n)).map { _ in rng.unit() }
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        // OpenBLAS threading itself over Engine.threads (not the engine's split wrapper): the
        // reference is what a plain OpenBLAS caller gets.
        Engine.withBLASThreads(Engine.threads) {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            for r in 0...repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                blasSgemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: pa.baseAddress!, lda: n,
                          b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
                let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                if r > 0 { best = min(best, s) }
            }
        } } }
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Runs the whole benchmark; `log` receives one line per phase. Throws `EngineError.memory`
    /// before allocating anything when a training step at `batch` would not fit the memory limit.
    public static func run(batch: Int = 100, iterations: Int = 5, spec: NetSpec = paperNet,
                           log: (String) -> Void = { _ in }) throws -> Result {
        try spec.memory(.training(batch: batch, optimizer: .paperSGD, keepsBestWeights: false)).check()
        let sgemm = sgemmGFLOPS()
        log(String(format: "sgemm 1024³: %.1f GFLOP/s (%@, %d threads)", sgemm, Engine.blasCoreName, Engine.threads))
        let net = try Network(spec: spec, seed: 1)
        var rng = SeededGenerator(seed: 2)
        let x = Tensor(shape: [batch, spec.input.channels, spec.input.height, spec.input.width],
                       data: (0..<(batch * spec.input.count)).map { _ in rng.normal() })
        let classes = spec.heads[0].kind.outputs
        let targets: [String: HeadTargets] = [spec.heads[0].name: .classes((0..<batch).map { _ in Int32(rng.below(classes)) })]
        let optimizer = Optimizer(.paperSGD)
        func step() throws {
            _ = try net.accumulateGradients(x, targets: targets)
            optimizer.step(net.parameters, learningRate: 0.001)
        }
        try step()  // warm-up: first-touch of buffers
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try step() }
        let trainSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let trainRate = Double(batch * iterations) / trainSeconds
        log(String(format: "training: %.1f images/s (batch %d, %d iterations)", trainRate, batch, iterations))

        _ = try net.predict(x)
        let t1 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { _ = try net.predict(x) }
        let inferRate = Double(batch * iterations) / (Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9)
        let one = x.samples(0..<1)
        var latencies: [Double] = []
        _ = try net.predict(one)
        for _ in 0..<max(20, iterations) {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try net.predict(one)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        latencies.sort()
        log(String(format: "inference: %.1f images/s at batch %d, %.2f ms median at batch 1", inferRate, batch, latencies[latencies.count / 2]))

        let flops = Double(try spec.flops())
        let engine = 3 * flops * trainRate / 1e9
        return Result(blasCore: Engine.blasCoreName, threads: Engine.threads, batch: batch, iterations: iterations,
                      trainImagesPerSecond: trainRate, inferenceImagesPerSecond: inferRate,
                      latencyBatch1Milliseconds: latencies[latencies.count / 2],
                      forwardGFLOPPerImage: flops / 1e9, engineGFLOPS: engine, sgemmGFLOPS: sgemm, ratio: engine / sgemm,
                      peakResidentMB: peakResidentMegabytes(),
                      layerMilliseconds: try profileLayers(net, x, targets))
    }

    /// Forward+backward milliseconds per trunk layer for one batch, from the second of two passes
    /// (the first touches fresh memory).
    static func profileLayers(_ net: Network, _ x: Tensor, _ targets: [String: HeadTargets]) throws -> [String: Double] {
        var out: [String: Double] = [:]
        func time(_ body: () -> Void) -> Double {
            let t = DispatchTime.now().uptimeNanoseconds; body(); return Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6
        }
        for _ in 0..<2 {
            out = [:]
            var h = x
            for (i, layer) in net.layers.enumerated() {
                out["\(i) \(layer.spec.kind)"] = time { h = layer.forward(h, training: true) }
            }
            var g = Tensor(shape: h.shape, repeating: 0.001)
            for (i, layer) in net.layers.enumerated().reversed() {
                out["\(i) \(layer.spec.kind)", default: 0] += time { g = layer.backward(g) }
            }
        }
        return out
    }

    /// Peak resident set size of this process (getrusage; Linux reports kilobytes).
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
