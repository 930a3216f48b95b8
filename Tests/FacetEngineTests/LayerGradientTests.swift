import FacetRandom
import XCTest
@testable import FacetEngine

/// Finite-difference checks of every trunk layer's backward pass (see GradientCheck for tolerances).
final class LayerGradientTests: XCTestCase {
    private func build(_ spec: LayerSpec, _ input: FeatureShape, seed: UInt64 = 1) throws -> Layer {
        var rng = SeededGenerator(seed: seed)
        return try makeLayer(spec, input: input, rng: &rng)
    }

    func testConvolutionGradients() throws {
        let cases: [(LayerSpec, FeatureShape)] = [
            (.conv(maps: 3, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), FeatureShape(channels: 2, height: 6, width: 6)),
            (.conv(maps: 2, kernelHeight: 3, kernelWidth: 2, stride: 2, padding: 1), FeatureShape(channels: 3, height: 7, width: 5)),
            (.conv(maps: 4, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 2), FeatureShape(channels: 1, height: 6, width: 6)),
        ]
        for (spec, shape) in cases {
            let layer = try build(spec, shape)
            GradientCheck.check(layer, GradientCheck.randomTensor([2, shape.channels, shape.height, shape.width], seed: 3))
        }
    }

    func testLocalContrastNormGradients() throws {
        for (size, shape) in [(3, FeatureShape(channels: 2, height: 5, width: 6)), (5, FeatureShape(channels: 3, height: 7, width: 7))] {
            let layer = try build(.lcn(size: size), shape)
            GradientCheck.check(layer, GradientCheck.randomTensor([2, shape.channels, shape.height, shape.width], seed: 5))
        }
    }

    func testLocalContrastNormGradientWhereMeanSigmaDominates() throws {
        // A low-contrast patch inside a high-contrast image: there σ < mean σ, so the divisor is
        // the mean and gradient flows through it to every position.
        let shape = FeatureShape(channels: 1, height: 8, width: 8)
        var x = GradientCheck.randomTensor([1, 1, 8, 8], seed: 11, scale: 3)
        for i in 0..<4 { for j in 0..<4 { x.data[i * 8 + j] *= 0.05 } }
        GradientCheck.check(try build(.lcn(size: 3), shape), x)
    }

    func testMaxPoolGradients() throws {
        // Distinct values spaced far more than the finite-difference step, so no window's
        // maximum changes under perturbation.
        let shape = FeatureShape(channels: 2, height: 7, width: 7)
        var rng = SeededGenerator(seed: 8)
        var values = (0..<(2 * 2 * 49)).map { Float($0) * 0.1 }
        rng.shuffle(&values)
        let x = Tensor(shape: [2, 2, 7, 7], data: values)
        for ceil in [true, false] {
            GradientCheck.check(try build(.maxpool(size: 3, stride: 2, ceil: ceil), shape), x)
        }
    }

    func testReLUGradients() throws {
        // Keep inputs away from the kink at 0.
        var x = GradientCheck.randomTensor([3, 2, 3, 3], seed: 4)
        for i in x.data.indices where abs(x.data[i]) < 0.05 { x.data[i] = 0.5 }
        GradientCheck.check(try build(.relu, FeatureShape(channels: 2, height: 3, width: 3)), x)
    }

    func testDropoutGradientsUseTheSameMask() throws {
        let layer = try build(.dropout(rate: 0.4), FeatureShape(channels: 10, height: 1, width: 1)) as! Dropout
        let x = GradientCheck.randomTensor([4, 10, 1, 1], seed: 6)
        GradientCheck.check(layer, x, evaluate: { layer.reseed(42); return layer.forward($0, training: true) })
    }

    func testDenseAndFlattenGradients() throws {
        let shape = FeatureShape(channels: 2, height: 3, width: 2)
        GradientCheck.check(try build(.dense(units: 5), shape), GradientCheck.randomTensor([3, 2, 3, 2], seed: 5))
        GradientCheck.check(try build(.flatten, shape), GradientCheck.randomTensor([3, 2, 3, 2], seed: 5))
    }

    // MARK: forward behaviour by hand

    func testDropoutScalesSurvivorsAndIsIdentityInEvaluation() throws {
        let layer = try build(.dropout(rate: 0.5), FeatureShape(channels: 1000, height: 1, width: 1))
        let x = Tensor(shape: [1, 1000, 1, 1], repeating: 1)
        XCTAssertEqual(layer.forward(x, training: false), x)
        let y = layer.forward(x, training: true)
        XCTAssertEqual(Set(y.data), [0, 2])
        let dropped = y.data.filter { $0 == 0 }.count
        XCTAssertTrue((400...600).contains(dropped), "dropped \(dropped) of 1000 at rate 0.5")
    }

    func testDropoutMasksAreTheSerialStreamOnAnyThreadCount() throws {
        // 3 × 50,000 values: past the size at which the values are cut over the threads. Each
        // mask must be the serial stream's draw at its index, and the stream must end where a
        // serial pass ends (the next batch's masks, a checkpoint's saved position).
        let shape = FeatureShape(channels: 5, height: 100, width: 100)
        let x = GradientCheck.randomTensor([3, 5, 100, 100], seed: 8)
        let saved = Engine.threads
        defer { Engine.threads = saved }
        for threads in [1, 2, 3] {
            Engine.threads = threads
            let layer = try build(.dropout(rate: 0.3), shape) as! Dropout
            layer.reseed(77)
            var serial = SeededGenerator(seed: 77)
            let keep = 1 / (1 - Float(0.3))
            let masks = x.data.map { _ in serial.unit() < 0.3 ? 0 : keep }
            let y = layer.forward(x, training: true)
            XCTAssertEqual(y.data.map(\.bitPattern), zip(x.data, masks).map { ($0 * $1).bitPattern }, "\(threads) threads")
            XCTAssertEqual(layer.generatorState, serial.state, "\(threads) threads: stream position after the masks")
            XCTAssertEqual(layer.backward(Tensor(shape: x.shape, repeating: 1)).data, masks, "\(threads) threads")
        }
    }

    func testMaxPoolForwardByHand() throws {
        let layer = try build(.maxpool(size: 2, stride: 2, ceil: true), FeatureShape(channels: 1, height: 3, width: 3))
        let x = Tensor(shape: [1, 1, 3, 3], data: [1, 5, 2,
                                                   3, 4, 9,
                                                   7, 0, 6])
        // ceil mode keeps the partial right column and bottom row
        XCTAssertEqual(layer.forward(x, training: false).data, [5, 9, 7, 6])
    }

    func testConvolutionForwardByHand() throws {
        let layer = try build(.conv(maps: 1, kernelHeight: 2, kernelWidth: 2, stride: 1, padding: 0),
                              FeatureShape(channels: 1, height: 2, width: 3)) as! Conv2D
        layer.weight.value = [1, 2, 3, 4]
        layer.bias.value = [0.5]
        let x = Tensor(shape: [1, 1, 2, 3], data: [1, 2, 3, 4, 5, 6])
        // [1 2; 4 5]·[1 2; 3 4] = 1+4+12+20 = 37, [2 3; 5 6] → 2+6+15+24 = 47
        XCTAssertEqual(layer.forward(x, training: false).data, [37.5, 47.5])
    }

    func testLCNOutputIsCentredAndNormalisedOnConstantRegions() throws {
        let layer = try build(.lcn(size: 9), FeatureShape(channels: 2, height: 12, width: 12))
        let x = Tensor(shape: [1, 2, 12, 12], repeating: 3)
        let y = layer.forward(x, training: false)
        // Only rounding of the local mean (~1e-7 · 3) survives, divided by ε = 1e-4.
        XCTAssertTrue(y.data.allSatisfy { abs($0) < 2e-2 }, "a constant input has no contrast: output must be ~0")
        XCTAssertTrue(y.isFinite)
    }
}
