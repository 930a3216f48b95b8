import CKernels
import FacetRandom
import XCTest
@testable import FacetEngine

/// The dense layer's streaming forward at batch 1–8 (`Dense.streamingForward`, CKernels'
/// `facet_dense_gemv`) against a naive product and the GEMM path it replaces there.
final class DenseStreamingTests: XCTestCase {
    private func dense(inputs: FeatureShape, units: Int, seed: UInt64) throws -> Dense {
        var rng = SeededGenerator(seed: seed)
        let d = try XCTUnwrap(try makeLayer(.dense(units: units), input: inputs, rng: &rng) as? Dense)
        d.bias.value = (0..<units).map { Float($0) * 0.25 - 1 }
        return d
    }

    /// y[n, u] = b[u] + Σ_i W[u, i] x[n, i] in Double.
    private func naive(_ d: Dense, _ x: Tensor) -> [Float] {
        let n = x.batchSize, i = d.inputShape.count, u = d.outputShape.channels
        var out = [Float](repeating: 0, count: n * u)
        for s in 0..<n { for r in 0..<u {
            var sum = Double(d.bias.value[r])
            for k in 0..<i { sum += Double(d.weight.value[r * i + k]) * Double(x.data[s * i + k]) }
            out[s * u + r] = Float(sum)
        } }
        return out
    }

    private func worst(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }

    /// Inputs with and without a tail past the kernel's 16 lanes, units with and without a tail past
    /// its 4-row blocks, every batch the stream takes, and 9 (the GEMM path).
    func testStreamingForwardMatchesNaiveAndTheGEMMPath() throws {
        let saved = (Engine.threads, Dense.streamingBatch)
        defer { Engine.threads = saved.0; Dense.streamingBatch = saved.1 }
        Engine.threads = 2
        let shapes: [(FeatureShape, Int)] = [(FeatureShape(channels: 2, height: 3, width: 3), 5),
                                             (FeatureShape(channels: 16, height: 1, width: 1), 13),
                                             (FeatureShape(channels: 4, height: 20, width: 20), 1030)]
        for (shape, units) in shapes {
            let d = try dense(inputs: shape, units: units, seed: 3)
            for n in 1...9 {
                let x = GradientCheck.randomTensor([n, shape.channels, shape.height, shape.width], seed: UInt64(n))
                Dense.streamingBatch = 8
                let streamed = d.forward(x, training: false)
                Dense.streamingBatch = 0
                let gemm = d.forward(x, training: false)
                XCTAssertEqual(streamed.shape, [n, units, 1, 1])
                XCTAssertLessThan(worst(streamed.data, naive(d, x)), 1e-5, "\(shape) → \(units), batch \(n)")
                XCTAssertLessThan(worst(streamed.data, gemm.data), 1e-5, "\(shape) → \(units), batch \(n)")
            }
        }
    }

    /// Each output is one dot product in a fixed order: the same bits on 1, 2 or 3 threads (1030
    /// units × 1600 inputs is large enough to be split).
    func testStreamingForwardIsBitIdenticalAcrossThreadCounts() throws {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        let shape = FeatureShape(channels: 4, height: 20, width: 20)
        let d = try dense(inputs: shape, units: 1030, seed: 4)
        for n in [1, 3, 8] {
            let x = GradientCheck.randomTensor([n, 4, 20, 20], seed: 9)
            var outputs: [[Float]] = []
            for threads in [1, 2, 3] {
                Engine.threads = threads
                outputs.append(d.forward(x, training: false).data)
            }
            XCTAssertEqual(outputs[0], outputs[1], "batch \(n)")
            XCTAssertEqual(outputs[0], outputs[2], "batch \(n)")
        }
    }

    /// A training forward at a small batch streams too, and backward still matches finite
    /// differences through it.
    func testGradientsThroughTheStreamingForward() throws {
        let d = try dense(inputs: FeatureShape(channels: 3, height: 2, width: 3), units: 7, seed: 5)
        GradientCheck.check(d, GradientCheck.randomTensor([2, 3, 2, 3], seed: 6))
    }

    func testKernelPathIsNamed() {
        XCTAssertTrue(["avx512", "avx2", "scalar"].contains(String(cString: facet_kernel_isa())))
    }
}
