import Foundation

/// What a profiler (`facet bench`, FacetBench) needs from the engine beyond its ordinary API: the
/// process's CPU clock, the GEMM calls the layers make (to time them alone at the layers' own
/// shapes), the engine's elementwise split (for a bandwidth reference) and which products run on
/// oneDNN. Per-part step times come from `Network.stepTimer`.
public enum Profiling {
    /// CPU seconds all threads of this process have used (user and system).
    public static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// What decides each layer GEMM's library in this process: FACET_ONEDNN's list, or the
    /// per-shape rule for this machine's kernels (`GEMMSite.rule`).
    public static var gemmChoice: String { GEMMSite.choiceDescription }

    /// How convs run in this process (`ConvAlgorithm`): "primitive" or "im2col".
    public static var convAlgorithm: String { ConvAlgorithm.current.rawValue }

    /// oneDNN's kernel for `layer` at `batch` on the engine's threads ("jit:avx512_core") when the
    /// layer is a conv that runs on oneDNN's convolution primitive; nil otherwise (its GEMMs run it).
    public static func convolutionPrimitive(_ layer: Layer, batch: Int) -> String? {
        (layer as? Conv2D)?.primitive(batch: batch)?.implementation
    }

    /// How the engine runs `product` ("fwd", "dW" or "dx") of `layer` at C[m×n] with inner
    /// dimension k in a training step at `batch`: the product's site ("conv.dw.thin"), the library
    /// the rule picks for that shape, and the threading as `facet bench` names what it times
    /// ("images": conv's per-image calls over its workers; "split": one product split over the
    /// threads, as dense runs; nil for a conv whose images go in turn, with fewer images than
    /// threads, and for a dense forward that streams, batch ≤ `Dense.streamingBatch`). nil for
    /// layers without GEMMs and for convs on oneDNN's convolution primitive.
    public static func engineGEMM(_ layer: Layer, product: String, m: Int, n: Int, k: Int, batch: Int)
        -> (site: String, library: GEMMLibrary, threading: String?)? {
        let site: GEMMSite?, threading: String?
        if let conv = layer as? Conv2D {
            if conv.primitive(batch: batch) != nil { return nil }   // no GEMM: oneDNN's convolution primitive
            site = ["fwd": conv.sites.forward, "dW": conv.sites.weightGradient, "dx": conv.sites.inputGradient][product]
            threading = Conv2D.workers(batch: batch) > 1 ? "images" : nil
        } else if layer is Dense {
            site = ["fwd": .denseForward, "dW": .denseWeightGradient, "dx": .denseInputGradient][product]
            threading = product == "fwd" && batch <= Dense.streamingBatch ? nil : "split"
        } else {
            return nil
        }
        return site.map { ($0.rawValue, $0.library(m: m, n: n, k: k), threading) }
    }

    /// How a timed GEMM call runs.
    public enum GEMMThreads: Sendable {
        /// One call: OpenBLAS threaded as it is currently configured (single-threaded after
        /// `useSingleThreadedBLAS`), oneDNN on one thread — what conv makes per image on a worker.
        case one
        /// The engine's split over its threads (`sgemm`), as the dense layer and the heads run.
        case split
        /// The library threading itself over this many threads, as a plain caller would.
        case own(Int)
    }

    /// C[m×n] = op(A) · op(B), row-major, on `library` run as `threads` says (beta 0: C is overwritten).
    @inline(__always)
    public static func sgemm(_ library: GEMMLibrary, _ threads: GEMMThreads, transA: Bool, transB: Bool,
                             m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch threads {
        case .one:
            kernelSgemm(library, transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                        a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
        case .split:
            FacetEngine.sgemm(library, transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda,
                              b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
        case let .own(count):
            switch library {
            case .openblas:
                Engine.withBLASThreads(count) {
                    blasSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda,
                              b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
                }
            case .onednn:
                dnnlSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda,
                          b: b, ldb: ldb, beta: 0, c: c, ldc: ldc, threads: count)
            }
        }
    }

    /// Switches OpenBLAS to one thread, as the engine does before its first split GEMM (once per process).
    public static func useSingleThreadedBLAS() { _ = Engine.blasSingleThreaded }

    /// Runs `body(lo, hi)` over contiguous ranges of 0..<count spread over the engine's threads, as
    /// the elementwise kernels and the optimizer step split their buffers.
    @inline(__always)
    public static func parallelRanges(_ count: Int, _ body: (Int, Int) -> Void) {
        FacetEngine.parallelRanges(count, body)
    }
}
