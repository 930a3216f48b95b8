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
        // big enough to split (m·n·k ≥ 2²¹) and small; alpha as folded SGD uses it (−η)
        FastKernelTests.assertSgemmMatchesNaive(.onednn, alpha: -0.25,
                                                shapes: [(40, 1000, 70), (1000, 40, 70), (67, 611, 53), (5, 7, 3)])
    }

    func testConvOnOneDNNMatchesDirectSumAndFiniteDifferences() throws {
        try withOneDNN(Set(GEMMSite.allCases)) {
            let cases: [(LayerSpec, FeatureShape, Int)] = [
                (.conv(maps: 8, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), FeatureShape(channels: 3, height: 12, width: 12), 5),
                (.conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1), FeatureShape(channels: 2, height: 9, width: 8), 3),
                (.conv(maps: 6, kernelHeight: 4, kernelWidth: 4, stride: 1, padding: 0), FeatureShape(channels: 5, height: 15, width: 15), 40),
            ]
            try assertConvMatchesDirectSum(cases)
            for (spec, shape, _) in cases {
                var rng = SeededGenerator(seed: 1)
                GradientCheck.check(try makeLayer(spec, input: shape, rng: &rng),
                                    GradientCheck.randomTensor([2, shape.channels, shape.height, shape.width], seed: 4))
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
