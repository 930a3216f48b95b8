import CKernels
import FacetRandom
/// Fully connected: y[n, u] = b[u] + Σ_i W[u, i] · x[n, i], over the flattened input.
/// Forward and both backward products are single `sgemm` calls over the whole batch, except the
/// forward at batch 1–8 (`streamingBatch`): there every weight is used once or a few times, the
/// layer is bound by reading W, and a GEMM call costs more than the stream (oneDNN or OpenBLAS
/// pack W, 354 MB for the paper's net, into their own panels first). So W is streamed once, in
/// place, over the engine's threads by `facet_dense_gemv` (CKernels).
public final class Dense: Layer {
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    public let weight: Parameter   // [units, inputs]
    public let bias: Parameter     // [units]
    private var input: Tensor?     // x: [N, inputs]

    public var spec: LayerSpec { .dense(units: outputShape.channels) }
    public var parameters: [Parameter] { [weight, bias] }

    init(input: FeatureShape, units: Int, rng: inout SeededGenerator) {
        inputShape = input
        outputShape = FeatureShape(channels: units, height: 1, width: 1)
        weight = Parameter(name: "weight", shape: [units, input.count],
                           value: heNormal(count: units * input.count, fanIn: input.count, rng: &rng), foldable: true)
        bias = Parameter(name: "bias", shape: [units], value: [Float](repeating: 0, count: units))
    }

    /// A linear map with a given initial scale (heads use Glorot-like small weights).
    init(input: FeatureShape, units: Int, std: Float, rng: inout SeededGenerator) {
        inputShape = input
        outputShape = FeatureShape(channels: units, height: 1, width: 1)
        weight = Parameter(name: "weight", shape: [units, input.count],
                           value: (0..<(units * input.count)).map { _ in rng.normal() * std }, foldable: true)
        bias = Parameter(name: "bias", shape: [units], value: [Float](repeating: 0, count: units))
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.sampleCount == inputShape.count, "dense expects \(inputShape.count) inputs, got \(x.shape)")
        let n = x.batchSize, i = inputShape.count, u = outputShape.channels
        if training { input = x }
        if n <= Dense.streamingBatch { return streamingForward(x) }
        var y = Tensor(shape: [n, u, 1, 1])
        y.data.withUnsafeMutableBufferPointer { py in
            bias.value.withUnsafeBufferPointer { pb in
                for r in 0..<n { (py.baseAddress! + r * u).update(from: pb.baseAddress!, count: u) }
            }
            x.data.withUnsafeBufferPointer { px in weight.value.withUnsafeBufferPointer { pw in
                // y[N×U] += x[N×I] · Wᵀ[I×U]
                sgemm(GEMMSite.denseForward.library(m: n, n: u, k: i), transB: true, m: n, n: u, k: i, a: px.baseAddress!, lda: i,
                      b: pw.baseAddress!, ldb: i, beta: 1, c: py.baseAddress!, ldc: u)
            } }
        }
        return y
    }

    /// Batches up to this size take `streamingForward` (tests set it to 0 to compare with the GEMM).
    nonisolated(unsafe) public internal(set) static var streamingBatch = 8

    /// y[N×U] = b + x[N×I] · Wᵀ for N ≤ 8: W read once, row by row in place, rows split over the
    /// engine's threads in contiguous ranges (multiples of 4 rows, the kernel's block). Each output
    /// is one dot product in a fixed order, so y does not depend on the thread count; it differs
    /// from the GEMM path's in the last bits.
    func streamingForward(_ x: Tensor) -> Tensor {
        let n = x.batchSize, i = inputShape.count, u = outputShape.channels
        var y = Tensor(shape: [n, u, 1, 1], data: uninitializedFloats(n * u))
        // Below ~1 MB of weights a dispatch costs more than the stream.
        let parts = u * i >= 1 << 18 ? min(Engine.threads, max(1, u / 4)) : 1
        x.data.withUnsafeBufferPointer { px in y.data.withUnsafeMutableBufferPointer { py in
        weight.value.withUnsafeBufferPointer { pw in bias.value.withUnsafeBufferPointer { pb in
            let w = pw.baseAddress!, b = pb.baseAddress!, xs = px.baseAddress!, ys = py.baseAddress!
            parallelFor(parts) { p in
                let lo = p == 0 ? 0 : (u * p / parts) & ~3, hi = p == parts - 1 ? u : (u * (p + 1) / parts) & ~3
                facet_dense_gemv(w, b, xs, ys, i, u, lo, hi, n)
            }
        } } } }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("dense backward without a training forward") }
        defer { input = nil }   // see `Layer.backward`
        let n = x.batchSize, i = inputShape.count, u = outputShape.channels
        // Overwritten in full by the sgemm below (beta = 0), so no zero-fill.
        var dx = Tensor(shape: [n, inputShape.channels, inputShape.height, inputShape.width],
                        data: uninitializedFloats(n * i))
        dy.data.withUnsafeBufferPointer { pg in
            x.data.withUnsafeBufferPointer { px in weight.accumulate { pdw, alpha, beta in
                // dW[U×I] += dyᵀ[U×N] · x[N×I] (or the folded SGD step, see `Parameter.accumulate`)
                sgemm(GEMMSite.denseWeightGradient.library(m: u, n: i, k: n), transA: true, m: u, n: i, k: n, alpha: alpha, a: pg.baseAddress!, lda: u,
                      b: px.baseAddress!, ldb: i, beta: beta, c: pdw, ldc: i)
            } }
            bias.grad.withUnsafeMutableBufferPointer { pdb in
                for r in 0..<n { for c in 0..<u { pdb[c] += pg[r * u + c] } }
            }
            dx.data.withUnsafeMutableBufferPointer { pdx in weight.value.withUnsafeBufferPointer { pw in
                // dx[N×I] = dy[N×U] · W[U×I]
                sgemm(GEMMSite.denseInputGradient.library(m: n, n: i, k: u), m: n, n: i, k: u, a: pg.baseAddress!, lda: u, b: pw.baseAddress!, ldb: i,
                      beta: 0, c: pdx.baseAddress!, ldc: i)
            } }
        }
        return dx
    }
}

// MARK: Rule

extension Dense {
    /// `dense`: flattens its input; weights and a bias per unit (see `LayerRule`).
    static func rule(units: Int) -> LayerRule {
        LayerRule(kind: "dense", text: "dense \(units)", outputShape: { _ in
            guard units > 0 else { throw ShapeError("dense needs at least 1 unit, got \(units)") }
            return FeatureShape(channels: units, height: 1, width: 1)
        }, parameters: { x in
            Double(units) * (Double(x.count) + 1)
        }, flops: { x, _ in
            2 * Double(units) * Double(x.count)
        }, make: { x, rng in Dense(input: x, units: units, rng: &rng) })
    }
}
