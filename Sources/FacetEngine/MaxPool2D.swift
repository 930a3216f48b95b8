import CKernels

/// Max-pooling over size×size windows with a stride. In ceil mode a last partial window at the
/// right/bottom border is kept (paper: 3×3 stride 2 takes 44×44 to 22×22); windows never start
/// outside the input. Backward routes each gradient to the window's first maximum. Stride 2 (the
/// paper's 3×3/2, every study net's) runs in CKernels' `facet_maxpool_stride2`, 32 (AVX-512) or 8
/// (AVX2) outputs at a time; other strides one by one here (`poolPlane`, also the reference the
/// C kernel is tested against).
public final class MaxPool2D: Layer {
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    public let size: Int, stride: Int, ceil: Bool
    private var argmax: [Int32] = []   // per output value: index of the max inside its input plane

    public var spec: LayerSpec { .maxpool(size: size, stride: stride, ceil: ceil) }

    init(input: FeatureShape, size: Int, stride: Int, ceil: Bool) {
        inputShape = input
        self.size = size; self.stride = stride; self.ceil = ceil
        outputShape = try! LayerSpec.maxpool(size: size, stride: stride, ceil: ceil).outputShape(input)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.sampleCount == inputShape.count, "maxpool expects \(inputShape), got \(x.shape)")
        let planes = x.batchSize * inputShape.channels
        let h = inputShape.height, w = inputShape.width, oh = outputShape.height, ow = outputShape.width
        // Both written in full below, so no zero-fill.
        var y = Tensor(shape: [x.batchSize, outputShape.channels, oh, ow], data: uninitializedFloats(planes * oh * ow))
        var arg = [Int32](unsafeUninitializedCapacity: planes * oh * ow) { _, initialised in initialised = planes * oh * ow }
        let chunks = min(planes, Engine.threads)
        x.data.withUnsafeBufferPointer { px in y.data.withUnsafeMutableBufferPointer { py in
        arg.withUnsafeMutableBufferPointer { pa in
            parallelFor(chunks) { c in
                let lo = planes * c / chunks, hi = planes * (c + 1) / chunks
                let src = px.baseAddress! + lo * h * w, dst = py.baseAddress! + lo * oh * ow, am = pa.baseAddress! + lo * oh * ow
                if self.stride == 2 {
                    // Its only failure is its scratch (the plane's rows split, about 2·h·ow floats) not
                    // being allocated: out of memory, with the layer's own buffers already in hand.
                    let status = facet_maxpool_stride2(src, dst, am, hi - lo, h, w, oh, ow, self.size)
                    precondition(status == 0, "maxpool: out of memory for \(2 * h * (ow + 32)) floats of scratch")
                } else {
                    for p in 0..<(hi - lo) {
                        self.poolPlane(src + p * h * w, dst + p * oh * ow, am + p * oh * ow)
                    }
                }
            }
        } } }
        if training { argmax = arg }
        return y
    }

    /// One plane, any window and stride: the reference the stride-2 path is tested against.
    func poolPlane(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ am: UnsafeMutablePointer<Int32>) {
        let h = inputShape.height, w = inputShape.width, oh = outputShape.height, ow = outputShape.width
        for i in 0..<oh {
            let y0 = i * stride, y1 = min(y0 + size, h)
            for j in 0..<ow {
                let x0 = j * stride, x1 = min(x0 + size, w)
                var best = -Float.infinity, bestIndex = y0 * w + x0
                // Selects, not branches: on real data which value wins is unpredictable,
                // and the mispredicted branches cost more than the comparisons.
                for yy in y0..<y1 { for xx in x0..<x1 {
                    let v = src[yy * w + xx], better = v > best
                    best = better ? v : best
                    bestIndex = better ? yy * w + xx : bestIndex
                } }
                dst[i * ow + j] = best
                am[i * ow + j] = Int32(bestIndex)
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(argmax.count == dy.count, "maxpool backward without a matching training forward")
        defer { argmax = [] }   // see `Layer.backward`
        let planes = dy.batchSize * inputShape.channels
        let hw = inputShape.height * inputShape.width, ohw = outputShape.height * outputShape.width
        // Each plane is zeroed by the thread that then adds into it, while it is in that thread's
        // cache (a zero-filled tensor was one serial pass over all of dx first).
        var dx = Tensor(shape: [dy.batchSize, inputShape.channels, inputShape.height, inputShape.width],
                        data: uninitializedFloats(planes * hw))
        dy.data.withUnsafeBufferPointer { pg in dx.data.withUnsafeMutableBufferPointer { pdx in
        argmax.withUnsafeBufferPointer { pa in
            parallelFor(planes) { pl in
                let g = pg.baseAddress! + pl * ohw, am = pa.baseAddress! + pl * ohw
                let out = pdx.baseAddress! + pl * hw
                out.update(repeating: 0, count: hw)
                for o in 0..<ohw { out[Int(am[o])] += g[o] }
            }
        } } }
        return dx
    }
}

// MARK: Rule

extension MaxPool2D {
    /// `maxpool`: shape rule (ceil or floor mode), one comparison per window value (see `LayerRule`).
    static func rule(size: Int, stride: Int, ceil: Bool) -> LayerRule {
        LayerRule(kind: "maxpool", text: "maxpool \(size)x\(size) stride \(stride)" + (ceil ? "" : " floor"), outputShape: { x in
            guard size > 0 else { throw ShapeError("maxpool window must be positive, got \(size)") }
            guard stride > 0 else { throw ShapeError("maxpool stride must be positive, got \(stride)") }
            guard x.height >= size, x.width >= size else {
                throw ShapeError("maxpool \(size)x\(size) needs at least \(size)x\(size) input, got \(x.height)x\(x.width)")
            }
            return FeatureShape(channels: x.channels,
                                height: poolExtent(x.height, size, stride, ceil),
                                width: poolExtent(x.width, size, stride, ceil))
        }, flops: { _, y in
            Double(y.count) * Double(size) * Double(size)
        }, kept: { _, y in
            2 * Double(y.count)   // the output and its Int32 argmax, 4 bytes each
        }, make: { x, _ in MaxPool2D(input: x, size: size, stride: stride, ceil: ceil) })
    }
}
