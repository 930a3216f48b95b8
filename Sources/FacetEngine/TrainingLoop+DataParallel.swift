import Foundation

/// Synchronous data-parallel training over the ranks of a `Collective`.
///
/// Every rank holds the whole data set and the same batch order (same seed), so each knows the
/// global batch. Rank r takes the contiguous slice [B·r/N, B·(r+1)/N) of it, runs forward and
/// backward there, and the gradients are summed across ranks in one flat buffer; every rank then
/// applies the same step, so weights stay identical. To equal the single-process gradient of the
/// global batch's mean loss, a head's gradient on rank r is scaled by (r's count / the global
/// count) of what the mean divides by (`Head.meanCount`) — not by 1/N, which is wrong for a ragged
/// last batch and for heads with missing labels. Dropout masks: each rank skips the draws of the
/// slices before and after its own, so it uses the masks a single process draws for its samples.
/// Validation: each rank evaluates its contiguous share of the validation set and the per-head
/// error sums and counts are summed across ranks, so every rank gets the same error (identical
/// weights, the same sums) and takes the same early-stopping decision.
extension TrainingLoop {
    /// Forward and backward on this rank's slice of `idx`, the cross-rank sum, and the step;
    /// returns the global batch's summed head losses (equal on every rank).
    func parallelStep(_ idx: [Int], _ c: any Collective, epoch: Int, batch b: Int, learningRate lr: Double) throws -> Double {
        let lo = idx.count * c.rank / c.size, hi = idx.count * (c.rank + 1) / c.size
        let mine = Array(idx[lo..<hi])
        let trained = net.heads.filter { heads.contains($0.spec.name) }
        var targets: [String: HeadTargets] = [:], scale: [String: Float] = [:]
        var counts: [(mine: Int, global: Int)] = []
        for head in trained {
            guard let all = data.targets[head.spec.name] else { throw EngineError.missingTargets(head: head.spec.name) }
            let width = head.spec.kind.outputs
            let local = all.gather(mine, width: width)
            let count = (mine: head.meanCount(local), global: head.meanCount(all.gather(idx, width: width)))
            targets[head.spec.name] = local
            scale[head.spec.name] = count.global == 0 ? 0 : Float(count.mine) / Float(count.global)
            counts.append(count)
        }
        net.skipDropout(samples: lo)
        var losses: [String: Double] = [:]
        if !mine.isEmpty {
            losses = try net.accumulateGradients(data.inputs.gather(mine), targets: targets, only: heads, lossScale: scale)
        }
        net.skipDropout(samples: idx.count - hi)
        // One sum of doubles: each head's loss weighted by this rank's share, then the stop flag.
        var sums = trained.enumerated().map { i, head -> Double in
            counts[i].global == 0 ? 0 : (losses[head.spec.name] ?? 0) * Double(counts[i].mine) / Double(counts[i].global)
        }
        sums.append(shouldStop?() == true ? 1 : 0)
        c.allreduceSum(&sums)
        stopAgreed = sums.removeLast() > 0
        sumGradients(c)
        if let bad = zip(trained, sums).first(where: { !$0.1.isFinite }) {
            net.restore(best.weights)
            net.zeroGradients()
            throw EngineError.nonFiniteLoss(epoch: epoch + 1, batch: b + 1, head: bad.0.spec.name, value: bad.1)
        }
        optimizer.step(net.parameters, learningRate: lr)
        return sums.reduce(0, +)
    }

    /// The validation error of the whole set, each rank evaluating a contiguous share of it.
    func parallelValidationError(_ validation: LabeledData, _ c: any Collective) throws -> Double {
        let n = validation.count
        let mine = Array((n * c.rank / c.size)..<(n * (c.rank + 1) / c.size))
        let trained = net.heads.filter { heads.contains($0.spec.name) }
        var sums = [Double](repeating: 0, count: 2 * trained.count)
        if !mine.isEmpty {
            var targets: [String: HeadTargets] = [:]
            for head in trained { targets[head.spec.name] = validation.targets[head.spec.name]?.gather(mine, width: head.spec.kind.outputs) }
            let part = LabeledData(inputs: validation.inputs.gather(mine), targets: targets)
            for (i, s) in try Trainer.errorSums(net, part, heads: heads, batchSize: batch).enumerated() {
                sums[2 * i] = s.wrong; sums[2 * i + 1] = Double(s.count)
            }
        }
        c.allreduceSum(&sums)
        return Trainer.meanError(trained.indices.map { (sums[2 * $0], Int(sums[2 * $0 + 1])) })
    }

    /// Sums every parameter's gradient across ranks, through one flat buffer.
    private func sumGradients(_ c: any Collective) {
        let parameters = net.parameters
        let total = parameters.reduce(0) { $0 + $1.value.count }
        if flatGradients.count != total { flatGradients = [Float](repeating: 0, count: total) }
        flatGradients.withUnsafeMutableBufferPointer { flat in
            var offset = 0
            for p in parameters {
                let n = p.value.count
                if p.grad.count == n {
                    p.grad.withUnsafeBufferPointer { g in (flat.baseAddress! + offset).update(from: g.baseAddress!, count: n) }
                } else {
                    (flat.baseAddress! + offset).update(repeating: 0, count: n)   // no gradient yet: zeros
                }
                offset += n
            }
            c.allreduceSum(flat)
            offset = 0
            for p in parameters {
                let n = p.value.count
                if p.grad.count != n { p.grad = [Float](repeating: 0, count: n) }
                p.grad.withUnsafeMutableBufferPointer { g in g.baseAddress!.update(from: flat.baseAddress! + offset, count: n) }
                offset += n
            }
        }
    }

    /// Every rank takes rank `root`'s weights.
    func shareWeights(from root: Int, _ c: any Collective) {
        for p in net.parameters { c.broadcast(&p.value, from: root) }
    }

    /// The always-on guard: weights must be bit-identical on every rank after an epoch. A cheap
    /// checksum of them is compared across ranks; a difference ends the job.
    func checkWeightsAgree(_ c: any Collective, epoch: Int) throws {
        var sum = 0.0, weighted = 0.0
        for p in net.parameters {
            p.value.withUnsafeBufferPointer { v in
                for (i, x) in v.enumerated() { sum += Double(x); weighted += Double(x) * Double(i % 7 + 1) }
            }
        }
        let all = c.allgather([sum, weighted])
        if let other = all.firstIndex(where: { $0 != all[0] }) {
            c.abort("facet: weights diverged across ranks after epoch \(epoch) (rank 0 and rank \(other) differ)")
        }
    }
}
