/// Direct (naive) convolution in Double, the reference the im2col + GEMM path is tested against.
extension Conv2D {
    /// y[n, m, oh, ow] by the defining sum.
    public func referenceForward(_ x: Tensor) -> Tensor {
        let (c, h, w) = (inputShape.channels, inputShape.height, inputShape.width)
        let (m, oh, ow) = (outputShape.channels, outputShape.height, outputShape.width)
        var y = Tensor(batch: x.batchSize, outputShape)
        for n in 0..<x.batchSize { for mm in 0..<m { for i in 0..<oh { for j in 0..<ow {
            var s = Double(bias.value[mm])
            for ch in 0..<c { for a in 0..<kernelHeight { for b in 0..<kernelWidth {
                let iy = i * stride + a - padding, ix = j * stride + b - padding
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                s += Double(weight.value[((mm * c + ch) * kernelHeight + a) * kernelWidth + b])
                    * Double(x.data[((n * c + ch) * h + iy) * w + ix])
            } } }
            y.data[((n * m + mm) * oh + i) * ow + j] = Float(s)
        } } } }
        return y
    }

    /// (dx, dW, db) for upstream gradient dy, by the defining sums.
    public func referenceBackward(_ x: Tensor, _ dy: Tensor) -> (dx: [Double], dw: [Double], db: [Double]) {
        let (c, h, w) = (inputShape.channels, inputShape.height, inputShape.width)
        let (m, oh, ow) = (outputShape.channels, outputShape.height, outputShape.width)
        var dx = [Double](repeating: 0, count: x.count)
        var dw = [Double](repeating: 0, count: weight.value.count), db = [Double](repeating: 0, count: m)
        for n in 0..<x.batchSize { for mm in 0..<m { for i in 0..<oh { for j in 0..<ow {
            let g = Double(dy.data[((n * m + mm) * oh + i) * ow + j])
            db[mm] += g
            for ch in 0..<c { for a in 0..<kernelHeight { for b in 0..<kernelWidth {
                let iy = i * stride + a - padding, ix = j * stride + b - padding
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                let wi = ((mm * c + ch) * kernelHeight + a) * kernelWidth + b, xi = ((n * c + ch) * h + iy) * w + ix
                dw[wi] += g * Double(x.data[xi])
                dx[xi] += g * Double(weight.value[wi])
            } } }
        } } } }
        return (dx, dw, db)
    }
}
