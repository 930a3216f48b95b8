import Foundation

/// Direct evaluation of the LCN formula in Double with an explicit 2-D window, the reference the
/// separable fast path is tested against.
extension LocalContrastNorm {
    public func referenceForward(_ x: Tensor) -> Tensor {
        let (c, h, w) = (inputShape.channels, inputShape.height, inputShape.width)
        let r = size / 2, sg = Double(size) / 4
        func g(_ a: Int, _ b: Int) -> Double { exp(-Double(a * a + b * b) / (2 * sg * sg)) }
        // weighted mean over window and maps of f, with weights renormalised inside the image
        func localMean(_ f: (Int, Int, Int) -> Double, _ i: Int, _ j: Int) -> Double {
            var s = 0.0, z = 0.0
            for a in -r...r { for b in -r...r {
                let y = i + a, xx = j + b
                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                z += g(a, b)
                for ch in 0..<c { s += g(a, b) * f(ch, y, xx) / Double(c) }
            } }
            return s / z
        }
        var out = Tensor(shape: x.shape)
        for n in 0..<x.batchSize {
            let at = { (ch: Int, y: Int, xx: Int) in Double(x.data[((n * c + ch) * h + y) * w + xx]) }
            var mean = [Double](repeating: 0, count: h * w)
            for i in 0..<h { for j in 0..<w { mean[i * w + j] = localMean(at, i, j) } }
            let v = { (ch: Int, y: Int, xx: Int) in at(ch, y, xx) - mean[y * w + xx] }
            var sigma = [Double](repeating: 0, count: h * w)
            for i in 0..<h { for j in 0..<w { sigma[i * w + j] = localMean({ v($0, $1, $2) * v($0, $1, $2) }, i, j).squareRoot() } }
            let meanSigma = sigma.reduce(0, +) / Double(h * w)
            for ch in 0..<c { for i in 0..<h { for j in 0..<w {
                let d = max(sigma[i * w + j], meanSigma, Double(Self.epsilon))
                out.data[((n * c + ch) * h + i) * w + j] = Float(v(ch, i, j) / d)
            } } }
        }
        return out
    }
}
