import FacetRandom
import CKernels
import XCTest
@testable import FacetEngine

/// The fast kernels against their naive references.
final class ReferenceKernelTests: XCTestCase {
    func testConvolutionMatchesDirectSum() throws {
        let cases: [(LayerSpec, FeatureShape, Int)] = [
            (.conv(maps: 8, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), FeatureShape(channels: 3, height: 12, width: 12), 5),
            (.conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1), FeatureShape(channels: 2, height: 9, width: 8), 3),
            (.conv(maps: 3, kernelHeight: 7, kernelWidth: 7, stride: 1, padding: 3), FeatureShape(channels: 1, height: 2, width: 3), 2),
            (.conv(maps: 6, kernelHeight: 4, kernelWidth: 4, stride: 1, padding: 0), FeatureShape(channels: 5, height: 15, width: 15), 300),
            // A first conv of a grey-image net (K = 25 < Conv2D.thinK: the bias-column forward) over many images.
            (.conv(maps: 16, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), FeatureShape(channels: 1, height: 12, width: 12), 40),
        ]
        try assertConvMatchesDirectSum(cases)
    }

    func testIm2colAndCol2imMatchTheirDefinitions() {
        // CKernels' im2col against its definition, and col2im against adding the rows back in
        // im2col's order (so equal bit for bit): stride 1 and 2, padding, runs of outputs under
        // and over a vector of 16, planes narrower than the window.
        var rng = SeededGenerator(seed: 21)
        let cases: [(c: Int, h: Int, w: Int, k: Int, s: Int, p: Int)] = [
            (16, 22, 22, 5, 1, 0), (2, 9, 40, 3, 1, 1), (3, 7, 5, 4, 1, 2), (2, 12, 13, 3, 2, 1), (1, 2, 3, 7, 1, 3), (4, 44, 44, 5, 1, 0)]
        for t in cases {
            let oh = (t.h + 2 * t.p - t.k) / t.s + 1, ow = (t.w + 2 * t.p - t.k) / t.s + 1
            let kk = t.c * t.k * t.k, l = oh * ow, what = "\(t)"
            let x = (0..<(t.c * t.h * t.w)).map { _ in rng.normal() }
            var expected = [Float](repeating: 0, count: kk * l)
            for ch in 0..<t.c { for i in 0..<t.k { for j in 0..<t.k { for y in 0..<oh { for xo in 0..<ow {
                let r = (ch * t.k + i) * t.k + j, iy = y * t.s + i - t.p, ix = xo * t.s + j - t.p
                if iy >= 0 && iy < t.h && ix >= 0 && ix < t.w { expected[r * l + y * ow + xo] = x[(ch * t.h + iy) * t.w + ix] }
            } } } } }
            var col = [Float](repeating: .nan, count: kk * l)
            x.withUnsafeBufferPointer { px in col.withUnsafeMutableBufferPointer { pc in
                facet_im2col(px.baseAddress!, pc.baseAddress!, l, t.c, t.h, t.w, t.k, t.k, t.s, t.p, oh, ow)
            } }
            XCTAssertEqual(col.map(\.bitPattern), expected.map(\.bitPattern), "im2col \(what)")
            let g = (0..<(kk * l)).map { _ in rng.normal() }
            var back = [Float](repeating: 0, count: x.count)
            for ch in 0..<t.c { for i in 0..<t.k { for j in 0..<t.k { for y in 0..<oh { for xo in 0..<ow {
                let r = (ch * t.k + i) * t.k + j, iy = y * t.s + i - t.p, ix = xo * t.s + j - t.p
                if iy >= 0 && iy < t.h && ix >= 0 && ix < t.w { back[(ch * t.h + iy) * t.w + ix] += g[r * l + y * ow + xo] }
            } } } } }
            var dx = [Float](repeating: 0, count: x.count)
            g.withUnsafeBufferPointer { pg in dx.withUnsafeMutableBufferPointer { pd in
                facet_col2im(pg.baseAddress!, pd.baseAddress!, l, t.c, t.h, t.w, t.k, t.k, t.s, t.p, oh, ow)
            } }
            XCTAssertEqual(dx.map(\.bitPattern), back.map(\.bitPattern), "col2im \(what)")
        }
    }

    func testLCNMatchesDirectWindowFormula() throws {
        for (size, shape) in [(9, FeatureShape(channels: 4, height: 13, width: 11)), (3, FeatureShape(channels: 1, height: 5, width: 5))] {
            var rng = SeededGenerator(seed: 1)
            let lcn = try makeLayer(.lcn(size: size), input: shape, rng: &rng) as! LocalContrastNorm
            var x = GradientCheck.randomTensor([3, shape.channels, shape.height, shape.width], seed: 4)
            for i in 0..<shape.width { x.data[i] *= 0.01 }  // a flat strip, so max(σ, mean σ) takes both branches
            assertClose(lcn.forward(x, training: false).data.map(Double.init),
                        lcn.referenceForward(x).data.map(Double.init), "lcn \(size)")
        }
    }

    func testSgemmUnderLoadedKernelsMatchesNaiveProduct() {
        var rng = SeededGenerator(seed: 9)
        let (m, n, k) = (67, 45, 129)
        let a = (0..<(m * k)).map { _ in rng.normal() }, b = (0..<(k * n)).map { _ in rng.normal() }
        assertClose(matmul(a, b, m: m, n: n, k: k).map(Double.init), naiveMatmul(a, b, m: m, n: n, k: k).map(Double.init),
                    "sgemm (\(Engine.blasCoreName))")
    }

    func testMaxPoolStride2MatchesOneByOne() throws {
        // The layer's stride-2 forward (CKernels' facet_maxpool_stride2, on this CPU's path) against
        // the one-by-one scan: window sizes 2–4, ceil and floor, odd and even widths, outputs under
        // and over a vector of 8, 16 and 32; values from a small set so windows hold ties (argmax:
        // the first), plus −∞ and NaN (never selected), and one plane that is all −∞.
        var rng = SeededGenerator(seed: 12)
        for size in 2...4 { for ceil in [true, false] {
            for (h, w) in [(44, 44), (9, 13), (7, 36), (5, 5), (6, 70), (3, 67)] where h >= size && w >= size {
                let shape = FeatureShape(channels: 3, height: h, width: w)
                let pool = try makeLayer(.maxpool(size: size, stride: 2, ceil: ceil), input: shape, rng: &rng) as! MaxPool2D
                var x = (0..<(2 * 3 * h * w)).map { _ in Float(Int(rng.unit() * 5)) }
                x[1] = -.infinity; x[w + 2] = .nan
                for p in (4 * h * w)..<(5 * h * w) { x[p] = -.infinity }
                let (oh, ow) = (pool.outputShape.height, pool.outputShape.width)
                var ref = [Float](repeating: 0, count: 6 * oh * ow), refArg = [Int32](repeating: 0, count: ref.count)
                x.withUnsafeBufferPointer { px in ref.withUnsafeMutableBufferPointer { pr in refArg.withUnsafeMutableBufferPointer { pa in
                    for pl in 0..<6 {
                        pool.poolPlane(px.baseAddress! + pl * h * w, pr.baseAddress! + pl * oh * ow, pa.baseAddress! + pl * oh * ow)
                    }
                } } }
                let what = "maxpool \(size) ceil \(ceil) \(h)x\(w) (\(String(cString: facet_kernel_isa())))"
                let y = pool.forward(Tensor(shape: [2, 3, h, w], data: x), training: true)
                XCTAssertEqual(y.data.map(\.bitPattern), ref.map(\.bitPattern), what)
                // the argmax through backward: a one-hot gradient lands where the reference's argmax says
                var dy = Tensor(shape: y.shape)
                for o in 0..<dy.count { dy.data[o] = Float(o + 1) }
                let dx = pool.backward(dy)
                var expected = [Float](repeating: 0, count: x.count)
                for o in 0..<dy.count { expected[o / (oh * ow) * h * w + Int(refArg[o])] += Float(o + 1) }
                XCTAssertEqual(dx.data, expected, what)
            }
        } }
    }
}

/// Every value within 1e-4, relative (absolute below 1), of its reference.
func assertClose(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, what, file: file, line: line)
    var worst = 0.0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / max(1, abs(y))) }
    XCTAssertLessThan(worst, 1e-4, "\(what): worst relative difference \(worst)", file: file, line: line)
}

/// The conv layer's forward and backward against the direct sums, for each (spec, input, batch);
/// `between` runs on the layer after its training forward, before its backward.
func assertConvMatchesDirectSum(_ cases: [(LayerSpec, FeatureShape, Int)], between: (Conv2D) -> Void = { _ in }) throws {
    for (spec, shape, n) in cases {
        var rng = SeededGenerator(seed: 1)
        let conv = try makeLayer(spec, input: shape, rng: &rng) as! Conv2D
        for i in conv.bias.value.indices { conv.bias.value[i] = Float(i) * 0.1 }
        let x = GradientCheck.randomTensor([n, shape.channels, shape.height, shape.width], seed: 2)
        let fast = conv.forward(x, training: true), ref = conv.referenceForward(x)
        XCTAssertEqual(fast.shape, ref.shape)
        assertClose(fast.data.map(Double.init), ref.data.map(Double.init), "\(spec.text) forward")
        between(conv)
        let dy = GradientCheck.randomTensor(fast.shape, seed: 3)
        conv.weight.zeroGrad(); conv.bias.zeroGrad()
        let dx = conv.backward(dy)
        let (rdx, rdw, rdb) = conv.referenceBackward(x, dy)
        assertClose(dx.data.map(Double.init), rdx, "\(spec.text) dx")
        assertClose(conv.weight.grad.map(Double.init), rdw, "\(spec.text) dW")
        assertClose(conv.bias.grad.map(Double.init), rdb, "\(spec.text) db")
    }
}
