/// Max-pooling over size×size windows with a stride. In ceil mode a last partial window at the
/// right/bottom border is kept (paper: 3×3 stride 2 takes 44×44 to 22×22); windows never start
/// outside the input. Backward routes each gradient to the window's first maximum. Stride 2 (the
/// paper's 3×3/2) runs eight outputs at a time (`poolPlaneStride2`); others one by one.
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
                // A chunk's scratch: one plane's rows split into even and odd columns (stride 2).
                let split = UnsafeMutablePointer<Float>.allocate(capacity: self.stride == 2 ? h * 2 * self.splitWidth : 0)
                defer { split.deallocate() }
                for pl in (planes * c / chunks)..<(planes * (c + 1) / chunks) {
                    let src = px.baseAddress! + pl * h * w
                    let dst = py.baseAddress! + pl * oh * ow, am = pa.baseAddress! + pl * oh * ow
                    if self.stride == 2 {
                        self.poolPlaneStride2(src, dst, am, split: split)
                    } else {
                        self.poolPlane(src, dst, am)
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

    /// Columns per half-row in the stride-2 split: whole vectors of outputs plus the window's reach.
    private var splitWidth: Int { (outputShape.width + 7) / 8 * 8 + (size - 1) / 2 }

    /// One plane, stride 2, eight outputs of a row at a time. Each input row is first split into
    /// its even and odd columns, padded with −∞ past the edge (a partial window's missing values
    /// never win), so window column x = 2j + dx is even[j + dx/2] or odd[j + dx/2]: eight
    /// consecutive outputs read eight consecutive floats. Scans each window in the same order with
    /// the same strict `>`, so values and argmax equal `poolPlane`'s exactly (tested).
    func poolPlaneStride2(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                          _ am: UnsafeMutablePointer<Int32>, split: UnsafeMutablePointer<Float>) {
        let h = inputShape.height, w = inputShape.width, oh = outputShape.height, ow = outputShape.width
        let pw = splitWidth
        for yy in 0..<h {
            let row = src + yy * w, even = split + yy * 2 * pw, odd = even + pw
            for t in 0..<pw {
                even[t] = 2 * t < w ? row[2 * t] : -.infinity
                odd[t] = 2 * t + 1 < w ? row[2 * t + 1] : -.infinity
            }
        }
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        for i in 0..<oh {
            let y0 = i * 2, y1 = min(y0 + size, h)
            for j0 in Swift.stride(from: 0, to: ow, by: 8) {
                let column = SIMD8<Int32>(repeating: Int32(2 * j0)) &+ 2 &* lanes   // x0 of each lane's window
                var best = SIMD8<Float>(repeating: -.infinity)
                var bestIndex = SIMD8<Int32>(repeating: Int32(y0 * w)) &+ column
                for yy in y0..<y1 {
                    let even = split + yy * 2 * pw, odd = even + pw
                    for dx in 0..<size {
                        let v = UnsafeRawPointer((dx & 1 == 0 ? even : odd) + j0 + dx / 2).loadUnaligned(as: SIMD8<Float>.self)
                        let better = v .> best
                        best.replace(with: v, where: better)
                        bestIndex.replace(with: SIMD8<Int32>(repeating: Int32(yy * w + dx)) &+ column, where: better)
                    }
                }
                let out = i * ow + j0
                if j0 + 8 <= ow {
                    UnsafeMutableRawPointer(dst + out).storeBytes(of: best, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(am + out).storeBytes(of: bestIndex, as: SIMD8<Int32>.self)
                } else {
                    for lane in 0..<(ow - j0) { dst[out + lane] = best[lane]; am[out + lane] = bestIndex[lane] }
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(argmax.count == dy.count, "maxpool backward without a matching training forward")
        let planes = dy.batchSize * inputShape.channels
        let hw = inputShape.height * inputShape.width, ohw = outputShape.height * outputShape.width
        var dx = Tensor(batch: dy.batchSize, inputShape)
        dy.data.withUnsafeBufferPointer { pg in dx.data.withUnsafeMutableBufferPointer { pdx in
        argmax.withUnsafeBufferPointer { pa in
            parallelFor(planes) { pl in
                let g = pg.baseAddress! + pl * ohw, am = pa.baseAddress! + pl * ohw
                let out = pdx.baseAddress! + pl * hw
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
