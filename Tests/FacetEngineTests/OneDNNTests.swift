import FacetRandom
import XCTest
@testable import FacetEngine

/// The oneDNN GEMM path against naive references, finite differences and itself.
final class OneDNNTests: XCTestCase {
    /// Runs `body` with exactly `sites` on oneDNN, then restores the process's choice.
    /// The GEMM products listed on oneDNN, with convs on im2col (the GEMMs' own path; on AVX-512
    /// convs run on oneDNN's primitive, which ConvPrimitiveTests cover).
    private func withOneDNN(_ sites: Set<GEMMSite>, _ body: () throws -> Void) rethrows {
        let saved = GEMMSite.override
        defer { GEMMSite.override = saved }
        GEMMSite.override = sites
        try withConvAlgorithm(.im2col, body)
    }

    /// The per-shape rule picks the library measured faster at the study's shapes (docs/engine.md,
    /// "GEMM libraries"), and only from the product, the shape and the machine's kernels.
    func testTheRuleFollowsTheShapesMeasured() {
        func on(_ site: GEMMSite, _ m: Int, _ n: Int, _ k: Int, _ kernels: GEMMKernels = .avx512BLAS) -> GEMMLibrary {
            GEMMSite.rule(site, m: m, n: n, k: k, kernels: kernels)
        }
        // OpenBLAS's own AVX-512 kernels
        XCTAssertEqual(on(.convForward, 64, 324, 1600), .onednn)
        XCTAssertEqual(on(.convWeightGradient, 32, 800, 324), .onednn, "a narrow net's second conv")
        XCTAssertEqual(on(.convWeightGradient, 16, 400, 324), .openblas, "16 maps: even, so unchanged")
        XCTAssertEqual(on(.convWeightGradient, 128, 1024, 225), .onednn, "the paper's third conv")
        XCTAssertEqual(on(.convWeightGradient, 64, 1600, 324), .openblas, "the paper's second conv: K = 1600")
        XCTAssertEqual(on(.convWeightGradient, 128, 1024, 1369), .openblas, "72-px faces: L = 1369")
        XCTAssertEqual(on(.thinConvWeightGradient, 16, 25, 1936), .openblas, "16 maps")
        XCTAssertEqual(on(.thinConvWeightGradient, 64, 25, 1936), .onednn)
        XCTAssertEqual(on(.convInputGradient, 400, 324, 16), .onednn)
        XCTAssertEqual(on(.convInputGradient, 1600, 324, 64), .openblas)
        XCTAssertEqual(on(.denseForward, 100, 256, 5184), .openblas)
        XCTAssertEqual(on(.denseWeightGradient, 256, 5184, 100), .onednn)
        XCTAssertEqual(on(.denseWeightGradient, 3072, 28800, 100), .openblas, "the paper's 88 M weights: memory")
        XCTAssertEqual(on(.denseWeightGradient, 7, 256, 100), .openblas, "a head")
        XCTAssertEqual(on(.denseInputGradient, 100, 28800, 3072), .onednn)
        XCTAssertEqual(on(.denseInputGradient, 100, 256, 7), .openblas, "a head")
        // OpenBLAS on AVX2 kernels on an AVX-512 CPU: oneDNN but for dense.dw; no AVX-512: OpenBLAS
        for site in GEMMSite.allCases {
            XCTAssertEqual(on(site, 64, 324, 1600, .avx2BLAS), site == .denseWeightGradient ? .openblas : .onednn, site.rawValue)
            XCTAssertEqual(on(site, 64, 324, 1600, .none), .openblas, site.rawValue)
        }
    }

    /// FACET_ONEDNN's list (`override`) wins over the rule at every shape.
    func testTheOverrideDecidesEveryShape() {
        withOneDNN([.convInputGradient]) {
            XCTAssertEqual(GEMMSite.convInputGradient.library(m: 1600, n: 324, k: 64), .onednn)
            XCTAssertEqual(GEMMSite.convForward.library(m: 64, n: 324, k: 1600), .openblas)
            XCTAssertEqual(GEMMSite.choiceDescription, "onednn conv.dx")
        }
        withOneDNN([]) {
            XCTAssertTrue(GEMMSite.allCases.allSatisfy { $0.library(m: 100, n: 256, k: 5184) == .openblas })
        }
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
