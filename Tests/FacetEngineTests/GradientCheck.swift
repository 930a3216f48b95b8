import FacetRandom
import XCTest
@testable import FacetEngine

/// Finite-difference gradient checking in Float32.
///
/// The scalar checked is L = Σ rᵢ·yᵢ with fixed random r, accumulated in Double. Central
/// differences with step h = 1e-3 (inputs are O(1)); a component passes when
/// |numeric − analytic| ≤ 2e-2 · max(1, |numeric|, |analytic|) — Float32 evaluation noise on L
/// is about 1e-6, which is 5e-4 after dividing by 2h, inside that bound, while a wrong
/// gradient term shows up as an O(1) relative error. The step is small because LCN's divisor
/// max(σ, mean σ) has a kink: with h = 1e-2 a random input crossed it at a few positions for
/// most seeds (3–9 % errors there), with 1e-3 none of the seeds tried did.
enum GradientCheck {
    static let step: Float = 1e-3
    static let tolerance = 2e-2

    static func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in rng.normal() * scale })
    }

    static func dot(_ y: Tensor, _ r: Tensor) -> Double {
        zip(y.data, r.data).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Checks dL/dx and dL/dθ of `layer` at `x`. `evaluate` runs a forward pass that must be
    /// deterministic between calls (dropout reseeds itself there).
    static func check(_ layer: Layer, _ x: Tensor, seed: UInt64 = 99, maxChecks: Int = 400,
                      evaluate: ((Tensor) -> Tensor)? = nil,
                      file: StaticString = #filePath, line: UInt = #line) {
        let eval = evaluate ?? { layer.forward($0, training: false) }
        let y = eval(x)
        let r = randomTensor(y.shape, seed: seed)
        for p in layer.parameters { p.zeroGrad() }
        _ = (evaluate != nil) ? eval(x) : layer.forward(x, training: true)
        let dx = layer.backward(r)
        XCTAssertEqual(dx.shape, x.shape, "input gradient shape", file: file, line: line)
        compare(name: "\(layer.spec.kind) dx", analytic: dx.data.map(Double.init), count: x.count, maxChecks: maxChecks,
                file: file, line: line) { i, delta in
            var xp = x; xp.data[i] += delta
            return dot(eval(xp), r)
        }
        for p in layer.parameters {
            let grad = p.grad.map(Double.init)
            compare(name: "\(layer.spec.kind) d\(p.name)", analytic: grad, count: p.value.count, maxChecks: maxChecks,
                    file: file, line: line) { i, delta in
                let saved = p.value[i]
                p.value[i] += delta
                defer { p.value[i] = saved }
                return dot(eval(x), r)
            }
        }
    }

    /// Compares analytic[i] with (f(i, +h) − f(i, −h)) / 2h on up to `maxChecks` evenly spread indices.
    static func compare(name: String, analytic: [Double], count: Int, maxChecks: Int,
                        file: StaticString, line: UInt, f: (Int, Float) -> Double) {
        let stride = max(1, count / maxChecks)
        var worst = 0.0, failures = 0
        for i in Swift.stride(from: 0, to: count, by: stride) {
            let numeric = (f(i, step) - f(i, -step)) / (2 * Double(step))
            let err = abs(numeric - analytic[i]) / max(1, abs(numeric), abs(analytic[i]))
            worst = max(worst, err)
            if err > tolerance {
                failures += 1
                if failures <= 3 {
                    XCTFail("\(name)[\(i)]: numeric \(numeric) vs analytic \(analytic[i])", file: file, line: line)
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(name): \(failures) components off, worst relative error \(worst)", file: file, line: line)
    }
}
