/// Max-pooling over size×size windows with a stride. In ceil mode a last partial window at the
/// right/bottom border is kept (paper: 3×3 stride 2 takes 44×44 to 22×22); windows never start
/// outside the input. Backward routes each gradient to the window's first maximum.
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
        var y = Tensor(batch: x.batchSize, outputShape)
        var arg = [Int32](repeating: 0, count: planes * oh * ow)
        x.data.withUnsafeBufferPointer { px in y.data.withUnsafeMutableBufferPointer { py in
        arg.withUnsafeMutableBufferPointer { pa in
            parallelFor(planes) { pl in
                let src = px.baseAddress! + pl * h * w
                let dst = py.baseAddress! + pl * oh * ow, am = pa.baseAddress! + pl * oh * ow
                for i in 0..<oh {
                    let y0 = i * self.stride, y1 = min(y0 + self.size, h)
                    for j in 0..<ow {
                        let x0 = j * self.stride, x1 = min(x0 + self.size, w)
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
        } } }
        if training { argmax = arg }
        return y
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
