import FacetRandom
import XCTest
@testable import FacetEngine

/// Runs `body` with convs on `algorithm`, then restores the process's choice.
func withConvAlgorithm(_ algorithm: ConvAlgorithm, _ body: () throws -> Void) rethrows {
    let saved = ConvAlgorithm.current
    defer { ConvAlgorithm.current = saved }
    ConvAlgorithm.current = algorithm
    try body()
}

/// oneDNN's convolution primitive (ConvPrimitive, CConvolution) against the direct sums and finite
/// differences, on both algorithms, and its choice, kernels and repeatability.
final class ConvPrimitiveTests: XCTestCase {
    private var hasAVX512: Bool { oneDNNRunsAVX512 }

    /// Shapes with a jit kernel (16 maps and up, as the study's), shapes oneDNN may not run on one
    /// (3 maps, a 2×3 input padded by 3), stride 2 with padding, one image and many.
    private let cases: [(LayerSpec, FeatureShape, Int)] = [
        (.conv(maps: 16, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), FeatureShape(channels: 1, height: 14, width: 14), 7),
        (.conv(maps: 32, kernelHeight: 4, kernelWidth: 4, stride: 1, padding: 0), FeatureShape(channels: 16, height: 9, width: 9), 5),
        (.conv(maps: 16, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), FeatureShape(channels: 16, height: 10, width: 11), 1),
        (.conv(maps: 16, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1), FeatureShape(channels: 8, height: 9, width: 8), 3),
        (.conv(maps: 3, kernelHeight: 7, kernelWidth: 7, stride: 1, padding: 3), FeatureShape(channels: 1, height: 2, width: 3), 2),
        (.conv(maps: 20, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), FeatureShape(channels: 5, height: 8, width: 8), 40),
    ]

    func testBothAlgorithmsMatchTheDirectSums() throws {
        for algorithm in [ConvAlgorithm.primitive, .im2col] {
            try withConvAlgorithm(algorithm) { try assertConvMatchesDirectSum(cases) }
        }
    }

    func testBothAlgorithmsMatchFiniteDifferences() throws {
        for algorithm in [ConvAlgorithm.primitive, .im2col] {
            try withConvAlgorithm(algorithm) {
                for (spec, shape, _) in cases.prefix(4) {
                    var rng = SeededGenerator(seed: 1)
                    GradientCheck.check(try makeLayer(spec, input: shape, rng: &rng),
                                        GradientCheck.randomTensor([2, shape.channels, shape.height, shape.width], seed: 4))
                }
            }
        }
    }

    /// The study's conv shapes (the first conv on 48×48 grey faces, the narrow nets' second and the
    /// paper's) run on a jit kernel at batch 100 and 1, so the layer does not fall back to im2col.
    func testTheStudysShapesRunOnAJitKernel() throws {
        try XCTSkipUnless(hasAVX512, "the primitive is the default on AVX-512 CPUs only")
        XCTAssertEqual(ConvAlgorithm.current, ProcessInfo.processInfo.environment["FACET_CONV"] == "im2col" ? .im2col : .primitive)
        let shapes: [(FeatureShape, Int, Int)] = [
            (FeatureShape(channels: 1, height: 48, width: 48), 16, 5), (FeatureShape(channels: 16, height: 22, width: 22), 16, 5),
            (FeatureShape(channels: 32, height: 18, width: 18), 64, 4), (FeatureShape(channels: 64, height: 22, width: 22), 64, 5),
        ]
        for (input, maps, k) in shapes {
            let output = FeatureShape(channels: maps, height: input.height - k + 1, width: input.width - k + 1)
            for batch in [100, 1] {
                let p = try XCTUnwrap(ConvPrimitive(input: input, output: output, kernelHeight: k, kernelWidth: k, stride: 1,
                                                    padding: 0, batch: batch, threads: 2), "\(input) → \(maps) maps at batch \(batch)")
                XCTAssertTrue(p.implementation.hasPrefix("jit"), p.implementation)
            }
        }
    }

    /// A conv → relu → conv step, twice from the same seed, gives the same bytes on 1, 2 and 3
    /// threads (oneDNN's backward-weights reduction is fixed for a thread count); the two
    /// algorithms agree to rounding.
    func testPrimitiveStepsRepeatBitForBit() throws {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        let shape = FeatureShape(channels: 1, height: 20, width: 20)
        let x = GradientCheck.randomTensor([9, 1, 20, 20], seed: 7)
        func run() throws -> [Float] {
            var rng = SeededGenerator(seed: 3)
            let first = try makeLayer(.conv(maps: 16, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), input: shape,
                                      rng: &rng) as! Conv2D
            first.needsInputGradient = false
            let second = try makeLayer(.conv(maps: 32, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0),
                                       input: first.outputShape, rng: &rng) as! Conv2D
            var out: [Float] = []
            for step in 0..<3 {
                let h = first.forward(x, training: true)
                let y = second.forward(h, training: true)
                first.weight.zeroGrad(); second.weight.zeroGrad(); first.bias.zeroGrad(); second.bias.zeroGrad()
                let dh = second.backward(GradientCheck.randomTensor(y.shape, seed: UInt64(8 + step)))
                _ = first.backward(dh)
                for layer in [first, second] {
                    for j in layer.weight.value.indices { layer.weight.value[j] -= 0.01 * layer.weight.grad[j] }
                }
                out += y.data + dh.data + first.weight.grad + first.bias.grad + second.weight.grad
            }
            return out
        }
        var byAlgorithm: [ConvAlgorithm: [Float]] = [:]
        for algorithm in [ConvAlgorithm.primitive, .im2col] {
            try withConvAlgorithm(algorithm) {
                for threads in [1, 2, 3] {
                    Engine.threads = threads
                    let a = try run(), b = try run()
                    XCTAssertEqual(a, b, "\(algorithm) on \(threads) thread(s)")
                    if threads == 2 { byAlgorithm[algorithm] = a }
                }
            }
        }
        let p = try XCTUnwrap(byAlgorithm[.primitive]).map(Double.init), g = try XCTUnwrap(byAlgorithm[.im2col]).map(Double.init)
        // Against the largest value: entries near zero are sums of terms of ~10³ that cancel, and
        // the two algorithms add them in other orders.
        let scale = g.map(abs).max() ?? 1
        let worst = zip(p, g).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst / scale, 1e-5, "primitive against im2col: worst difference \(worst) against values up to \(scale)")
    }

    /// A small scratch budget cuts the batch into many parts (more than the threads, dealt round
    /// robin): the results still match the direct sums, and repeat bit for bit.
    func testManyPartsMatchTheDirectSumsAndRepeat() throws {
        let saved = (ConvPrimitive.scratchBudget, Engine.threads)
        defer { ConvPrimitive.scratchBudget = saved.0; Engine.threads = saved.1 }
        ConvPrimitive.scratchBudget = 4 << 10
        Engine.threads = 2
        try withConvAlgorithm(.primitive) {
            let input = FeatureShape(channels: 16, height: 9, width: 9), output = FeatureShape(channels: 16, height: 7, width: 7)
            if let p = ConvPrimitive(input: input, output: output, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0,
                                     batch: 13, threads: 2) {
                // 16 × 49 + 2 × 16 × 81 floats = 13,504 bytes an image: one image a part
                XCTAssertEqual(p.partCount, 13)
            } else {
                try XCTSkipIf(hasAVX512, "oneDNN should run 16 maps on a jit kernel here")
            }
            let cases: [(LayerSpec, FeatureShape, Int)] = [
                (.conv(maps: 16, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), input, 13),
                (.conv(maps: 32, kernelHeight: 2, kernelWidth: 2, stride: 1, padding: 0), FeatureShape(channels: 16, height: 6, width: 6), 7),
            ]
            try assertConvMatchesDirectSum(cases)
        }
    }

    /// An inference at another batch size between a training forward and its backward (one image:
    /// im2col on two or more threads, else a primitive of its own) leaves the training pass intact.
    func testInferenceAtAnotherBatchLeavesTheTrainingPassIntact() throws {
        try withConvAlgorithm(.primitive) {
            let shape = FeatureShape(channels: 16, height: 9, width: 9)
            let other = GradientCheck.randomTensor([1, 16, 9, 9], seed: 5)
            try assertConvMatchesDirectSum([(.conv(maps: 16, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), shape, 6)]) { conv in
                let alone = conv.forward(other, training: false)
                assertClose(alone.data.map(Double.init), conv.referenceForward(other).data.map(Double.init), "batch-1 inference")
            }
        }
    }
}
