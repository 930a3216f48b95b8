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
    // Cached by forward(training:) for backward, per sample.
    private var centred: [Float] = []   // v: [N, C, H, W]
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
        var v = [Float](unsafeUninitializedCapacity: total) { _, k in k = total }
        var sig = [Float](unsafeUninitializedCapacity: n * hw) { _, k in k = n * hw }
        var div = [Float](unsafeUninitializedCapacity: n * hw) { _, k in k = n * hw }
        var cm = [Float](repeating: 0, count: n)
        x.data.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
        v.withUnsafeMutableBufferPointer { pv in sig.withUnsafeMutableBufferPointer { ps in
        div.withUnsafeMutableBufferPointer { pd in cm.withUnsafeMutableBufferPointer { pcm in
            parallelFor(n) { s in
                let xs = px.baseAddress! + s * c * hw, vs = pv.baseAddress! + s * c * hw
                let ys = py.baseAddress! + s * c * hw
                let sigma = ps.baseAddress! + s * hw, d = pd.baseAddress! + s * hw
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * hw) { buf in
                    let plane = buf.baseAddress!, blurred = plane + hw, scratch = plane + 2 * hw
                    let invC = 1 / Float(c)
                    // m = blur((1/C) Σ_c x)
                    plane.update(from: xs, count: hw)
                    for ch in 1..<max(c, 1) { let src = xs + ch * hw; for p in 0..<hw { plane[p] += src[p] } }
                    for p in 0..<hw { plane[p] *= invC }
                    self.blur(plane, into: blurred, scratch: scratch, normalise: true)
                    // v = x − m; q = (1/C) Σ_c v²
                    plane.update(repeating: 0, count: hw)
                    for ch in 0..<c {
                        let src = xs + ch * hw, dst = vs + ch * hw
                        for p in 0..<hw { let t = src[p] - blurred[p]; dst[p] = t; plane[p] += t * t }
                    }
                    for p in 0..<hw { plane[p] *= invC }
                    self.blur(plane, into: blurred, scratch: scratch, normalise: true)
                    var total: Float = 0
                    for p in 0..<hw { let t = max(blurred[p], 0).squareRoot(); sigma[p] = t; total += t }
                    let mean = total / Float(hw)
                    pcm[s] = mean
                    // scratch holds 1/d so the per-map pass multiplies instead of divides
                    for p in 0..<hw { let dp = max(max(sigma[p], mean), Self.epsilon); d[p] = dp; scratch[p] = 1 / dp }
                    for ch in 0..<c {
                        let src = vs + ch * hw, dst = ys + ch * hw
                        for p in 0..<hw { dst[p] = src[p] * scratch[p] }
                    }
                }
            }
        } } } } } }
        if training { centred = v; sigma = sig; divisor = div; meanSigma = cm }
        return Tensor(shape: x.shape, data: y)
    }

    // MARK: backward

    /// With g = dL/dy, u = 1/d and b₁, b₂ the transposed blurs below, for every map c:
    ///     dx_c = g_c·u + (2/C)·v_c·b₁ + b₂/C
    /// where b₂ = blurᵀ(−Σ_c (g_c·u + (2/C)·v_c·b₁)) = blurᵀ(−u·Σ_c g_c − (2/C)·b₁·Σ_c v_c),
    /// so one pass over the maps gathers Σ g, Σ v and Σ g·v and a second writes dx.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(centred.count == dy.count, "lcn backward without a matching training forward")
        let n = dy.batchSize, c = inputShape.channels, hw = inputShape.height * inputShape.width
        let total = dy.count
        var dx = [Float](unsafeUninitializedCapacity: total) { _, k in k = total }
        dy.data.withUnsafeBufferPointer { pg in dx.withUnsafeMutableBufferPointer { pdx in
        centred.withUnsafeBufferPointer { pv in sigma.withUnsafeBufferPointer { ps in
        divisor.withUnsafeBufferPointer { pd in meanSigma.withUnsafeBufferPointer { pcm in
            parallelFor(n) { s in
                let g = pg.baseAddress! + s * c * hw, v = pv.baseAddress! + s * c * hw
                let dxs = pdx.baseAddress! + s * c * hw
                let sigma = ps.baseAddress! + s * hw, d = pd.baseAddress! + s * hw
                let mean = pcm[s], invC = 1 / Float(c)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 7 * hw) { buf in
                    let gv = buf.baseAddress!, sumG = gv + hw, sumV = gv + 2 * hw, u = gv + 3 * hw
                    let b1 = gv + 4 * hw, b2 = gv + 5 * hw, scratch = gv + 6 * hw
                    gv.update(repeating: 0, count: 3 * hw)
                    for ch in 0..<c {
                        let gs = g + ch * hw, vs = v + ch * hw
                        for p in 0..<hw { gv[p] += gs[p] * vs[p]; sumG[p] += gs[p]; sumV[p] += vs[p] }
                    }
                    // y = v / d: dd = −Σ_c g·v / d²; d = max(σ, mean σ, ε) routes dd to σ or to the mean
                    var dMean: Float = 0
                    for p in 0..<hw {
                        let up = 1 / d[p]
                        u[p] = up
                        let ddp = -gv[p] * up * up
                        var ds: Float = 0
                        if sigma[p] >= mean { if sigma[p] >= Self.epsilon { ds = ddp } }
                        else if mean >= Self.epsilon { dMean += ddp }
                        gv[p] = ds   // gv now holds dσ (without the mean's share)
                    }
                    let share = dMean / Float(hw)
                    // σ = sqrt(blur(q)) → d(blur q) = dσ / 2σ
                    for p in 0..<hw {
                        let t = gv[p] + share
                        gv[p] = sigma[p] > 0 ? t / (2 * sigma[p]) : 0
                    }
                    self.blurTransposed(gv, into: b1, scratch: scratch, temp: b2)
                    // dm = −Σ_c dv with dv_c = g_c·u + (2/C)·v_c·b₁
                    let twoOverC = 2 * invC
                    for p in 0..<hw { gv[p] = -(u[p] * sumG[p] + twoOverC * b1[p] * sumV[p]) }
                    self.blurTransposed(gv, into: b2, scratch: scratch, temp: sumG)
                    for p in 0..<hw { b2[p] *= invC; b1[p] *= twoOverC }
                    for ch in 0..<c {
                        let gs = g + ch * hw, vs = v + ch * hw, out = dxs + ch * hw
                        for p in 0..<hw { out[p] = gs[p] * u[p] + vs[p] * b1[p] + b2[p] }
                    }
                }
            }
        } } } } } }
        return Tensor(shape: dy.shape, data: dx)
    }

    // MARK: separable Gaussian

    /// out = raw Gaussian blur of `x` with zero padding; divided by Z when `normalise`.
    /// Loops run over the kernel tap outside and pixels inside, so the inner loops vectorise.
    func blur(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
              scratch: UnsafeMutablePointer<Float>, normalise: Bool) {
        let h = inputShape.height, w = inputShape.width, r = size / 2
        kernel.withUnsafeBufferPointer { k in
            scratch.update(repeating: 0, count: h * w)
            for i in 0..<h {   // horizontal pass: scratch[i, j] = Σ_a k[a] · x[i, j + a − r]
                let src = x + i * w, dst = scratch + i * w
                for a in 0..<size {
                    let ka = k[a], off = a - r
                    let lo = max(0, -off), hi = min(w, w - off)
                    if lo < hi { for j in lo..<hi { dst[j] += ka * src[j + off] } }
                }
            }
            for i in 0..<h {   // vertical pass
                let lo = max(0, r - i), hi = min(size, h - i + r)
                let dst = out + i * w
                dst.update(repeating: 0, count: w)
                if lo < hi { for a in lo..<hi {
                    let ka = k[a], row = scratch + (i + a - r) * w
                    for j in 0..<w { dst[j] += ka * row[j] }
                } }
            }
            if normalise {
                inverseNorm.withUnsafeBufferPointer { z in for p in 0..<(h * w) { out[p] *= z[p] } }
            }
        }
    }

    /// Transpose of the normalised blur: blurRaw(u / Z) (the raw Gaussian is symmetric).
    /// `temp` is hw floats of working space, distinct from the other buffers.
    func blurTransposed(_ u: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>, temp: UnsafeMutablePointer<Float>) {
        let hw = inputShape.height * inputShape.width
        inverseNorm.withUnsafeBufferPointer { z in for p in 0..<hw { temp[p] = u[p] * z[p] } }
        blur(temp, into: out, scratch: scratch, normalise: false)
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
            // the output, the centred values, σ and the divisor per pixel, the mean σ
            2 * Double(y.count) + 2 * Double(y.height * y.width) + 1
        }, make: { x, _ in LocalContrastNorm(shape: x, size: size) })
    }
}
