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
}

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
