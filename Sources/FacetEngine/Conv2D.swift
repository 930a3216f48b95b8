import FacetRandom
/// 2-D convolution, any kernel size, stride and zero padding.
///
///     y[n, m, oh, ow] = b[m] + Σ_{c,i,j} W[m, c, i, j] · x[n, c, oh·s + i − p, ow·s + j − p]
///
/// Fast path: im2col over a chunk of B images into col [K = C·kh·kw, B·L] (L = OH·OW), one
/// `sgemm` W[M×K] · col, then a scatter into NCHW. Batching images into one GEMM keeps its N
/// dimension large even for small feature maps; chunking keeps col around 8 MB.
/// Backward recomputes col instead of caching it (a cached col for the paper's conv 2 at batch
/// 100 would be 207 MB).
public final class Conv2D: Layer {
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    public let kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int
    public let weight: Parameter   // [M, C, kh, kw]
    public let bias: Parameter     // [M]
    /// The first layer's input gradient is never used; skipping it saves a GEMM and a col2im.
    public var needsInputGradient = true
    private var input: Tensor?     // x: [N, C, H, W], cached for backward

    public var spec: LayerSpec {
        .conv(maps: outputShape.channels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
              stride: stride, padding: padding)
    }
    public var parameters: [Parameter] { [weight, bias] }

    init(input: FeatureShape, maps: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int,
         rng: inout SeededGenerator) {
        self.inputShape = input
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding
        self.outputShape = try! LayerSpec.conv(maps: maps, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                                               stride: stride, padding: padding).outputShape(input)
        let k = input.channels * kernelHeight * kernelWidth
        weight = Parameter(name: "weight", shape: [maps, input.channels, kernelHeight, kernelWidth],
                           value: heNormal(count: maps * k, fanIn: k, rng: &rng), foldable: true)
        bias = Parameter(name: "bias", shape: [maps], value: [Float](repeating: 0, count: maps))
    }

    private var k: Int { inputShape.channels * kernelHeight * kernelWidth }
    private var l: Int { outputShape.height * outputShape.width }
    private func chunkSize(_ n: Int) -> Int { Int(Conv2D.chunkSize(batch: n, k: Double(k), l: Double(l))) }
    /// Images per im2col chunk: as many as fit `colBudget`, at least one. In Doubles, so the memory
    /// estimate of a net too large to build cannot overflow.
    static func chunkSize(batch n: Int, k: Double, l: Double) -> Double {
        max(1, min(Double(n), (Double(colBudget) / max(1, k * l)).rounded(.down)))
    }
    /// Floats of im2col buffer per GEMM: large enough that the GEMM's N dimension spans several
    /// images (small GEMMs run far below peak), small enough to stay a bounded scratch buffer.
    static var colBudget = 8_000_000

    // MARK: forward

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.sampleCount == inputShape.count, "conv expects \(inputShape), got \(x.shape)")
        let n = x.batchSize, m = outputShape.channels, k = self.k, l = self.l
        let inPer = inputShape.count, outPer = outputShape.count
        var y = Tensor(shape: [n, m, outputShape.height, outputShape.width], data: uninitializedFloats(n * outPer))
        let chunk = chunkSize(n)
        // Scratch written in full before it is read (im2col covers every entry, sgemm with
        // beta = 0 overwrites), so it skips the zero-fill.
        var col = uninitializedFloats(k * chunk * l)
        var out = uninitializedFloats(m * chunk * l)
        x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
        col.withUnsafeMutableBufferPointer { pcol in
        out.withUnsafeMutableBufferPointer { pout in
        weight.value.withUnsafeBufferPointer { pw in
        bias.value.withUnsafeBufferPointer { pb in
            var start = 0
            while start < n {
                let b = min(chunk, n - start), cols = b * l
                parallelFor(b) { i in
                    self.im2col(px.baseAddress! + (start + i) * inPer, into: pcol.baseAddress! + i * l, rowStride: cols)
                }
                sgemm(m: m, n: cols, k: k, a: pw.baseAddress!, lda: k, b: pcol.baseAddress!, ldb: cols,
                      beta: 0, c: pout.baseAddress!, ldc: cols)
                parallelFor(b) { i in
                    let dst = py.baseAddress! + (start + i) * outPer
                    for mm in 0..<m {
                        let src = pout.baseAddress! + mm * cols + i * l, bias = pb[mm]
                        let row = dst + mm * l
                        for j in 0..<l { row[j] = src[j] + bias }
                    }
                }
                start += b
            }
        } } } } } }
        if training { input = x }
        return y
    }

    // MARK: backward

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("conv backward without a training forward") }
        let n = x.batchSize, m = outputShape.channels, k = self.k, l = self.l
        let inPer = inputShape.count, outPer = outputShape.count
        var dx = Tensor(batch: n, inputShape)
        let chunk = chunkSize(n)
        var col = uninitializedFloats(k * chunk * l)
        var dyT = uninitializedFloats(m * chunk * l)
        let wantDx = needsInputGradient
        x.data.withUnsafeBufferPointer { px in
        dy.data.withUnsafeBufferPointer { pdy in
        dx.data.withUnsafeMutableBufferPointer { pdx in
        col.withUnsafeMutableBufferPointer { pcol in
        dyT.withUnsafeMutableBufferPointer { pdyT in
        weight.value.withUnsafeBufferPointer { pw in
        bias.grad.withUnsafeMutableBufferPointer { pdb in
            var start = 0
            while start < n {
                let b = min(chunk, n - start), cols = b * l
                parallelFor(b) { i in
                    self.im2col(px.baseAddress! + (start + i) * inPer, into: pcol.baseAddress! + i * l, rowStride: cols)
                    let src = pdy.baseAddress! + (start + i) * outPer
                    for mm in 0..<m {
                        (pdyT.baseAddress! + mm * cols + i * l).update(from: src + mm * l, count: l)
                    }
                }
                // dW[M×K] += dyT[M×cols] · colᵀ[cols×K] (or the folded SGD step, see `Parameter.accumulate`)
                self.weight.accumulate { pdw, alpha, beta in
                    sgemm(transB: true, m: m, n: k, k: cols, alpha: alpha, a: pdyT.baseAddress!, lda: cols,
                          b: pcol.baseAddress!, ldb: cols, beta: beta, c: pdw, ldc: k)
                }
                parallelFor(m) { mm in
                    // Double: a batch of large maps sums ~10⁵ terms. Four fixed partial sums
                    // break the add latency chain and keep the order fixed (deterministic).
                    let row = pdyT.baseAddress! + mm * cols
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, j = 0
                    while j + 4 <= cols {
                        s0 += Double(row[j]); s1 += Double(row[j + 1]); s2 += Double(row[j + 2]); s3 += Double(row[j + 3])
                        j += 4
                    }
                    while j < cols { s0 += Double(row[j]); j += 1 }
                    pdb[mm] += Float((s0 + s1) + (s2 + s3))
                }
                if wantDx {
                    // dcol[K×cols] = Wᵀ[K×M] · dyT[M×cols], then scatter-add back into the image
                    sgemm(transA: true, m: k, n: cols, k: m, a: pw.baseAddress!, lda: k,
                          b: pdyT.baseAddress!, ldb: cols, beta: 0, c: pcol.baseAddress!, ldc: cols)
                    parallelFor(b) { i in
                        self.col2im(pcol.baseAddress! + i * l, rowStride: cols, into: pdx.baseAddress! + (start + i) * inPer)
                    }
                }
                start += b
            }
        } } } } } } }
        return dx
    }

    // MARK: im2col / col2im for one image

    /// Writes the K×L patch matrix of one image; row r starts at `dst + r * rowStride`.
    @inline(__always)
    private func im2col(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, rowStride: Int) {
        let c = inputShape.channels, h = inputShape.height, w = inputShape.width
        let oh = outputShape.height, ow = outputShape.width, s = stride, p = padding
        var r = 0
        for ch in 0..<c {
            let plane = src + ch * h * w
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = dst + r * rowStride
                    for y in 0..<oh {
                        let iy = y * s + i - p
                        let out = row + y * ow
                        if iy < 0 || iy >= h {
                            out.update(repeating: 0, count: ow)
                            continue
                        }
                        let line = plane + iy * w
                        if s == 1 {
                            // valid ow range: 0 <= x + j - p < w
                            let lo = min(ow, max(0, p - j)), hi = max(lo, min(ow, w + p - j))
                            if lo > 0 { out.update(repeating: 0, count: lo) }
                            if hi > lo { (out + lo).update(from: line + lo + j - p, count: hi - lo) }
                            if hi < ow { (out + hi).update(repeating: 0, count: ow - hi) }
                        } else {
                            for x in 0..<ow {
                                let ix = x * s + j - p
                                out[x] = (ix >= 0 && ix < w) ? line[ix] : 0
                            }
                        }
                    }
                    r += 1
                }
            }
        }
    }

    /// Adds the K×L patch-gradient matrix of one image back into its input gradient.
    @inline(__always)
    private func col2im(_ src: UnsafePointer<Float>, rowStride: Int, into dst: UnsafeMutablePointer<Float>) {
        let c = inputShape.channels, h = inputShape.height, w = inputShape.width
        let oh = outputShape.height, ow = outputShape.width, s = stride, p = padding
        var r = 0
        for ch in 0..<c {
            let plane = dst + ch * h * w
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = src + r * rowStride
                    for y in 0..<oh {
                        let iy = y * s + i - p
                        if iy < 0 || iy >= h { continue }
                        let line = plane + iy * w, g = row + y * ow
                        if s == 1 {
                            // contiguous run of valid columns, as in im2col: a branch-free add
                            let lo = min(ow, max(0, p - j)), hi = max(lo, min(ow, w + p - j))
                            let shifted = line + j - p
                            for x in lo..<hi { shifted[x] += g[x] }
                        } else {
                            for x in 0..<ow {
                                let ix = x * s + j - p
                                if ix >= 0 && ix < w { line[ix] += g[x] }
                            }
                        }
                    }
                    r += 1
                }
            }
        }
    }
}

// MARK: Rule

extension Conv2D {
    /// `conv`: shape rule, counts and constructor (see `LayerRule`).
    static func rule(maps: Int, kernelHeight kh: Int, kernelWidth kw: Int, stride: Int, padding pad: Int) -> LayerRule {
        var text = "conv \(maps) \(kh)x\(kw)"
        if stride != 1 { text += " stride \(stride)" }
        if pad != 0 { text += " pad \(pad)" }
        return LayerRule(kind: "conv", text: text, outputShape: { x in
            guard maps > 0 else { throw ShapeError("conv needs at least 1 output map, got \(maps)") }
            guard kh > 0, kw > 0 else { throw ShapeError("conv kernel must be positive, got \(kh)x\(kw)") }
            guard stride > 0 else { throw ShapeError("conv stride must be positive, got \(stride)") }
            guard pad >= 0 else { throw ShapeError("conv padding must not be negative, got \(pad)") }
            let h = x.height + 2 * pad, w = x.width + 2 * pad
            guard h >= kh, w >= kw else {
                throw ShapeError("conv \(kh)x\(kw) needs at least \(kh)x\(kw) input, got \(x.height)x\(x.width)"
                    + (pad > 0 ? " (\(h)x\(w) padded)" : ""))
            }
            return FeatureShape(channels: maps, height: (h - kh) / stride + 1, width: (w - kw) / stride + 1)
        }, parameters: { x in
            Double(maps) * (Double(x.channels) * Double(kh) * Double(kw) + 1)
        }, flops: { x, y in
            2 * Double(y.count) * Double(x.channels) * Double(kh) * Double(kw)
        }, scratch: { x, y, n in
            // col [K, B·L] and the GEMM's output (forward) or dyᵀ (backward) [M, B·L], B images a chunk
            let k = Double(x.channels) * Double(kh) * Double(kw), l = Double(y.height) * Double(y.width)
            return (k + Double(maps)) * chunkSize(batch: n, k: k, l: l) * l
        }, make: { x, rng in
            Conv2D(input: x, maps: maps, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: pad, rng: &rng)
        })
    }
}
