import FacetRandom
import XCTest
@testable import FacetEngine

/// SGD folded into backward (`Optimizer.prepare`, `Parameter.accumulate`) against the plain rule.
final class FoldedOptimizerTests: XCTestCase {
    static let spec = NetSpec(
        input: FeatureShape(channels: 2, height: 9, width: 9),
        layers: [.conv(maps: 3, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1), .relu,
                 .conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 0), .relu, .dense(units: 6), .relu],
        heads: [HeadSpec(name: "a", kind: .softmax(classes: 3)), HeadSpec(name: "b", kind: .regress(outputs: 2))])

    /// Five steps on fixed batches; odd steps train head "a" only, so head "b"'s weights take a
    /// step without a gradient product (the momentum decays in the step instead of the GEMM).
    func train(folded: Bool, decay: Double) throws -> (weights: [[Float]], momentum: [[Float]], net: Network) {
        let net = try Network(spec: Self.spec, seed: 3)
        let opt = Optimizer(.sgd(momentum: 0.9, weightDecay: decay))
        opt.foldsIntoBackward = folded
        var rng = SeededGenerator(seed: 4)
        for step in 0..<5 {
            let x = Tensor(shape: [5, 2, 9, 9], data: (0..<(5 * 162)).map { _ in rng.normal() })
            let targets: [String: HeadTargets] = ["a": .classes((0..<5).map { _ in Int32(rng.below(3)) }),
                                                  "b": .values((0..<10).map { _ in rng.normal() })]
            let lr = 0.05 / Double(step + 1)
            opt.prepare(net.parameters, learningRate: lr)
            _ = try net.accumulateGradients(x, targets: targets, only: step % 2 == 1 ? ["a"] : nil)
            opt.step(net.parameters, learningRate: lr)
        }
        return (net.snapshot(), opt.state(of: net.parameters).first, net)
    }

    func assertClose(_ a: [[Float]], _ b: [[Float]], _ what: String) {
        XCTAssertEqual(a.map(\.count), b.map(\.count), what)
        var worst: Float = 0
        for (x, y) in zip(a.joined(), b.joined()) { worst = max(worst, abs(x - y) / max(1e-3, abs(y))) }
        XCTAssertLessThan(worst, 1e-4, "\(what): worst relative difference \(worst)")
    }

    func testFoldedSGDMatchesThePlainRule() throws {
        for decay in [0.0, 0.01] {
            let plain = try train(folded: false, decay: decay), folded = try train(folded: true, decay: decay)
            assertClose(folded.weights, plain.weights, "weights, weight decay \(decay)")
            assertClose(folded.momentum, plain.momentum, "momentum, weight decay \(decay)")
            XCTAssertNotEqual(plain.weights, try Network(spec: Self.spec, seed: 3).snapshot(), "training moved the weights")
        }
    }

    func testFoldedStepsRepeatBitForBit() throws {
        let a = try train(folded: true, decay: 0.01), b = try train(folded: true, decay: 0.01)
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertEqual(a.momentum, b.momentum)
    }

    func testFoldFreesWeightGradientsAndPlainBackwardStillWorksAfterIt() throws {
        let net = try Network(spec: Self.spec, seed: 3)
        let opt = Optimizer(.paperSGD)
        opt.prepare(net.parameters, learningRate: 0.01)
        let weights = net.namedParameters.filter { $0.name.hasSuffix("weight") }
        XCTAssertTrue(weights.allSatisfy { $0.parameter.grad.isEmpty }, "folded weights hold no gradient buffer")
        XCTAssertTrue(net.namedParameters.filter { $0.name.hasSuffix("bias") }.allSatisfy { !$0.parameter.grad.isEmpty })
        opt.abandon(net.parameters)
        // A backward pass without a fold allocates the gradient again and adds into it.
        var rng = SeededGenerator(seed: 5)
        let x = Tensor(shape: [2, 2, 9, 9], data: (0..<324).map { _ in rng.normal() })
        _ = try net.accumulateGradients(x, targets: ["a": .classes([0, 2])])
        let trained = weights.filter { !$0.name.hasPrefix("heads.b.") }   // head b had no targets
        XCTAssertTrue(trained.allSatisfy { $0.parameter.grad.count == $0.parameter.value.count })
        XCTAssertTrue(trained.allSatisfy { $0.parameter.grad.contains { $0 != 0 } })
    }

    func testAdamIsNeverFolded() throws {
        let net = try Network(spec: Self.spec, seed: 3)
        let opt = Optimizer(.defaultAdam)
        opt.prepare(net.parameters, learningRate: 0.01)
        XCTAssertTrue(net.parameters.allSatisfy { $0.fold == nil && $0.grad.count == $0.value.count })
    }
}
