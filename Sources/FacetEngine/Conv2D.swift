import CKernels
import Dispatch
import FacetRandom
/// 2-D convolution, any kernel size, stride and zero padding.
///
///     y[n, m, oh, ow] = b[m] + Σ_{c,i,j} W[m, c, i, j] · x[n, c, oh·s + i − p, ow·s + j − p]
///
/// Fast path, one image at a time per worker thread: im2col into the worker's own col [K = C·kh·kw,
/// L = OH·OW] and one single-threaded `sgemm` W[M×K] · col[K×L] straight into the image's NCHW
/// output, which is already [M×L]. A worker's col (2 MB for the paper's conv 2) stays in its
/// cache between im2col and the GEMM; batch-wide col buffers went through memory twice, needed a
/// scatter into NCHW and a transposed copy of dy, and synchronised the threads around every GEMM.
/// With fewer images than threads (batch-1 inference), images go in turn and each GEMM is split.
/// Backward recomputes col (a cached col for the paper's conv 2 at batch 100 would be 207 MB);
/// each worker sums its images' weight and bias gradients, and the workers' sums are added in
/// worker order, so results repeat bit for bit for a given thread count.
public final class Conv2D: Layer {
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    public let kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int
    public let weight: Parameter   // [M, C, kh, kw]
    public let bias: Parameter     // [M]
    /// The first layer's input gradient is never used; skipping it saves a GEMM and a col2im.
    public var needsInputGradient = true
    private var input: Tensor?     // x: [N, C, H, W], cached for backward
    /// oneDNN's primitives by batch size and thread count (nil: that shape runs on im2col).
    private var primitives: [PrimitiveKey: ConvPrimitive?] = [:]
    private struct PrimitiveKey: Hashable { let batch: Int, threads: Int }

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

    /// The site of each product's GEMM (which library runs it: `GEMMSite.library`), named here
    /// once for the layer's passes and for the profiler.
    var sites: (forward: GEMMSite, weightGradient: GEMMSite, inputGradient: GEMMSite) {
        (.convForward, k < Conv2D.thinK ? .thinConvWeightGradient : .convWeightGradient, .convInputGradient)
    }

    /// Worker threads that take whole images: one per engine thread when there are enough images
    /// and the engine splits GEMMs itself (OpenBLAS single-threaded); else 1.
    static func workers(batch n: Int) -> Int {
        let t = Engine.threads
        return t > 1 && splitGEMM && n >= t ? t : 1
    }

    /// Runs `body(worker, image)` for every image: each worker over a fixed, contiguous range of
    /// images with `split` false (its GEMMs are single-threaded), or every image in turn on one
    /// worker with `split` true (its GEMMs are cut over the threads).
    private func eachImage(_ n: Int, _ body: (_ worker: Int, _ image: Int, _ split: Bool) -> Void) {
        let workers = Conv2D.workers(batch: n)
        guard workers > 1 else { for i in 0..<n { body(0, i, true) }; return }
        _ = Engine.blasSingleThreaded
        // On pool threads only, never the caller's (see `parallelOnPool`: oneDNN's buffers).
        parallelOnPool(workers) { w in
            for i in (n * w / workers)..<(n * (w + 1) / workers) { body(w, i, false) }
        }
    }

    /// `sgemm` split over the engine's threads, or one single-threaded call, on the library
    /// chosen for this product.
    @inline(__always)
    private func gemm(_ site: GEMMSite, _ split: Bool, transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if split {
            sgemm(site.library(m: m, n: n, k: k), transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc)
        } else {
            kernelSgemm(site.library(m: m, n: n, k: k), transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    // MARK: oneDNN's primitive

    /// The primitive for `batch` images on the engine's threads, made on first use; nil when the
    /// algorithm is im2col, oneDNN would not run the shape on a jit kernel, or there are fewer
    /// images than threads: the primitive runs an image on one thread, and at batch 1 the paper's
    /// second and third convs took 0.66 ms each that way against 0.41–0.49 ms for im2col with
    /// each GEMM split over the threads.
    func primitive(batch: Int) -> ConvPrimitive? {
        guard ConvAlgorithm.current == .primitive, batch >= Engine.threads else { return nil }
        let key = PrimitiveKey(batch: batch, threads: Engine.threads)
        if let known = primitives[key] { return known }
        let made = ConvPrimitive(input: inputShape, output: outputShape, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                                 stride: stride, padding: padding, batch: batch, threads: Engine.threads)
        primitives[key] = made
        return made
    }

    private func forward(_ x: Tensor, on p: ConvPrimitive, training: Bool) -> Tensor {
        let n = x.batchSize
        var y = Tensor(shape: [n, outputShape.channels, outputShape.height, outputShape.width],
                       data: uninitializedFloats(n * outputShape.count))
        x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
        weight.value.withUnsafeBufferPointer { pw in
        bias.value.withUnsafeBufferPointer { pb in
            p.forward(x: px.baseAddress!, weight: pw.baseAddress!, bias: pb.baseAddress!, y: py.baseAddress!)
        } } } }
        if training { input = x }
        return y
    }

    private func backward(_ dy: Tensor, x: Tensor, on p: ConvPrimitive) -> Tensor {
        let n = x.batchSize
        let m = outputShape.channels, k = self.k
        var dx = needsInputGradient ? Tensor(shape: [n, inputShape.channels, inputShape.height, inputShape.width],
                                             data: uninitializedFloats(n * inputShape.count)) : Tensor(batch: n, inputShape)
        // Each part's weight gradient, then its bias gradient: [dW | db] per part.
        let per = m * k + m
        var sums = uninitializedFloats(p.partCount * per)
        let wantDx = needsInputGradient
        x.data.withUnsafeBufferPointer { px in
        dy.data.withUnsafeBufferPointer { pdy in
        dx.data.withUnsafeMutableBufferPointer { pdx in
        sums.withUnsafeMutableBufferPointer { ps in
        weight.value.withUnsafeBufferPointer { pw in
            p.backward(x: px.baseAddress!, dy: pdy.baseAddress!, weight: pw.baseAddress!,
                       dx: wantDx ? pdx.baseAddress! : nil, sums: ps.baseAddress!, weightCount: m * k)
        } } } } }
        sums.withUnsafeBufferPointer { s in
            addWeightGradient(s.baseAddress!, parts: p.partCount, stride: per)
            bias.grad.withUnsafeMutableBufferPointer { pdb in
                for mm in 0..<m {
                    var total = s[m * k + mm]
                    for i in 1..<p.partCount { total += s[i * per + m * k + mm] }
                    pdb[mm] += total
                }
            }
        }
        return dx
    }

    /// Adds the weight-gradient sums of `parts` workers (im2col) or parts (the primitive), the
    /// i-th at `sums + i · stride`, in order, into the gradient (or the folded SGD step, see
    /// `Parameter.accumulate`): c ← alpha·Σ + beta·c.
    private func addWeightGradient(_ sums: UnsafePointer<Float>, parts: Int, stride: Int) {
        let count = weight.value.count
        weight.accumulate { c, alpha, beta in
            for j in 0..<count {
                var total = sums[j]
                for i in 1..<max(parts, 1) { total += sums[i * stride + j] }
                c[j] = beta == 1 && alpha == 1 ? c[j] + total : alpha * total + beta * c[j]
            }
        }
    }

    // MARK: forward

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.sampleCount == inputShape.count, "conv expects \(inputShape), got \(x.shape)")
        if let p = primitive(batch: x.batchSize) { return forward(x, on: p, training: training) }
        let n = x.batchSize, m = outputShape.channels, k = self.k, l = self.l
        let inPer = inputShape.count, outPer = outputShape.count
        let workers = Conv2D.workers(batch: n)
        // Written in full below, by the GEMM alone (thin) or by the bias and then the GEMM.
        var y = Tensor(shape: [n, m, outputShape.height, outputShape.width], data: uninitializedFloats(n * outPer))
        if k < Conv2D.thinK { forwardThin(x, into: &y, workers: workers); if training { input = x }; return y }
        // Scratch written in full before it is read (im2col covers every entry), so no zero-fill.
        var col = uninitializedFloats(workers * k * l)
        x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
        col.withUnsafeMutableBufferPointer { pcol in
        weight.value.withUnsafeBufferPointer { pw in
        bias.value.withUnsafeBufferPointer { pb in
            eachImage(n) { w, i, split in
                let c = pcol.baseAddress! + w * k * l, dst = py.baseAddress! + i * outPer
                self.im2col(px.baseAddress! + i * inPer, into: c, rowStride: l)
                for mm in 0..<m { (dst + mm * l).update(repeating: pb[mm], count: l) }
                // y[M×L] += W[M×K] · col[K×L]
                self.gemm(self.sites.forward, split, m: m, n: l, k: k, a: pw.baseAddress!, lda: k, b: c, ldb: l, beta: 1, c: dst, ldc: l)
            }
        } } } } }
        if training { input = x }
        return y
    }

    /// Below this K = C·kh·kw a conv's GEMMs are thin (the first conv of a grey-image net: K = 25).
    public static let thinK = 64

    /// The forward of a thin conv: the bias is one more column of W against a row of ones in col,
    /// so one GEMM (K + 1, beta = 0) writes y once. With K = 25 the output is most of the memory
    /// traffic, and filling it with the bias first and then adding the product (beta = 1) moved it
    /// three times: 1.26× slower on oneDNN's sgemm in `bench/engine/conv_thin.sh`. The products
    /// accumulate and then the bias is added, as before, so on oneDNN's sgemm (the default for
    /// this product) y is bit for bit what it was; OpenBLAS's AVX2 kernels may round differently.
    private func forwardThin(_ x: Tensor, into y: inout Tensor, workers: Int) {
        let n = x.batchSize, m = outputShape.channels, k = self.k, l = self.l, k1 = k + 1
        let inPer = inputShape.count, outPer = outputShape.count
        var wb = uninitializedFloats(m * k1)
        for mm in 0..<m {
            for j in 0..<k { wb[mm * k1 + j] = weight.value[mm * k + j] }
            wb[mm * k1 + k] = bias.value[mm]
        }
        var col = uninitializedFloats(workers * k1 * l)
        x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
        col.withUnsafeMutableBufferPointer { pcol in
        wb.withUnsafeBufferPointer { pw in
            for w in 0..<workers { (pcol.baseAddress! + (w * k1 + k) * l).update(repeating: 1, count: l) }
            eachImage(n) { w, i, split in
                let c = pcol.baseAddress! + w * k1 * l, dst = py.baseAddress! + i * outPer
                self.im2col(px.baseAddress! + i * inPer, into: c, rowStride: l)
                // y[M×L] = [W | b][M×(K+1)] · [col; 1][(K+1)×L]
                self.gemm(self.sites.forward, split, m: m, n: l, k: k1, a: pw.baseAddress!, lda: k1, b: c, ldb: l, beta: 0, c: dst, ldc: l)
            }
        } } } }
    }

    // MARK: backward

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("conv backward without a training forward") }
        defer { input = nil }   // see `Layer.backward`
        if let p = primitive(batch: x.batchSize) { return backward(dy, x: x, on: p) }
        let n = x.batchSize, m = outputShape.channels, k = self.k, l = self.l
        let inPer = inputShape.count, outPer = outputShape.count
        var dx = Tensor(batch: n, inputShape)
        let workers = Conv2D.workers(batch: n)
        var col = uninitializedFloats(workers * k * l)
        var dwSums = [Float](repeating: 0, count: workers * m * k)
        var dbSums = [Double](repeating: 0, count: workers * m)
        let wantDx = needsInputGradient
        x.data.withUnsafeBufferPointer { px in
        dy.data.withUnsafeBufferPointer { pdy in
        dx.data.withUnsafeMutableBufferPointer { pdx in
        col.withUnsafeMutableBufferPointer { pcol in
        dwSums.withUnsafeMutableBufferPointer { pdws in
        dbSums.withUnsafeMutableBufferPointer { pdbs in
        weight.value.withUnsafeBufferPointer { pw in
            eachImage(n) { w, i, split in
                let c = pcol.baseAddress! + w * k * l
                let g = pdy.baseAddress! + i * outPer   // this image's dy, [M×L]
                self.im2col(px.baseAddress! + i * inPer, into: c, rowStride: l)
                // dW_w[M×K] += dy[M×L] · colᵀ[L×K]
                self.gemm(self.sites.weightGradient, split, transB: true, m: m, n: k, k: l, a: g, lda: l, b: c, ldb: l,
                          beta: 1, c: pdws.baseAddress! + w * m * k, ldc: k)
                for mm in 0..<m {
                    // Double, four fixed partial sums: breaks the add latency chain, fixed order.
                    let row = g + mm * l
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, j = 0
                    while j + 4 <= l {
                        s0 += Double(row[j]); s1 += Double(row[j + 1]); s2 += Double(row[j + 2]); s3 += Double(row[j + 3])
                        j += 4
                    }
                    while j < l { s0 += Double(row[j]); j += 1 }
                    pdbs[w * m + mm] += (s0 + s1) + (s2 + s3)
                }
                if wantDx {
                    // dcol[K×L] = Wᵀ[K×M] · dy[M×L], then scatter-add back into the image
                    self.gemm(self.sites.inputGradient, split, transA: true, m: k, n: l, k: m, a: pw.baseAddress!, lda: k, b: g, ldb: l,
                              beta: 0, c: c, ldc: l)
                    self.col2im(c, rowStride: l, into: pdx.baseAddress! + i * inPer)
                }
            }
        } } } } } } }
        dwSums.withUnsafeBufferPointer { addWeightGradient($0.baseAddress!, parts: workers, stride: m * k) }
        bias.grad.withUnsafeMutableBufferPointer { pdb in
            for mm in 0..<m {
                var total = dbSums[mm]
                for w in 1..<max(workers, 1) { total += dbSums[w * m + mm] }
                pdb[mm] += Float(total)
            }
        }
        return dx
    }

    // MARK: im2col / col2im for one image

    /// Writes the K×L patch matrix of one image; row r starts at `dst + r * rowStride`. In C
    /// (CKernels' `facet_im2col`): with stride 1 a patch row is oh runs of ow input floats, moved as
    /// vectors; the Swift loops spent their time starting a copy per run.
    @inline(__always)
    private func im2col(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, rowStride: Int) {
        facet_im2col(src, dst, rowStride, inputShape.channels, inputShape.height, inputShape.width,
                     kernelHeight, kernelWidth, stride, padding, outputShape.height, outputShape.width)
    }

    /// Adds the K×L patch-gradient matrix of one image back into its input gradient, in im2col's
    /// row order (CKernels' `facet_col2im`).
    @inline(__always)
    private func col2im(_ src: UnsafePointer<Float>, rowStride: Int, into dst: UnsafeMutablePointer<Float>) {
        facet_col2im(src, dst, rowStride, inputShape.channels, inputShape.height, inputShape.width,
                     kernelHeight, kernelWidth, stride, padding, outputShape.height, outputShape.width)
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
            // On oneDNN's primitive: each worker's part in the primitive's layouts (`ConvPrimitive`),
            // assumed wherever the algorithm is the primitive (a shape it would not run falls back).
            if ConvAlgorithm.current == .primitive, n >= Engine.threads {
                return Double(ConvPrimitive.scratchFloats(input: x, output: y, batch: n, threads: Engine.threads))
            }
            // On im2col, per worker thread: its col [K, L] and (backward) its weight-gradient sum [M, K]
            let k = Double(x.channels) * Double(kh) * Double(kw), l = Double(y.height) * Double(y.width)
            return Double(workers(batch: n)) * (k * l + Double(maps) * k)
        }, make: { x, rng in
            Conv2D(input: x, maps: maps, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: pad, rng: &rng)
        })
    }
}
