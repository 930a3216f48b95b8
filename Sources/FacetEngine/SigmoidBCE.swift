import Foundation

/// Independent sigmoid per label with binary cross-entropy (non-exclusive labels):
///     s = σ(z),  ℓ = max(z, 0) − z·t + log(1 + e^{−|z|})   (the stable form of −t log s − (1−t) log(1−s))
///     L = (1/n) Σ_{samples with any label} Σ_{present labels} ℓ,   dL/dz = (s − t) / n
/// Labels that are NaN or −1 are missing and contribute nothing.
struct SigmoidBCE: HeadLoss {
    func activate(_ logits: Tensor) -> Tensor {
        var s = logits
        s.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = 1 / (1 + exp(-p[i])) } }
        return s
    }

    func lossAndGradient(logits: Tensor, targets: HeadTargets, head: String) throws -> (loss: Double, labelled: Int, grad: Tensor) {
        guard case let .multiLabel(t) = targets else {
            throw EngineError.badLabel(head: head, sample: 0, value: "non-binary targets", expected: "0/1 labels per output")
        }
        let n = logits.batchSize, k = logits.sampleCount
        guard t.count == n * k else { throw EngineError.targetCount(head: head, expected: n, got: k == 0 ? 0 : t.count / k) }
        var labelled = 0
        for r in 0..<n {
            var any = false
            for j in 0..<k {
                let v = t[r * k + j]
                if v.isNaN || v == -1 { continue }
                guard v == 0 || v == 1 else {
                    throw EngineError.badLabel(head: head, sample: r, value: "\(v)", expected: "0, 1, or NaN/−1 for missing")
                }
                any = true
            }
            if any { labelled += 1 }
        }
        var grad = activate(logits)
        guard labelled > 0 else { return (0, 0, Tensor(shape: logits.shape)) }
        let scale = 1 / Float(labelled)
        var loss = 0.0
        logits.data.withUnsafeBufferPointer { z in grad.data.withUnsafeMutableBufferPointer { g in
            for i in 0..<(n * k) {
                let v = t[i]
                if v.isNaN || v == -1 { g[i] = 0; continue }
                let zi = Double(z[i])
                loss += max(zi, 0) - zi * Double(v) + Foundation.log1p(Foundation.exp(-abs(zi)))
                g[i] = (g[i] - v) * scale
            }
        } }
        return (loss / Double(labelled), labelled, grad)
    }

    /// Samples with at least one present label (the loop in `lossAndGradient` counts the same
    /// while it checks the values).
    func meanCount(_ targets: HeadTargets, width: Int) -> Int {
        guard case let .multiLabel(t) = targets, width > 0 else { return 0 }
        return (0..<(t.count / width)).filter { r in (0..<width).contains { !(t[r * width + $0].isNaN || t[r * width + $0] == -1) } }.count
    }
}
