import CKernels
import Foundation

/// Local contrast normalisation after Jarrett et al. (2009), subtractive then divisive, with a
/// Gaussian window shared across all C feature maps. For one sample x[c, p] (p a pixel):
///
///     m[p]  = Σ_q w(p,q) · (1/C) Σ_c x[c, q]          weighted local mean over maps and window
///     v     = x − m
///     σ[p]  = sqrt( Σ_q w(p,q) · (1/C) Σ_c v[c, q]² )  weighted local standard deviation
///     d[p]  = max(σ[p], mean_p σ, ε),  ε = 1e-4
///     y     = v / d
///
/// w(p,q) = g(p−q) / Z(p): g a size×size Gaussian with σ_g = size / 4 (Torch's and pylearn2's
/// choice), Z(p) the part of g inside the image — so borders average over real pixels only
/// (zero padding renormalised). Jarrett's max(c, σ) with c = mean σ keeps flat regions from being
/// amplified; ε only guards an all-constant input.
///
/// The per-sample loops (the separable blurs, the passes over the maps) are C in CKernels
/// (`facet_lcn_forward`, `facet_lcn_backward`, lcn.c), compiled for AVX-512, AVX2 and baseline
/// x86-64 with one chosen at load: Swift compiles the engine for baseline x86-64 only. Samples are
/// spread over the engine's threads here.
public final class LocalContrastNorm: Layer {
    public let inputShape: FeatureShape
    public var outputShape: FeatureShape { inputShape }
    public let size: Int
    public static let epsilon: Float = 1e-4
    public var spec: LayerSpec { .lcn(size: size) }

    public let kernel: [Float]   // 1-D Gaussian, length size (the ONNX export writes the same window)
    let rowNorm: [Float]         // Σ of kernel inside the image, per row index
    let colNorm: [Float]         // same, per column index
    let inverseNorm: [Float]     // 1 / (rowNorm[i] · colNorm[j]) per pixel: the 1/Z(p) of the window
    // Cached by forward(training:) for backward, per sample. The centred values v = x − m are not
    // kept: backward computes them again from the input, which the layer before keeps anyway.
    private var input: [Float] = []     // x: [N, C, H, W], shared with the layer before
    private var localMean: [Float] = [] // m: [N, H, W]
    private var sigma: [Float] = []     // σ: [N, H, W]
    private var divisor: [Float] = []   // d: [N, H, W]
    private var meanSigma: [Float] = [] // mean σ per sample

    init(shape: FeatureShape, size: Int) {
        precondition(size > 0 && size % 2 == 1, "lcn window must be odd")
        inputShape = shape
        self.size = size
        let r = size / 2, sg = Float(size) / 4
        let g = (0..<size).map { i in exp(-Float((i - r) * (i - r)) / (2 * sg * sg)) }
        func norms(_ n: Int) -> [Float] {
            (0..<n).map { i in (0..<size).reduce(Float(0)) { acc, a in
                let q = i + a - r
                return (q >= 0 && q < n) ? acc + g[a] : acc
            } }
        }
        let rows = norms(shape.height), cols = norms(shape.width)
        kernel = g
        rowNorm = rows
        colNorm = cols
        inverseNorm = rows.flatMap { zr in cols.map { zc in 1 / (zr * zc) } }
    }

    // MARK: forward

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.sampleCount == inputShape.count, "lcn expects \(inputShape), got \(x.shape)")
        let n = x.batchSize, c = inputShape.channels, hw = inputShape.height * inputShape.width
        let total = x.count
        // Every element of these buffers is written below, so they skip the zero-fill.
        var y = [Float](unsafeUninitializedCapacity: total) { _, k in k = total }
        var m = [Float](unsafeUninitializedCapacity: n * hw) { _, k in k = n * hw }
        var sig = [Float](unsafeUninitializedCapacity: n * hw) { _, k in k = n * hw }
        var div = [Float](unsafeUninitializedCapacity: n * hw) { _, k in k = n * hw }
        var cm = [Float](repeating: 0, count: n)
        x.data.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
        m.withUnsafeMutableBufferPointer { pm in sig.withUnsafeMutableBufferPointer { ps in
        div.withUnsafeMutableBufferPointer { pd in cm.withUnsafeMutableBufferPointer { pcm in
        kernel.withUnsafeBufferPointer { pk in inverseNorm.withUnsafeBufferPointer { pz in
            parallelFor(n) { s in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * hw) { buf in
                    facet_lcn_forward(px.baseAddress! + s * c * hw, py.baseAddress! + s * c * hw, pm.baseAddress! + s * hw,
                                      ps.baseAddress! + s * hw, pd.baseAddress! + s * hw, pcm.baseAddress! + s,
                                      c, self.inputShape.height, self.inputShape.width, self.size,
                                      pk.baseAddress!, pz.baseAddress!, Self.epsilon, buf.baseAddress!)
                }
            }
        } } } } } } } }
        if training { input = x.data; localMean = m; sigma = sig; divisor = div; meanSigma = cm }
        return Tensor(shape: x.shape, data: y)
    }

    // MARK: backward

    /// With g = dL/dy, u = 1/d and b₁, b₂ the transposed blurs below, for every map c:
    ///     dx_c = g_c·u + (2/C)·v_c·b₁ + b₂/C
    /// where b₂ = blurᵀ(−Σ_c (g_c·u + (2/C)·v_c·b₁)) = blurᵀ(−u·Σ_c g_c − (2/C)·b₁·Σ_c v_c),
    /// so one pass over the maps gathers Σ g, Σ v and Σ g·v and a second writes dx.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(input.count == dy.count, "lcn backward without a matching training forward")
        defer { input = []; localMean = []; sigma = []; divisor = []; meanSigma = [] }   // see `Layer.backward`
        let n = dy.batchSize, c = inputShape.channels, hw = inputShape.height * inputShape.width
        let total = dy.count
        var dx = [Float](unsafeUninitializedCapacity: total) { _, k in k = total }
        dy.data.withUnsafeBufferPointer { pg in dx.withUnsafeMutableBufferPointer { pdx in
        input.withUnsafeBufferPointer { px in localMean.withUnsafeBufferPointer { pm in sigma.withUnsafeBufferPointer { ps in
        divisor.withUnsafeBufferPointer { pd in meanSigma.withUnsafeBufferPointer { pcm in
        kernel.withUnsafeBufferPointer { pk in inverseNorm.withUnsafeBufferPointer { pz in
            parallelFor(n) { s in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 7 * hw) { buf in
                    facet_lcn_backward(pg.baseAddress! + s * c * hw, px.baseAddress! + s * c * hw, pm.baseAddress! + s * hw,
                                       ps.baseAddress! + s * hw,
                                       pd.baseAddress! + s * hw, pcm[s], pdx.baseAddress! + s * c * hw,
                                       c, self.inputShape.height, self.inputShape.width, self.size,
                                       pk.baseAddress!, pz.baseAddress!, Self.epsilon, buf.baseAddress!)
                }
            }
        } } } } } } } } }
        return Tensor(shape: dy.shape, data: dx)
    }
}

// MARK: Rule

extension LocalContrastNorm {
    /// `lcn`: keeps the shape; no parameters (see `LayerRule`).
    static func rule(size: Int) -> LayerRule {
        LayerRule(kind: "lcn", text: "lcn \(size)", outputShape: { x in
            guard size > 0, size % 2 == 1 else { throw ShapeError("lcn window must be a positive odd size, got \(size)") }
            return x
        }, flops: { x, _ in
            // Two separable blurs for the mean and two for the variance, plus the pointwise work.
            Double(x.count) * Double(4 * size + 8)
        }, kept: { _, y in
            // the output; m, σ and the divisor per pixel; the mean σ. The input it keeps is the
            // output of the layer before, counted there.
            Double(y.count) + 3 * Double(y.height * y.width) + 1
        }, make: { x, _ in LocalContrastNorm(shape: x, size: size) })
    }
}
