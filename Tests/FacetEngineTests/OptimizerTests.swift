import XCTest
@testable import FacetEngine

final class OptimizerTests: XCTestCase {
    func testPaperLearningRateSchedule() {
        let s = LearningRateSchedule.paper
        XCTAssertEqual(s.rate(epoch: 0), 0.0025, accuracy: 1e-12)
        XCTAssertEqual(s.rate(epoch: 49), 0.001, accuracy: 1e-12)
        XCTAssertEqual(s.rate(epoch: 80), 0.001, accuracy: 1e-12)
        XCTAssertEqual(s.rate(epoch: 1), 0.0025 - 0.0015 / 49, accuracy: 1e-12)
    }

    func testSGDWithMomentumAndWeightDecayByHand() {
        let p = Parameter(name: "w", shape: [1], value: [1])
        let opt = Optimizer(.sgd(momentum: 0.9, weightDecay: 0.1))
        p.grad = [2]
        opt.step([p], learningRate: 0.5)
        // v = −0.5·(2 + 0.1·1) = −1.05; w = −0.05
        XCTAssertEqual(p.value[0], -0.05, accuracy: 1e-6)
        XCTAssertEqual(p.grad, [0], "the optimiser clears gradients")
        p.grad = [1]
        opt.step([p], learningRate: 0.5)
        // v = 0.9·(−1.05) − 0.5·(1 + 0.1·(−0.05)) = −0.945 − 0.4975 = −1.4425; w = −1.4925
        XCTAssertEqual(p.value[0], -1.4925, accuracy: 1e-5)
    }

    func testAdamFirstStepsByHand() {
        let p = Parameter(name: "w", shape: [2], value: [0, 0])
        let opt = Optimizer(.defaultAdam)
        p.grad = [3, -0.001]
        opt.step([p], learningRate: 0.1)
        // bias-corrected first step is lr · sign(g) (up to ε)
        XCTAssertEqual(p.value[0], -0.1, accuracy: 1e-5)
        XCTAssertEqual(p.value[1], 0.1, accuracy: 1e-4)
        p.grad = [3, 0]
        opt.step([p], learningRate: 0.1)
        // m̂ = 3, v̂ = 9 → another −0.1
        XCTAssertEqual(p.value[0], -0.2, accuracy: 1e-5)
    }
}
