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
    /// The library for this product: oneDNN where it measured faster, unless FACET_ONEDNN=0
    /// (OpenBLAS everywhere, for comparisons) or FACET_ONEDNN=site,site… (exactly those sites;
    /// an unknown name is named on stderr and ignored).
    var library: GEMMLibrary { GEMMSite.chosen.contains(self) ? .onednn : .openblas }

    /// Measured faster on oneDNN (docs/engine.md), which depends on OpenBLAS's kernel family:
    /// oneDNN runs AVX-512 code on any AVX-512 CPU, OpenBLAS only with an AVX-512 family. On an
    /// AVX-512 CPU with OpenBLAS on AVX2 kernels (OPENBLAS_CORETYPE=Haswell, as set on the
    /// machine measured) oneDNN was 1.4–2× faster on every product; with OpenBLAS's own AVX-512
    /// kernels only on the conv forward (one image, K = C·kh·kw), the first conv's weight gradient
    /// (K = 25) and the dense input gradient (K = 3072). The dense weight gradient stays on
    /// OpenBLAS in both cases: on oneDNN it raised the benchmark's peak memory by 50–80 MB, past
    /// its 1150 MB budget. The conv weight gradient joined oneDNN with AVX2 OpenBLAS once conv's
    /// workers stopped calling it on the main thread (see `Conv2D.eachImage`): before that it
    /// raised the peak by up to 50 MB too. CPUs without AVX-512 were not measured: OpenBLAS.
    static var measuredFaster: Set<GEMMSite> {
        let avx512 = dnnl_cpu_isa_avx512_core.rawValue
        guard dnnl_get_effective_cpu_isa().rawValue & avx512 == avx512 else { return [] }
        let avx512BLAS: Set<String> = ["SkylakeX", "Cooperlake", "SapphireRapids"]
        return avx512BLAS.contains(Engine.blasCoreName)
            ? [.convForward, .thinConvWeightGradient, .denseInputGradient]
            : [.convForward, .convWeightGradient, .thinConvWeightGradient, .convInputGradient, .denseForward, .denseInputGradient]
    }

    /// The sites on oneDNN in this process (tests switch them).
    nonisolated(unsafe) static var chosen: Set<GEMMSite> = {
        guard let value = ProcessInfo.processInfo.environment["FACET_ONEDNN"] else { return measuredFaster }
        if value == "0" { return [] }
        if value == "1" { return measuredFaster }
        let names = value.split(separator: ",").map { String($0) }
        let unknown = names.filter { GEMMSite(rawValue: $0) == nil }
        if !unknown.isEmpty {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data(("facet: FACET_ONEDNN: ignoring unknown product(s) "
                + unknown.joined(separator: ", ") + " (known: 0, 1, \(known))\n").utf8))
        }
        return Set(names.compactMap { GEMMSite(rawValue: $0) })
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
