import FacetRandom
import XCTest
@testable import FacetEngine

/// The engine's split GEMM and SIMD element loops against plain references.
final class FastKernelTests: XCTestCase {
    /// op(A)·op(B) in Double from row-major storage with leading dimensions.
    private static func reference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: [Float], lda: Int,
                           b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int) -> [Float] {
        var out = c
        for i in 0..<m { for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                s += Double(av) * Double(bv)
            }
            out[i * ldc + j] = Float(s + Double(beta) * Double(c[i * ldc + j]))
        } }
        return out
    }

    func testSplitSgemmMatchesNaiveForEveryTransposeAndSplitDirection() {
        // (m, n, k): wide C splits columns, tall C splits rows, odd sizes leave ragged blocks
        FastKernelTests.assertSgemmMatchesNaive(.openblas, alpha: 1,
                                                shapes: [(40, 1000, 70), (1000, 40, 70), (67, 611, 53), (611, 67, 53)])
    }

    /// `sgemm` on `library` for 1–3 threads, every transpose, beta 0.5, against `reference`.
    static func assertSgemmMatchesNaive(_ library: GEMMLibrary, alpha: Float, shapes: [(Int, Int, Int)],
                                        file: StaticString = #filePath, line: UInt = #line) {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        for threads in [1, 2, 3] {
            Engine.threads = threads
            for (m, n, k) in shapes { for transA in [false, true] { for transB in [false, true] {
                let lda = transA ? m : k, ldb = transB ? k : n, ldc = n
                let a = GradientCheck.randomTensor([m * k], seed: 1).data
                let b = GradientCheck.randomTensor([k * n], seed: 2).data
                let c0 = GradientCheck.randomTensor([m * n], seed: 3).data
                var c = c0
                a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                    sgemm(library, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!,
                          lda: lda, b: pb.baseAddress!, ldb: ldb, beta: 0.5, c: pc.baseAddress!, ldc: ldc)
                } } }
                let want = reference(transA: transA, transB: transB, m: m, n: n, k: k, a: a.map { $0 * alpha }, lda: lda,
                                     b: b, ldb: ldb, beta: 0.5, c: c0, ldc: ldc)
                let worst = zip(c, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-4, "\(library) threads \(threads) \(m)x\(n)x\(k) transA \(transA) transB \(transB)",
                                  file: file, line: line)
            } } }
        }
    }

    func testSplitSgemmIsRepeatable() {
        let (m, n, k) = (300, 700, 90)
        let a = GradientCheck.randomTensor([m * k], seed: 4).data, b = GradientCheck.randomTensor([k * n], seed: 5).data
        func run() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                sgemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
            } } }
            return c
        }
        XCTAssertEqual(run(), run())
    }

    func testReLUOnALargeBatchKeepsNaNAndMatchesTheScalarRule() throws {
        // 2·8·64·65 values: above the parallel threshold and not a multiple of the SIMD width per range
        var rng = SeededGenerator(seed: 7)
        let shape = FeatureShape(channels: 8, height: 64, width: 65)
        let relu = try makeLayer(.relu, input: shape, rng: &rng)
        var x = GradientCheck.randomTensor([2, 8, 64, 65], seed: 8)
        x.data[5] = .nan; x.data[x.count - 1] = .nan; x.data[9] = -0.0
        let y = relu.forward(x, training: true)
        for i in x.data.indices {
            if x.data[i].isNaN { XCTAssertTrue(y.data[i].isNaN, "NaN at \(i) must pass forward") }
            else { XCTAssertEqual(y.data[i], x.data[i] < 0 ? 0 : x.data[i], "forward at \(i)") }
        }
        let g = GradientCheck.randomTensor(x.shape, seed: 9)
        let dx = relu.backward(g)
        for i in x.data.indices {
            XCTAssertEqual(dx.data[i], y.data[i] > 0 ? g.data[i] : 0, "backward at \(i)")
        }
    }
}
