import CDNNL
import Foundation

/// The library that runs one GEMM call. oneDNN's fp32 GEMM (`dnnl_sgemm`, row-major like the
/// engine) beats Debian's OpenBLAS 0.3.21 on some of the net's thin shapes and loses on others,
/// so each product in a layer names the library measured faster for it (docs/engine.md, "GEMM
/// libraries"). Both are single-threaded under the engine's own split, so results repeat bit
/// for bit for a thread count either way.
public enum GEMMLibrary: Sendable {
    case openblas, onednn
}

/// The GEMM products of the layers, each of which may run on either library.
enum GEMMSite: String, CaseIterable, Sendable {
    case convForward = "conv.fwd", convWeightGradient = "conv.dw", convInputGradient = "conv.dx"
    /// A conv weight gradient with K = C·kh·kw < 64, such as the first conv's (K = 25).
    case thinConvWeightGradient = "conv.dw.thin"
    case denseForward = "dense.fwd", denseWeightGradient = "dense.dw", denseInputGradient = "dense.dx"
}

extension GEMMSite {
    /// The library for this product at the layer's shape: C[m×n] = op(A)·op(B) with inner
    /// dimension k, as the layer calls it (conv per image: fwd M×L×K, dW M×K×L, dx K×L×M; dense:
    /// fwd N×U×I, dW U×I×N, dx N×I×U). A pure function of the product, the shape and the
    /// machine's kernels (`GEMMKernels`), so a net's results still repeat bit for bit; FACET_ONEDNN
    /// overrides it per product (`override`).
    func library(m: Int, n: Int, k: Int) -> GEMMLibrary {
        if let forced = GEMMSite.override { return forced.contains(self) ? .onednn : .openblas }
        return GEMMSite.rule(self, m: m, n: n, k: k, kernels: .current)
    }

    /// Where each product runs, measured per shape over every GEMM the study's nets make
    /// (docs/engine.md, "GEMM libraries"; `facet bench --layers` shows the engine's choice beside
    /// the faster one).
    static func rule(_ site: GEMMSite, m: Int, n: Int, k: Int, kernels: GEMMKernels) -> GEMMLibrary {
        switch kernels {
        case .none:
            return .openblas
        case .avx2BLAS:
            // oneDNN 1.4–2.1× faster on every product; `dense.dw` stays on OpenBLAS for memory.
            return site == .denseWeightGradient ? .openblas : .onednn
        case .avx512BLAS:
            switch site {
            case .convForward:
                // One image's M×L from K: oneDNN 1.0–1.6× faster on most shapes (0.6–0.9 on five,
                // run to run).
                return .onednn
            case .convWeightGradient:
                // M×K from L: oneDNN 1.0–1.5× faster from 32 maps up to K = 1152 with L < 1024;
                // OpenBLAS 1.0–1.4× faster at K = 1600 (the paper's second conv) and at L = 1369;
                // with 16 maps either, run to run.
                return m >= 32 && n < 1536 && k < 1024 ? .onednn : .openblas
            case .thinConvWeightGradient:
                // K = 25: OpenBLAS 1.6–2.9× faster with 16 maps, even from 32 maps on.
                return m > 16 ? .onednn : .openblas
            case .convInputGradient:
                // K×L from M: oneDNN 1.05–1.9× faster for K < 1024; mixed above (0.54–1.14).
                return m < 1024 ? .onednn : .openblas
            case .denseWeightGradient:
                // U×I from N: oneDNN 1.0–2.2× faster from 128 units (none measured between 37 and
                // 128); above 16 M weights OpenBLAS (mixed at 256 × 93,312, and oneDNN's buffer for
                // the paper's 3072 × 28,800 raised the benchmark's peak past its budget). Heads
                // (2–37 units): even, or OpenBLAS faster.
                return m >= 64 && m * n <= 16 << 20 ? .onednn : .openblas
            case .denseInputGradient:
                // N×I from U: oneDNN 1.1–2.2× faster from 128 units; a head's (2–37 units) OpenBLAS.
                return k >= 64 ? .onednn : .openblas
            case .denseForward:
                // OpenBLAS 1.0–1.3× faster at batch 100 (a head's 1.1–10×).
                return .openblas
            }
        }
    }

    /// The products FACET_ONEDNN puts on oneDNN, whatever the shape (nil: the rule decides).
    /// "0" is none, "1" the rule, a list of site names exactly those (an unknown name is named on
    /// stderr and ignored). Tests switch it.
    nonisolated(unsafe) static var override: Set<GEMMSite>? = {
        guard let value = ProcessInfo.processInfo.environment["FACET_ONEDNN"], value != "1" else { return nil }
        if value == "0" { return [] }
        let names = value.split(separator: ",").map { String($0) }
        let unknown = names.filter { GEMMSite(rawValue: $0) == nil }
        if !unknown.isEmpty {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data(("facet: FACET_ONEDNN: ignoring unknown product(s) "
                + unknown.joined(separator: ", ") + " (known: 0, 1, \(known))\n").utf8))
        }
        return Set(names.compactMap { GEMMSite(rawValue: $0) })
    }()

    /// What decides the libraries in this process, for the training key: the rule and the
    /// machine's kernels, or FACET_ONEDNN's list.
    static var choiceDescription: String {
        if let forced = override { return "onednn " + forced.map(\.rawValue).sorted().joined(separator: ",") }
        return "gemm rule 2 \(GEMMKernels.current)"
    }
}

/// Whether oneDNN runs AVX-512 code on this CPU (its effective ISA includes avx512_core): what
/// decides both the GEMM rule's kernel family (`GEMMKernels`) and the conv algorithm (`ConvAlgorithm`).
let oneDNNRunsAVX512: Bool = {
    let avx512 = dnnl_cpu_isa_avx512_core.rawValue
    return dnnl_get_effective_cpu_isa().rawValue & avx512 == avx512
}()

/// Which kernels the two libraries run on this machine, which decides where each product is
/// faster: oneDNN dispatches on the CPU itself (AVX-512 wherever the CPU has it), OpenBLAS follows
/// its kernel family.
enum GEMMKernels: String, Sendable {
    /// A CPU without AVX-512 (not measured: OpenBLAS everywhere).
    case none
    /// An AVX-512 CPU with OpenBLAS on AVX2 kernels (OPENBLAS_CORETYPE=Haswell).
    case avx2BLAS
    /// OpenBLAS on its own AVX-512 kernels (SkylakeX, Cooperlake, SapphireRapids).
    case avx512BLAS

    static let current: GEMMKernels = {
        guard oneDNNRunsAVX512 else { return .none }
        return ["SkylakeX", "Cooperlake", "SapphireRapids"].contains(Engine.blasCoreName) ? .avx512BLAS : .avx2BLAS
    }()
}

/// One `dnnl_sgemm` call on `threads` OpenMP threads (1 under the engine's split): C[m×n] =
/// alpha · op(A) · op(B) + beta · C, row-major. oneDNN takes its thread count from the calling
/// thread's OpenMP setting, so it is set on every call (the engine's workers are not OpenMP threads).
@inline(__always)
func dnnlSgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = 1) {
    omp_set_num_threads(Int32(threads))
    let status = dnnl_sgemm(transA ? transposed : notTransposed, transB ? transposed : notTransposed,
                            Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
    // Only invalid arguments fail, which the layers' shape checks rule out: a bug, not an input error.
    precondition(status == dnnl_success, "oneDNN sgemm \(m)x\(n)x\(k) failed with status \(status.rawValue)")
}

private let transposed = CChar(UInt8(ascii: "T")), notTransposed = CChar(UInt8(ascii: "N"))
