import CBLAS
import Foundation

/// Process-wide engine settings: worker threads for GEMM (OpenBLAS) and for the other kernels.
public enum Engine {
    nonisolated(unsafe) private static var _threads = max(1, Int(openblas_get_num_threads()))

    /// Threads used by OpenBLAS and by the batch-parallel kernels (im2col, LCN, pooling).
    public static var threads: Int {
        get { _threads }
        set {
            _threads = max(1, newValue)
            // The engine splits GEMMs over its own threads (see `sgemm`); OpenBLAS runs each part
            // single-threaded. `withBLASThreads` runs OpenBLAS threaded for reference measurements.
            openblas_set_num_threads(splitGEMM ? 1 : Int32(_threads))
        }
    }

    /// Switches OpenBLAS to one thread before the first split GEMM (once per process).
    static let blasSingleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Runs `body` with OpenBLAS threading itself over `threads` threads, as a plain OpenBLAS
    /// user would (the benchmark's sgemm reference).
    public static func withBLASThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        openblas_set_num_threads(Int32(max(1, threads)))
        defer { openblas_set_num_threads(splitGEMM ? 1 : Int32(_threads)) }
        return try body()
    }

    /// The OpenBLAS kernel family selected when the library loaded, e.g. "Haswell", "Zen", "Prescott".
    public static var blasCoreName: String { String(cString: openblas_get_corename()) }

    /// Facet's version, reported in benchmarks and report footers.
    // 0.2: one seeded generator (FacetRandom); seeded training streams differ from 0.1.
    // 0.3: SGD folded into backward and conv gradients summed per thread: trained weights differ
    // from 0.2 in the last bits, so cached results (keyed by this) are not reused across it.
    // 0.4: oneDNN runs some layer GEMMs (`GEMMSite`): trained weights differ in the last bits.
    // 0.5: the dense forward at batch 1–8 streams W (`Dense.streamingForward`): outputs at those
    // batches (predictions, a small last training batch) differ from 0.4's in the last bits; with
    // AVX2 OpenBLAS kernels the conv weight gradients run on oneDNN: trained weights differ too.
    // 0.6: each layer GEMM's library is chosen per shape (`GEMMSite.rule`), not per product:
    // with OpenBLAS's AVX-512 kernels several products moved library, so trained weights differ.
    // 0.7: on AVX-512 CPUs convs run on oneDNN's convolution primitive (`ConvPrimitive`), not
    // im2col and GEMMs: trained weights differ.
    public static let version = "0.7.0"

    /// Keeps freed activation buffers in the heap for reuse. glibc serves blocks over 32 MB with
    /// fresh mmap'd pages and unmaps them on free, so every batch paid page faults and zeroing for
    /// each tens-of-MB activation (measured: a third of a training step in system time).
    static let allocatorConfigured: Bool = {
        #if os(Linux)
        _ = glibcMallopt(-4, 0)             // M_MMAP_MAX
        _ = glibcMallopt(-1, Int32.max)     // M_TRIM_THRESHOLD
        #endif
        return true
    }()
}

#if os(Linux)
/// glibc's mallopt (malloc.h is not part of Swift's Glibc module).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

// MARK: - GEMM

/// C[m×n] = alpha · op(A) · op(B) + beta · C, all row-major. Thin wrapper so layers read like maths.
///
/// With several engine threads, a large product is split into `Engine.threads` column (or row)
/// blocks of C computed concurrently by single-threaded OpenBLAS (or oneDNN, `library`) calls. OpenBLAS's own threads
/// spin in sched_yield for a while after every call and then competed for the two cores with the
/// engine's im2col/LCN/pooling workers (about a tenth of all cycles in `perf`). Every element of C
/// is still one OpenBLAS dot product over the whole K, so results do not depend on the split.
@inline(__always)
func sgemm(_ library: GEMMLibrary = .openblas, transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let parts = Engine.threads
    guard parts > 1, splitGEMM, m * n * k >= 1 << 21 else {
        if library == .onednn {
            dnnlSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                      b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: splitGEMM ? 1 : parts)
            return
        }
        blasSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        return
    }
    _ = Engine.blasSingleThreaded
    // Each block packs the whole of the other operand, so split the side whose partner is smaller.
    if m * k <= k * n && n >= 16 * parts {
        parallelFor(parts) { p in
            // column blocks rounded to 16 so each block keeps whole kernel tiles
            let lo = (n * p / parts) & ~15, hi = p == parts - 1 ? n : (n * (p + 1) / parts) & ~15
            guard hi > lo else { return }
            let bp = transB ? b + lo * ldb : b + lo
            kernelSgemm(library, transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha, a: a, lda: lda,
                        b: bp, ldb: ldb, beta: beta, c: c + lo, ldc: ldc)
        }
    } else if m >= 16 * parts {
        parallelFor(parts) { p in
            let lo = (m * p / parts) & ~15, hi = p == parts - 1 ? m : (m * (p + 1) / parts) & ~15
            guard hi > lo else { return }
            let ap = transA ? a + lo : a + lo * lda
            kernelSgemm(library, transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha, a: ap, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c + lo * ldc, ldc: ldc)
        }
    } else {
        kernelSgemm(library, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                    b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

/// Whether `sgemm` splits products over the engine's threads. On by default; the environment
/// variable FACET_SPLIT_GEMM=0 turns it off (OpenBLAS then threads each call itself), so the two
/// can be compared with `facet bench`.
let splitGEMM = ProcessInfo.processInfo.environment["FACET_SPLIT_GEMM"] != "0"

/// One GEMM call on `library`: OpenBLAS threaded as it is currently configured (single-threaded
/// under the engine's split), oneDNN on one thread.
@inline(__always)
func kernelSgemm(_ library: GEMMLibrary, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                 a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                 beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    switch library {
    case .openblas:
        blasSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc)
    case .onednn:
        dnnlSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc)
    }
}

/// One cblas_sgemm call, threaded (or not) as OpenBLAS is currently configured.
@inline(__always)
func blasSgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Public GEMM entry for benchmarks and kernel checks: C = A·B for row-major [m×k]·[k×n].
public func matmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
    precondition(a.count == m * k && b.count == k * n, "matmul: operand sizes do not match \(m)x\(k)·\(k)x\(n)")
    var c = [Float](repeating: 0, count: m * n)
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
        sgemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
    } } }
    return c
}

/// Naive triple loop in Double, the reference that `matmul` is checked against.
public func naiveMatmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
        c[i * n + j] = Float(s)
    } }
    return c
}
