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
            openblas_set_num_threads(Int32(_threads))
        }
    }

    /// The OpenBLAS kernel family selected when the library loaded, e.g. "Haswell", "Zen", "Prescott".
    public static var blasCoreName: String { String(cString: openblas_get_corename()) }

    /// Facet's version, reported in benchmarks and report footers.
    public static let version = "0.1.0"

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
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
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
