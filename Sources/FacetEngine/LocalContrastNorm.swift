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

    let kernel: [Float]          // 1-D Gaussian, length size
    let rowNorm: [Float]         // Σ of kernel inside the image, per row index
    let colNorm: [Float]         // same, per column index
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
        kernel = g
        rowNorm = norms(shape.height)
        colNorm = norms(shape.width)
    }

    // MARK: forward

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.sampleCount == inputShape.count, "lcn expects \(inputShape), got \(x.shape)")
        let n = x.batchSize, c = inputShape.channels, hw = inputShape.height * inputShape.width
        var y = Tensor(shape: x.shape)
        var v = [Float](repeating: 0, count: x.count)
        var sig = [Float](repeating: 0, count: n * hw), div = sig
        var cm = [Float](repeating: 0, count: n)
        x.data.withUnsafeBufferPointer { px in y.data.withUnsafeMutableBufferPointer { py in
        v.withUnsafeMutableBufferPointer { pv in sig.withUnsafeMutableBufferPointer { ps in
        div.withUnsafeMutableBufferPointer { pd in cm.withUnsafeMutableBufferPointer { pcm in
            parallelFor(n) { s in
                let xs = px.baseAddress! + s * c * hw, vs = pv.baseAddress! + s * c * hw
                let ys = py.baseAddress! + s * c * hw
                let sigma = ps.baseAddress! + s * hw, d = pd.baseAddress! + s * hw
                var plane = [Float](repeating: 0, count: hw), blurred = plane, scratch = plane
                // m = blur((1/C) Σ_c x)
                let invC = 1 / Float(c)
                for ch in 0..<c { let src = xs + ch * hw; for p in 0..<hw { plane[p] += src[p] } }
                for p in 0..<hw { plane[p] *= invC }
                self.blur(plane, into: &blurred, scratch: &scratch, normalise: true)
                // v = x − m; q = (1/C) Σ_c v²
                for p in 0..<hw { plane[p] = 0 }
                for ch in 0..<c {
                    let src = xs + ch * hw, dst = vs + ch * hw
                    for p in 0..<hw { let t = src[p] - blurred[p]; dst[p] = t; plane[p] += t * t }
                }
                for p in 0..<hw { plane[p] *= invC }
                self.blur(plane, into: &blurred, scratch: &scratch, normalise: true)
                var total: Float = 0
                for p in 0..<hw { let t = max(blurred[p], 0).squareRoot(); sigma[p] = t; total += t }
                let mean = total / Float(hw)
                pcm[s] = mean
                for p in 0..<hw { d[p] = max(max(sigma[p], mean), Self.epsilon) }
                for ch in 0..<c {
                    let src = vs + ch * hw, dst = ys + ch * hw
                    for p in 0..<hw { dst[p] = src[p] / d[p] }
                }
            }
        } } } } } }
        if training { centred = v; sigma = sig; divisor = div; meanSigma = cm }
        return y
    }

    // MARK: backward

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(centred.count == dy.count, "lcn backward without a matching training forward")
        let n = dy.batchSize, c = inputShape.channels, hw = inputShape.height * inputShape.width
        var dx = Tensor(shape: dy.shape)
        dy.data.withUnsafeBufferPointer { pg in dx.data.withUnsafeMutableBufferPointer { pdx in
        centred.withUnsafeBufferPointer { pv in sigma.withUnsafeBufferPointer { ps in
        divisor.withUnsafeBufferPointer { pd in meanSigma.withUnsafeBufferPointer { pcm in
            parallelFor(n) { s in
                let g = pg.baseAddress! + s * c * hw, v = pv.baseAddress! + s * c * hw
                let dxs = pdx.baseAddress! + s * c * hw
                let sigma = ps.baseAddress! + s * hw, d = pd.baseAddress! + s * hw
                let mean = pcm[s], invC = 1 / Float(c)
                var dd = [Float](repeating: 0, count: hw), dSigma = dd, blurred = dd, scratch = dd
                // y = v / d: dv = g / d (written to dx for now), dd = −Σ_c g·v / d²
                for ch in 0..<c {
                    let gs = g + ch * hw, vs = v + ch * hw, out = dxs + ch * hw
                    for p in 0..<hw { out[p] = gs[p] / d[p]; dd[p] -= gs[p] * vs[p] }
                }
                // d = max(σ, mean σ, ε): route dd to σ or to the mean
                var dMean: Float = 0
                for p in 0..<hw {
                    let ddp = dd[p] / (d[p] * d[p])
                    if sigma[p] >= mean { if sigma[p] >= Self.epsilon { dSigma[p] = ddp } }
                    else if mean >= Self.epsilon { dMean += ddp }
                }
                let share = dMean / Float(hw)
                // σ = sqrt(blur(q)) → d(blur q) = dσ / 2σ
                for p in 0..<hw {
                    let t = dSigma[p] + share
                    dSigma[p] = sigma[p] > 0 ? t / (2 * sigma[p]) : 0
                }
                self.blurTransposed(dSigma, into: &blurred, scratch: &scratch)
                // q = (1/C) Σ v²: dv += (2/C) v · dq ; then m: dm = −Σ_c dv
                for p in 0..<hw { dd[p] = 0 }
                for ch in 0..<c {
                    let vs = v + ch * hw, out = dxs + ch * hw
                    for p in 0..<hw { out[p] += 2 * invC * vs[p] * blurred[p]; dd[p] -= out[p] }
                }
                self.blurTransposed(dd, into: &blurred, scratch: &scratch)
                for ch in 0..<c {
                    let out = dxs + ch * hw
                    for p in 0..<hw { out[p] += blurred[p] * invC }
                }
            }
        } } } } } }
        return dx
    }

    // MARK: separable Gaussian

    /// out = raw Gaussian blur of `x` with zero padding; divided by Z when `normalise`.
    func blur(_ x: [Float], into out: inout [Float], scratch: inout [Float], normalise: Bool) {
        let h = inputShape.height, w = inputShape.width, r = size / 2
        kernel.withUnsafeBufferPointer { k in
            for i in 0..<h {   // horizontal pass
                for j in 0..<w {
                    var s: Float = 0
                    let lo = max(0, r - j), hi = min(size, w - j + r)
                    if lo < hi { for a in lo..<hi { s += k[a] * x[i * w + j + a - r] } }
                    scratch[i * w + j] = s
                }
            }
            for i in 0..<h {   // vertical pass
                let lo = max(0, r - i), hi = min(size, h - i + r)
                for j in 0..<w { out[i * w + j] = 0 }
                if lo < hi { for a in lo..<hi {
                    let ka = k[a], row = (i + a - r) * w
                    for j in 0..<w { out[i * w + j] += ka * scratch[row + j] }
                } }
                if normalise { for j in 0..<w { out[i * w + j] /= rowNorm[i] * colNorm[j] } }
            }
        }
    }

    /// Transpose of the normalised blur: blurRaw(u / Z) (the raw Gaussian is symmetric).
    func blurTransposed(_ u: [Float], into out: inout [Float], scratch: inout [Float]) {
        let h = inputShape.height, w = inputShape.width
        var scaled = u
        for i in 0..<h { for j in 0..<w { scaled[i * w + j] /= rowNorm[i] * colNorm[j] } }
        blur(scaled, into: &out, scratch: &scratch, normalise: false)
    }
}
