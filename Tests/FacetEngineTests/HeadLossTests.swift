import XCTest
@testable import FacetEngine

/// Losses: hand-worked values, finite-difference gradients, and masking of missing labels.
final class HeadLossTests: XCTestCase {
    /// Numeric d(loss)/d(logits) against the analytic gradient.
    private func checkLossGradient(_ loss: HeadLoss, logits: Tensor, targets: HeadTargets,
                                   file: StaticString = #filePath, line: UInt = #line) throws {
        let (_, _, grad) = try loss.lossAndGradient(logits: logits, targets: targets, head: "h")
        GradientCheck.compare(name: "loss", analytic: grad.data.map(Double.init), count: logits.count, maxChecks: 100,
                              file: file, line: line) { i, delta in
            var z = logits; z.data[i] += delta
            return try! loss.lossAndGradient(logits: z, targets: targets, head: "h").loss
        }
    }

    func testSoftmaxNLLByHand() throws {
        // logits (0, ln 3) → p = (1/4, 3/4); label 1 → loss = −ln(3/4)
        let z = Tensor(shape: [1, 2], data: [0, Float(log(3.0))])
        let (loss, n, grad) = try SoftmaxNLL().lossAndGradient(logits: z, targets: .classes([1]), head: "h")
        XCTAssertEqual(loss, -log(0.75), accuracy: 1e-6)
        XCTAssertEqual(n, 1)
        XCTAssertEqual(grad.data[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(grad.data[1], -0.25, accuracy: 1e-6)
    }

    func testSoftmaxNLLGradientAndMasking() throws {
        let z = GradientCheck.randomTensor([4, 5], seed: 1, scale: 2)
        try checkLossGradient(SoftmaxNLL(), logits: z, targets: .classes([2, -1, 0, 4]))
        let (_, n, grad) = try SoftmaxNLL().lossAndGradient(logits: z, targets: .classes([2, -1, 0, 4]), head: "h")
        XCTAssertEqual(n, 3)
        XCTAssertEqual(Array(grad.data[5..<10]), [0, 0, 0, 0, 0], "a missing label contributes no gradient")
    }

    func testSoftmaxIsStableForLargeLogits() throws {
        let z = Tensor(shape: [1, 3], data: [1000, 0, -1000])
        let (loss, _, grad) = try SoftmaxNLL().lossAndGradient(logits: z, targets: .classes([0]), head: "h")
        XCTAssertEqual(loss, 0, accuracy: 1e-9)
        XCTAssertTrue(grad.isFinite)
    }

    func testSoftmaxRejectsOutOfRangeLabel() {
        let z = Tensor(shape: [2, 3], repeating: 0)
        XCTAssertThrowsError(try SoftmaxNLL().lossAndGradient(logits: z, targets: .classes([0, 3]), head: "emotion")) {
            XCTAssertEqual("\($0)", "head 'emotion': sample 1 has label 3, expected 0..<3 or −1 for missing")
        }
    }

    func testSigmoidBCEByHand() throws {
        // z = 0 → s = 1/2; both labels cost ln 2; one sample → loss = 2 ln 2
        let z = Tensor(shape: [1, 2], data: [0, 0])
        let (loss, _, grad) = try SigmoidBCE().lossAndGradient(logits: z, targets: .multiLabel([1, 0]), head: "h")
        XCTAssertEqual(loss, 2 * log(2.0), accuracy: 1e-6)
        XCTAssertEqual(grad.data, [-0.5, 0.5])
    }

    func testSigmoidBCEGradientAndMasking() throws {
        let z = GradientCheck.randomTensor([3, 4], seed: 2, scale: 2)
        let t: [Float] = [1, 0, .nan, 1,  0, -1, 1, 1,  -1, -1, -1, -1]
        try checkLossGradient(SigmoidBCE(), logits: z, targets: .multiLabel(t))
        let (_, n, grad) = try SigmoidBCE().lossAndGradient(logits: z, targets: .multiLabel(t), head: "h")
        XCTAssertEqual(n, 2, "the third sample has no label at all")
        XCTAssertEqual(grad.data[2], 0); XCTAssertEqual(grad.data[5], 0)
        XCTAssertEqual(Array(grad.data[8...]), [0, 0, 0, 0])
    }

    func testMSEByHandGradientAndMasking() throws {
        let z = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
        let (loss, n, grad) = try LinearMSE().lossAndGradient(logits: z, targets: .values([0, .nan, 3, 2]), head: "h")
        XCTAssertEqual(loss, (1.0 + 0 + 4) / 3, accuracy: 1e-9)
        XCTAssertEqual(n, 2)
        XCTAssertEqual(grad.data, [2.0 / 3, 0, 0, 4.0 / 3].map(Float.init))
        try checkLossGradient(LinearMSE(), logits: GradientCheck.randomTensor([3, 3], seed: 4),
                              targets: .values([1, 2, .nan, 0, 0, 0, -1, .nan, 3]))
    }

    func testHeadLinearLayersGradientThroughNetwork() throws {
        // Several heads on one trunk: check d(total loss)/d(every parameter) numerically.
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 4, width: 4),
                           layers: [.conv(maps: 2, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), .dense(units: 6)],
                           heads: [HeadSpec(name: "emotion", kind: .softmax(classes: 3)),
                                   HeadSpec(name: "attrs", kind: .sigmoid(labels: 2)),
                                   HeadSpec(name: "pose", kind: .regress(outputs: 2))])
        let net = try Network(spec: spec, seed: 3)
        let x = GradientCheck.randomTensor([3, 1, 4, 4], seed: 5)
        let targets: [String: HeadTargets] = [
            "emotion": .classes([0, 2, -1]),
            "attrs": .multiLabel([1, 0, .nan, 1, 0, 0]),
            "pose": .values([0.5, -1, .nan, .nan, 2, 1]),
        ]
        func total() -> Double { try! net.accumulateGradients(x, targets: targets).values.reduce(0, +) }
        net.zeroGradients()
        _ = total()
        let grads = net.parameters.map { $0.grad.map(Double.init) }
        for (p, g) in zip(net.parameters, grads) {
            GradientCheck.compare(name: p.name, analytic: g, count: p.value.count, maxChecks: 60,
                                  file: #filePath, line: #line) { i, delta in
                let saved = p.value[i]; p.value[i] += delta
                defer { p.value[i] = saved }
                let l = total()
                return l
            }
        }
    }

    func testMissingHeadLabelsLeaveThatHeadUntouched() throws {
        let spec = NetSpec(input: FeatureShape(channels: 3, height: 1, width: 1), layers: [],
                           heads: [HeadSpec(name: "a", kind: .softmax(classes: 2)), HeadSpec(name: "b", kind: .regress(outputs: 1))])
        let net = try Network(spec: spec, seed: 1)
        let x = GradientCheck.randomTensor([2, 3, 1, 1], seed: 2)
        net.zeroGradients()
        _ = try net.accumulateGradients(x, targets: ["a": .classes([-1, -1]), "b": .values([1, 2])])
        XCTAssertTrue(net.heads[0].parameters.allSatisfy { $0.grad.allSatisfy { $0 == 0 } })
        XCTAssertTrue(net.heads[1].parameters.contains { $0.grad.contains { $0 != 0 } })
    }
}
