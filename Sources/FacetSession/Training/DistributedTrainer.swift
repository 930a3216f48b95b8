import FacetCache
import FacetEngine
import FacetWeights
import Foundation

/// Training over several ranks (docs/distributed.md), wrapping any trainer. Every rank runs the
/// same program with the same seed, so all hold the same jobs. One run: its batches are split
/// across the ranks (the engine's `Collective` steps); what the wrapped trainer decides on rank 0
/// (restore, resume, start) is told to the others before any collective, so every rank takes the
/// same path. Several runs (seeds): whole runs go to ranks in turn, and each result is broadcast
/// from the rank that trained it. It knows nothing of the cache: it asks the wrapped trainer.
final class DistributedTrainer: JobTrainer {
    let inner: any JobTrainer
    let ranks: any Collective

    init(wrapping inner: any JobTrainer, ranks: any Collective) { self.inner = inner; self.ranks = ranks }

    // MARK: one run, batches split across ranks

    func train(_ job: TrainingJob, resume: TrainingState?, starting: (TrainingStart) throws -> Void) throws -> TrainingHistory {
        var job = job
        job.options.collective = ranks
        if ranks.rank == 0 {
            var told = false
            do {
                return try inner.train(job, resume: resume, starting: { start in
                    told = true
                    try self.tell(start, job)
                    try starting(start)
                })
            } catch {
                if !told { try tell(failed: "\(error)") }
                throw error
            }
        }
        switch try hear(job) {
        case let .start(.restored(history)):
            return history
        case let .start(.resume(state)):
            do { return try inner.train(job, resume: state, starting: starting) } catch is TrainingStateMismatch {
                return try inner.train(job, resume: nil, starting: { _ in })
            }
        case let .failed(message):
            throw job.failure(message)
        case .start(.fresh):
            return try inner.train(job, resume: nil, starting: starting)
        }
    }

    // MARK: whole runs

    /// The rank that trains run `i` of several.
    func owner(ofRun i: Int) -> Int { i % ranks.size }

    /// Rank 0 first looks every run up (the wrapped trainer's `lookUp`) and sends the hits to all
    /// ranks; run i of the rest is trained by rank i mod N alone, then broadcast from it, and the
    /// others keep it (`keep`: rank 0 stores it). Every rank ends with all runs, equal to training
    /// them one after another.
    func trainRuns(_ jobs: [TrainingJob]) throws -> [TrainingHistory] {
        var tokens: [String?] = []
        let hits = try jobs.map { job -> TrainingHistory? in
            guard ranks.rank == 0 else {
                tokens.append(nil)
                if case let .start(.restored(history)) = try hear(job) { return history }
                return nil
            }
            let (token, found) = inner.lookUp(job)
            tokens.append(token)
            try tell(found.map { .restored($0) } ?? .fresh, job)
            return found
        }
        var histories = hits
        for (i, job) in jobs.enumerated() where hits[i] == nil && owner(ofRun: i) == ranks.rank {
            histories[i] = try inner.train(job)
        }
        for (i, job) in jobs.enumerated() where hits[i] == nil {
            let owner = owner(ofRun: i)
            let history = try share(job.network, histories[i] ?? TrainingHistory(), from: owner)
            if owner != ranks.rank { inner.keep(job, history, token: tokens[i]) }
            histories[i] = history
        }
        return histories.map { $0! }
    }

    func lookUp(_ job: TrainingJob) -> (token: String?, history: TrainingHistory?) { inner.lookUp(job) }
    func keep(_ job: TrainingJob, _ history: TrainingHistory, token: String?) { inner.keep(job, history, token: token) }

    /// `root`'s trained weights and history on every rank (as the bytes of a cache result).
    func share(_ network: Network, _ history: TrainingHistory, from root: Int) throws -> TrainingHistory {
        var bytes: [UInt8] = []
        if ranks.rank == root {
            do { bytes = [UInt8](try TrainedResult.encode(network, history)) } catch {
                ranks.abort("facet: rank \(ranks.rank) failed: cannot encode the trained weights (\(error))")
            }
        }
        ranks.broadcast(&bytes, from: root)
        return ranks.rank == root ? history : try TrainedResult.decode(Data(bytes), into: network, path: "<rank \(root)>")
    }

    // MARK: rank 0's decision, told to the others

    /// Rank 0 sends how `job` starts to the other ranks (`hear` receives it).
    private func tell(_ start: TrainingStart, _ job: TrainingJob) throws {
        var bytes: [UInt8]
        switch start {
        case .fresh: bytes = [0]
        case let .resume(state): bytes = [1] + [UInt8](try TrainingCheckpoint.encode(state, for: job.network))
        case let .restored(history): bytes = [2] + [UInt8](try TrainedResult.encode(job.network, history))
        }
        ranks.broadcast(&bytes, from: 0)
    }

    /// Rank 0 failed before deciding: the others throw its message instead of training.
    private func tell(failed message: String) throws {
        var bytes = [3] + Array(message.utf8)
        ranks.broadcast(&bytes, from: 0)
    }

    /// What the other ranks hear from rank 0.
    private enum Heard {
        case start(TrainingStart)
        /// Rank 0 failed before deciding (waiting for the key's lock was stopped, say).
        case failed(String)
    }

    /// Rank 0's start for `job` (a restored result's weights are loaded into the net), or its failure.
    private func hear(_ job: TrainingJob) throws -> Heard {
        var bytes: [UInt8] = []
        ranks.broadcast(&bytes, from: 0)
        let body = Array(bytes.dropFirst())
        switch bytes.first {
        case 1: return .start(.resume(try TrainingCheckpoint.decode(Data(body), for: job.network, path: "<rank 0's checkpoint>")))
        case 2: return .start(.restored(try TrainedResult.decode(Data(body), into: job.network, path: "<rank 0>")))
        case 3: return .failed(String(decoding: body, as: UTF8.self))
        default: return .start(.fresh)
        }
    }
}
