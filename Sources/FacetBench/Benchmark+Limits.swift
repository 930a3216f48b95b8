import Dispatch
import FacetEngine
import Foundation

/// What each part of a training step could take at best on this machine, measured in the same
/// run as the engine: the layer's own GEMMs (forward and backward, at their shapes) on the faster
/// of OpenBLAS and oneDNN, or for memory-bound parts the bytes they must move at the measured
/// bandwidth. `facet bench` reports each part's time as a percentage of its limit.
extension Benchmark {
    /// One GEMM of a layer: C[m×n] = op(A)·op(B), `count` times per step (once per image for conv).
    public struct GEMMShape: Codable, Sendable, Equatable {
        /// `fwd`, `dW` or `dx`.
        public var product: String
        public var transA: Bool, transB: Bool
        public var m: Int, n: Int, k: Int
        public var count: Int
        /// Conv products are many independent per-image calls, each single-threaded on one of the
        /// engine's threads; the others one product over all threads.
        public var perImage: Bool
        public var gflop: Double { 2 * Double(m) * Double(n) * Double(k) * Double(count) / 1e9 }
    }

    /// The best time found for one `GEMMShape`, and which library and threading gave it.
    public struct GEMMTiming: Codable, Sendable {
        public var shape: GEMMShape
        /// `openblas` or `onednn`, with `/split` for the engine's block split, `/threads` for the
        /// library's own threading, `/images` for per-image calls over the threads.
        public var best: String
        public var milliseconds: Double
        public var gflops: Double
        /// The fastest time of every library and threading tried, by the names `best` uses.
        public var variants: [String: Double] = [:]
        /// How the engine runs this product (`Profiling.engineGEMM`, named as `best` is) and that
        /// variant's time: when it is not `best`, the difference is what the engine's choice costs.
        public var engine: String?
        public var engineMilliseconds: Double?
    }

    /// A part's limit: GEMM-bound (the sum of its products' best times) or memory-bound (bytes at
    /// the measured bandwidth).
    public struct PartLimit: Codable, Sendable {
        /// "gemm" or "memory".
        public var bound: String
        public var milliseconds: Double
        public var gemms: [GEMMTiming]
        /// For memory-bound parts: gigabytes the part must read and write at least (forward +
        /// backward), each tensor once.
        public var gigabytes: Double?
    }

    // MARK: shapes

    /// The GEMMs of a trunk layer's training step at batch `n`, as the layer runs them; empty for
    /// layers without weights.
    static func gemmShapes(_ layer: Layer, batch n: Int) -> [GEMMShape] {
        if let conv = layer as? Conv2D {
            let m = conv.outputShape.channels, l = conv.outputShape.height * conv.outputShape.width
            let k = conv.inputShape.channels * conv.kernelHeight * conv.kernelWidth
            let thin = k < Conv2D.thinK
            var out = [GEMMShape(product: "fwd", transA: false, transB: false, m: m, n: l, k: thin ? k + 1 : k, count: n, perImage: true),
                       GEMMShape(product: "dW", transA: false, transB: true, m: m, n: k, k: l, count: n, perImage: true)]
            if conv.needsInputGradient {
                out.append(GEMMShape(product: "dx", transA: true, transB: false, m: k, n: l, k: m, count: n, perImage: true))
            }
            return out
        }
        if let dense = layer as? Dense { return denseShapes(inputs: dense.inputShape.count, units: dense.outputShape.channels, batch: n) }
        return []
    }

    static func denseShapes(inputs i: Int, units u: Int, batch n: Int) -> [GEMMShape] {
        [GEMMShape(product: "fwd", transA: false, transB: true, m: n, n: u, k: i, count: 1, perImage: false),
         GEMMShape(product: "dW", transA: true, transB: false, m: u, n: i, k: n, count: 1, perImage: false),
         GEMMShape(product: "dx", transA: false, transB: false, m: n, n: i, k: u, count: 1, perImage: false)]
    }

    /// Bytes a layer without weights must move in one training step at batch `n` (forward and
    /// backward, Float32, every tensor read or written once): relu reads x and writes y, then
    /// reads dy and y and writes dx; dropout also writes and reads its mask; max-pooling writes
    /// and reads its argmax; LCN reads x again in backward (it recomputes the centred values from
    /// it; its per-pixel planes are a map's worth, left out). Flatten moves nothing.
    static func memoryBytes(_ layer: Layer, batch n: Int) -> Double {
        let x = Double(layer.inputShape.count), y = Double(layer.outputShape.count)
        let perSample: Double
        switch layer.spec {
        case .relu: perSample = (x + y) + 3 * y
        case .dropout: perSample = (x + 2 * y) + 3 * y
        case .maxpool: perSample = (x + 2 * y) + (2 * y + x)
        case .lcn: perSample = (x + y) + (y + 2 * x)
        case .flatten: perSample = 0
        case .conv, .dense: perSample = x + y
        }
        return 4 * perSample * Double(n)
    }

    // MARK: timing

    /// The best time for `shape` over OpenBLAS and oneDNN: per-image calls spread over the
    /// threads (conv), or the engine's split and each library's own threading (one product).
    /// At most `sampleCalls` calls per thread are timed and the time scaled to `count`.
    static func bestGEMM(_ shape: GEMMShape, threads: Int, sampleCalls: Int = 8) -> GEMMTiming {
        let s = shape
        let aCount = s.m * s.k, bCount = s.k * s.n, cCount = s.m * s.n
        let workers = s.perImage ? max(1, min(threads, s.count)) : 1
        let a = filled(aCount)
        let b = (0..<workers).map { _ in filled(bCount) }
        let c = (0..<workers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: max(1, cCount)) }
        defer {
            a.deallocate(); b.forEach { $0.deallocate() }; c.forEach { $0.deallocate() }
        }
        let lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n
        var best = (seconds: Double.infinity, name: "")
        var variants: [String: Double] = [:]
        func time(_ name: String, reps: Int, scale: Double, _ body: () -> Void) {
            body()  // warm-up: first touch, library buffers
            for _ in 0..<reps {
                let t = DispatchTime.now().uptimeNanoseconds
                body()
                let sec = Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9 * scale
                if sec < best.seconds { best = (sec, name) }
                variants[name] = min(variants[name] ?? .infinity, sec * 1e3)
            }
        }
        let reps = s.gflop > 5 ? 2 : 3
        if s.perImage {
            // The busiest thread's share sets the time; time a sample of it and scale.
            let share = (s.count + workers - 1) / workers, calls = min(share, sampleCalls)
            for library in [GEMMLibrary.openblas, .onednn] {
                Profiling.useSingleThreadedBLAS()
                time("\(library)/images", reps: reps, scale: Double(share) / Double(calls)) {
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        for _ in 0..<calls {
                            Profiling.sgemm(library, .one, transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k,
                                            a: a, lda: lda, b: b[w], ldb: ldb, c: c[w], ldc: s.n)
                        }
                    }
                }
            }
        } else {
            for library in [GEMMLibrary.openblas, .onednn] {
                time("\(library)/split", reps: reps, scale: 1) {
                    Profiling.sgemm(library, .split, transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, a: a, lda: lda,
                                    b: b[0], ldb: ldb, c: c[0], ldc: s.n)
                }
            }
            for library in [GEMMLibrary.openblas, .onednn] {
                time("\(library)/threads", reps: reps, scale: 1) {
                    Profiling.sgemm(library, .own(threads), transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k,
                                    a: a, lda: lda, b: b[0], ldb: ldb, c: c[0], ldc: s.n)
                }
            }
        }
        return GEMMTiming(shape: s, best: best.name, milliseconds: best.seconds * 1e3, gflops: s.gflop / best.seconds,
                          variants: variants)
    }

    /// Small non-zero values (zeros or garbage could take other paths through the kernels).
    private static func filled(_ count: Int) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        for i in 0..<count { p[i] = Float(i % 13) * 0.01 - 0.06 }
        return p
    }

    /// The limit of every trunk layer, then of the heads together, for one training step at
    /// `batch` on the engine's threads, against `bandwidth` GB/s for memory-bound layers.
    static func partLimits(_ net: Network, batch: Int, bandwidth: Double) -> [PartLimit] {
        var out: [PartLimit] = []
        var cache: [GEMMShape: GEMMTiming] = [:]
        func timed(_ shapes: [GEMMShape]) -> [GEMMTiming] {
            shapes.map { s in
                if let t = cache[s] { return t }
                let t = bestGEMM(s, threads: Engine.threads)
                cache[s] = t
                return t
            }
        }
        /// The products' timings with how the engine runs each (`GEMMTiming.engine`).
        func timedAsRun(_ layer: Layer, _ shapes: [GEMMShape]) -> [GEMMTiming] {
            timed(shapes).map { t in
                var t = t
                let s = t.shape
                if let run = Profiling.engineGEMM(layer, product: s.product, m: s.m, n: s.n, k: s.k, batch: batch),
                   let threading = run.threading {
                    let engine = "\(run.library)/\(threading)"
                    t.engine = engine
                    t.engineMilliseconds = t.variants[engine]
                }
                return t
            }
        }
        for layer in net.layers {
            let shapes = gemmShapes(layer, batch: batch)
            if layer is Dense, batch <= Dense.streamingBatch {
                // The forward streams W (memory-bound); the two backward products are GEMMs.
                let t = timedAsRun(layer, Array(shapes.dropFirst())), bytes = 4 * Double(layer.parameters[0].value.count)
                out.append(PartLimit(bound: "gemm", milliseconds: t.reduce(0) { $0 + $1.milliseconds } + bytes / (bandwidth * 1e9) * 1e3,
                                     gemms: t, gigabytes: bytes / 1e9))
            } else if shapes.isEmpty {
                let bytes = memoryBytes(layer, batch: batch)
                out.append(PartLimit(bound: "memory", milliseconds: bytes / (bandwidth * 1e9) * 1e3, gemms: [], gigabytes: bytes / 1e9))
            } else {
                let t = timedAsRun(layer, shapes)
                out.append(PartLimit(bound: "gemm", milliseconds: t.reduce(0) { $0 + $1.milliseconds }, gemms: t, gigabytes: nil))
            }
        }
        let heads = net.heads.flatMap { h in
            timedAsRun(h.linear, denseShapes(inputs: h.linear.inputShape.count, units: h.linear.outputShape.channels, batch: batch))
        }
        out.append(PartLimit(bound: "gemm", milliseconds: heads.reduce(0) { $0 + $1.milliseconds }, gemms: heads, gigabytes: nil))
        return out
    }
}

extension Benchmark.GEMMShape: Hashable {}

extension Benchmark {
    /// The GEMM products of a step's parts that the engine runs on a slower library or threading
    /// than the best one measured (each as "layer product", e.g. "4 conv 16 5x5 dW"), and the time
    /// a step loses to them.
    public static func slowerLibraryProducts(_ layers: [LayerTiming]) -> (products: [String], milliseconds: Double) {
        var products: [String] = [], lost = 0.0
        for t in layers {
            for g in t.limit?.gemms ?? [] {
                guard let engine = g.engine, engine != g.best, let ms = g.engineMilliseconds else { continue }
                products.append((t.index.map { "\($0) \(t.layer)" } ?? t.layer) + " " + g.shape.product)
                lost += ms - g.milliseconds
            }
        }
        return (products, lost)
    }

    /// The convs of `net` that run on oneDNN's convolution primitive at `batch`, as "layer (kernel)".
    static func primitiveConvolutions(_ net: Network, batch: Int) -> [String] {
        net.layers.enumerated().compactMap { i, layer in
            Profiling.convolutionPrimitive(layer, batch: batch).map { "\(i) \(layer.spec.text) (\($0))" }
        }
    }

    /// Every layer GEMM of `net`'s training step at `batch` that the engine runs on oneDNN, as
    /// "layer product (site)".
    static func oneDNNProducts(_ net: Network, batch: Int) -> [String] {
        var out: [String] = []
        let layers = net.layers.enumerated().map { ("\($0.offset) \($0.element.spec.text)", $0.element as Layer) }
            + net.heads.map { ("head \($0.spec.name)", $0.linear as Layer) }
        for (name, layer) in layers {
            for s in gemmShapes(layer, batch: batch) {
                guard let run = Profiling.engineGEMM(layer, product: s.product, m: s.m, n: s.n, k: s.k, batch: batch),
                      run.library == GEMMLibrary.onednn else { continue }
                out.append("\(name) \(s.product) (\(run.site))")
            }
        }
        return out
    }
}
