import Foundation

/// Softmax over K mutually exclusive classes with negative log-likelihood:
///     p = softmax(z),  L = −(1/n) Σ_{labelled i} log p[i, y_i],  dL/dz[i] = (p[i] − onehot(y_i)) / n
/// Computed through log-softmax (max subtracted) so large logits do not overflow.
struct SoftmaxNLL: HeadLoss {
    func activate(_ logits: Tensor) -> Tensor {
        let n = logits.batchSize, k = logits.sampleCount
        var p = logits
        p.data.withUnsafeMutableBufferPointer { z in
            for r in 0..<n {
                let row = z.baseAddress! + r * k
                var m = -Float.infinity
                for j in 0..<k { m = max(m, row[j]) }
                var s: Float = 0
                for j in 0..<k { row[j] = exp(row[j] - m); s += row[j] }
                for j in 0..<k { row[j] /= s }
            }
        }
        return p
    }

    func lossAndGradient(logits: Tensor, targets: HeadTargets, head: String) throws -> (loss: Double, labelled: Int, grad: Tensor) {
        guard case let .classes(labels) = targets else {
            throw EngineError.badLabel(head: head, sample: 0, value: "non-class targets", expected: "class indices")
        }
        let n = logits.batchSize, k = logits.sampleCount
        guard labels.count == n else { throw EngineError.targetCount(head: head, expected: n, got: labels.count) }
        for (i, y) in labels.enumerated() where y < -1 || y >= k {
            throw EngineError.badLabel(head: head, sample: i, value: "\(y)", expected: "0..<\(k) or −1 for missing")
        }
        let labelled = meanCount(targets, width: k)
        var grad = activate(logits)
        guard labelled > 0 else { return (0, 0, Tensor(shape: logits.shape)) }
        var loss = 0.0
        let scale = 1 / Float(labelled)
        logits.data.withUnsafeBufferPointer { z in grad.data.withUnsafeMutableBufferPointer { g in
            for r in 0..<n {
                let row = g.baseAddress! + r * k
                let y = Int(labels[r])
                guard y >= 0 else { for j in 0..<k { row[j] = 0 }; continue }
                // log p_y = z_y − m − log Σ exp(z − m), in Double for the sum
                var m = -Float.infinity
                for j in 0..<k { m = max(m, z[r * k + j]) }
                var s = 0.0
                for j in 0..<k { s += Foundation.exp(Double(z[r * k + j] - m)) }
                loss -= Double(z[r * k + y] - m) - Foundation.log(s)
                row[y] -= 1
                for j in 0..<k { row[j] *= scale }
            }
        } }
        return (loss / Double(labelled), labelled, grad)
    }

    func meanCount(_ targets: HeadTargets, width: Int) -> Int {
        guard case let .classes(labels) = targets else { return 0 }
        return labels.filter { $0 >= 0 }.count
    }
}
