/// Linear outputs with mean squared error over the targets that are present:
///     L = (1/m) Σ_{present (i, j)} (z[i, j] − t[i, j])²,   dL/dz = 2 (z − t) / m
/// m counts present entries; a NaN target is missing.
struct LinearMSE: HeadLoss {
    func activate(_ logits: Tensor) -> Tensor { logits }

    func lossAndGradient(logits: Tensor, targets: HeadTargets, head: String) throws -> (loss: Double, labelled: Int, grad: Tensor) {
        guard case let .values(t) = targets else {
            throw EngineError.badLabel(head: head, sample: 0, value: "non-numeric targets", expected: "real-valued targets")
        }
        let n = logits.batchSize, k = logits.sampleCount
        guard t.count == n * k else { throw EngineError.targetCount(head: head, expected: n, got: k == 0 ? 0 : t.count / k) }
        let present = meanCount(targets, width: k)
        var grad = Tensor(shape: logits.shape)
        guard present > 0 else { return (0, 0, grad) }
        var loss = 0.0
        let scale = 2 / Float(present)
        logits.data.withUnsafeBufferPointer { z in grad.data.withUnsafeMutableBufferPointer { g in
            for i in 0..<(n * k) where !t[i].isNaN {
                let d = z[i] - t[i]
                loss += Double(d) * Double(d)
                g[i] = d * scale
            }
        } }
        let samples = (0..<n).filter { r in (0..<k).contains { !t[r * k + $0].isNaN } }.count
        return (loss / Double(present), samples, grad)
    }

    func meanCount(_ targets: HeadTargets, width: Int) -> Int {
        guard case let .values(t) = targets else { return 0 }
        return t.filter { !$0.isNaN }.count
    }
}
