import FacetRandom
import XCTest
@testable import FacetEngine

/// The oneDNN GEMM path against naive references, finite differences and itself.
final class OneDNNTests: XCTestCase {
    /// Runs `body` with exactly `sites` on oneDNN, then restores the process's choice.
    private func withOneDNN(_ sites: Set<GEMMSite>, _ body: () throws -> Void) rethrows {
        let saved = GEMMSite.chosen
        defer { GEMMSite.chosen = saved }
        GEMMSite.chosen = sites
        try body()
    }

    func testOneDNNSgemmMatchesNaiveForEveryTransposeAndSplit() {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        // big enough to split (m·n·k ≥ 2²¹) and small; alpha and beta as folded SGD uses them
        let shapes = [(40, 1000, 70), (1000, 40, 70), (67, 611, 53), (5, 7, 3)]
        for threads in [1, 2, 3] {
            Engine.threads = threads
            for (m, n, k) in shapes { for transA in [false, true] { for transB in [false, true] {
                let lda = transA ? m : k, ldb = transB ? k : n
                let a = GradientCheck.randomTensor([m * k], seed: 1).data
                let b = GradientCheck.randomTensor([k * n], seed: 2).data
                let c0 = GradientCheck.randomTensor([m * n], seed: 3).data
                var c = c0
                a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                    sgemm(.onednn, transA: transA, transB: transB, m: m, n: n, k: k, alpha: -0.25, a: pa.baseAddress!,
                          lda: lda, b: pb.baseAddress!, ldb: ldb, beta: 0.5, c: pc.baseAddress!, ldc: n)
                } } }
                let want = FastKernelTests.reference(transA: transA, transB: transB, m: m, n: n, k: k,
                                                     a: a.map { $0 * -0.25 }, lda: lda, b: b, ldb: ldb,
                                                     beta: 0.5, c: c0, ldc: n)
                let worst = zip(c, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-4, "threads \(threads) \(m)x\(n)x\(k) transA \(transA) transB \(transB)")
            } } }
        }
    }

    func testConvOnOneDNNMatchesDirectSumAndFiniteDifferences() throws {
        try withOneDNN(Set(GEMMSite.allCases)) {
            let cases: [(LayerSpec, FeatureShape, Int)] = [
                (.conv(maps: 8, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), FeatureShape(channels: 3, height: 12, width: 12), 5),
                (.conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1), FeatureShape(channels: 2, height: 9, width: 8), 3),
                (.conv(maps: 6, kernelHeight: 4, kernelWidth: 4, stride: 1, padding: 0), FeatureShape(channels: 5, height: 15, width: 15), 40),
            ]
            for (spec, shape, n) in cases {
                var rng = SeededGenerator(seed: 1)
                let conv = try makeLayer(spec, input: shape, rng: &rng) as! Conv2D
                for i in conv.bias.value.indices { conv.bias.value[i] = Float(i) * 0.1 }
                let x = GradientCheck.randomTensor([n, shape.channels, shape.height, shape.width], seed: 2)
                let y = conv.forward(x, training: true)
                assertClose(y.data.map(Double.init), conv.referenceForward(x).data.map(Double.init), "\(spec.text) forward")
                let dy = GradientCheck.randomTensor(y.shape, seed: 3)
                conv.weight.zeroGrad(); conv.bias.zeroGrad()
                let dx = conv.backward(dy)
                let (rdx, rdw, _) = conv.referenceBackward(x, dy)
                assertClose(dx.data.map(Double.init), rdx, "\(spec.text) dx")
                assertClose(conv.weight.grad.map(Double.init), rdw, "\(spec.text) dW")
                GradientCheck.check(conv, GradientCheck.randomTensor([2, shape.channels, shape.height, shape.width], seed: 4))
            }
        }
    }

    func testDenseOnOneDNNMatchesFiniteDifferences() throws {
        try withOneDNN(Set(GEMMSite.allCases)) {
            var rng = SeededGenerator(seed: 1)
            let shape = FeatureShape(channels: 3, height: 4, width: 4)
            let dense = try makeLayer(.dense(units: 5), input: shape, rng: &rng)
            GradientCheck.check(dense, GradientCheck.randomTensor([3, 3, 4, 4], seed: 6))
        }
    }

    func testOneDNNStepRepeatsBitForBit() throws {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        Engine.threads = 2
        try withOneDNN(Set(GEMMSite.allCases)) {
            let shape = FeatureShape(channels: 4, height: 14, width: 14)
            let x = GradientCheck.randomTensor([6, 4, 14, 14], seed: 7)
            func run() throws -> [Float] {
                var rng = SeededGenerator(seed: 3)
                let conv = try makeLayer(.conv(maps: 16, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0),
                                         input: shape, rng: &rng) as! Conv2D
                let y = conv.forward(x, training: true)
                let dx = conv.backward(GradientCheck.randomTensor(y.shape, seed: 8))
                return y.data + dx.data + conv.weight.grad
            }
            XCTAssertEqual(try run(), try run())
        }
    }
}
