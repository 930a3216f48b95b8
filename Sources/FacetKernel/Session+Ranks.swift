import FacetEngine
import FacetLang
import Foundation

/// A session run as one of several MPI ranks (docs/distributed.md). Every rank runs the whole
/// notebook with the same seed, so all hold the same values; `train` spreads its work over them
/// (batches of one run, or whole runs), and only rank 0 writes: progress, report, figures, saved
/// models and cache entries.
extension Session {
    /// The ranks, when there is more than one.
    var ranks: (any Collective)? { collective.flatMap { $0.size > 1 ? $0 : nil } }

    /// Whether this session writes files and progress (rank 0, or no MPI at all).
    public var isWriter: Bool { (collective?.rank ?? 0) == 0 }

    /// How `train` spreads work over ranks: one run's batches split across ranks, or whole runs
    /// (seeds) given to ranks in turn.
    enum RankMode: String { case batches, runs }

    /// `train`'s `parallel:` (or its default: several seeds → whole runs, one → batches); nil when
    /// not under several ranks. The argument is checked either way, so a notebook that runs alone
    /// fails the same way under mpirun.
    func rankMode(_ args: BoundArguments, seeds: Int) throws -> RankMode? {
        let chosen: RankMode?
        if case .none = args["parallel"] { chosen = nil } else {
            chosen = RankMode(rawValue: try args.choice("parallel", ["batches", "runs"]))
        }
        guard ranks != nil else { return nil }
        return chosen ?? (seeds > 1 ? .runs : .batches)
    }

    // MARK: whole runs

    /// The rank that trains run `i` of several in whole-runs mode.
    func owner(ofRun i: Int) -> Int { i % (ranks?.size ?? 1) }

    /// Whole runs spread over the ranks: rank 0 first looks every run up in the cache and sends
    /// the hits to all ranks; run i of the rest is trained by rank i mod N alone (through the cache
    /// on rank 0), then broadcast from it, and rank 0 stores the runs it received. Every rank ends
    /// with all runs, equal to training them one after another. Without ranks: one by one here.
    func trainWholeRuns(_ prepared: [PreparedRun], _ ctx: CallContext) throws -> [RunValue] {
        guard let c = ranks else { return try prepared.map { $0.result(try trainCached($0.job, ctx)) } }
        var keys: [String?] = []
        let hits = try prepared.map { run -> TrainingHistory? in
            guard c.rank == 0 else {
                keys.append(nil)
                if case let .hit(history) = try hear(run.job, c) { return history }
                return nil
            }
            let (key, found) = cachedHistory(run.job)
            keys.append(key)
            try tell(found.map { .hit($0) } ?? .fresh, run.job, c)
            return found
        }
        var histories = hits
        for (i, run) in prepared.enumerated() where hits[i] == nil && owner(ofRun: i) == c.rank {
            try rankTestHooks(before: true, ctx)
            histories[i] = try c.rank == 0 ? trainCached(run.job, ctx) : trainUncached(run.job, ctx)
        }
        for (i, run) in prepared.enumerated() where hits[i] == nil {
            let owner = owner(ofRun: i)
            let history = try shareTrained(run.job.network, histories[i] ?? TrainingHistory(), from: owner, c)
            if owner != c.rank { storeReceived(run.job, history, key: keys[i], ctx) }
            histories[i] = history
            try rankTestHooks(before: false, ctx, network: run.job.network)
        }
        return zip(prepared, histories).map { $0.result($1!) }
    }

    /// `root`'s trained weights and history on every rank (as the bytes of a cache result).
    func shareTrained(_ network: Network, _ history: TrainingHistory, from root: Int, _ c: any Collective) throws -> TrainingHistory {
        var bytes: [UInt8] = []
        if c.rank == root {
            do { bytes = try trainedBytes(network, history) } catch {
                c.abort("facet: rank \(c.rank) failed: cannot encode the trained weights (\(error))")
            }
        }
        c.broadcast(&bytes, from: root)
        return c.rank == root ? history : try receiveTrained(bytes, network, from: root)
    }

    /// A trained network's weights and history as bytes (the layout of a cache result).
    private func trainedBytes(_ network: Network, _ history: TrainingHistory) throws -> [UInt8] {
        [UInt8](Safetensors.encode(network.weightEntries, metadata: [Self.historyKey: try history.json()]))
    }

    /// Loads weights and history sent by `shareTrained` or `tell(.hit)`.
    private func receiveTrained(_ bytes: [UInt8], _ network: Network, from root: Int) throws -> TrainingHistory {
        let (tensors, metadata) = try Safetensors.decode(Data(bytes), path: "<rank \(root)>")
        try network.loadWeights(tensors, path: "<rank \(root)>")
        return try TrainingHistory(json: metadata[Self.historyKey] ?? "")
    }

    // MARK: the cache, decided by rank 0

    /// What rank 0 found in the cache for a data-parallel training, as sent to the other ranks.
    enum CacheDecision {
        case fresh
        case resume(TrainingState)
        case hit(TrainingHistory)
        case failed(String)
    }

    /// Data-parallel training through the cache: rank 0 alone looks up, locks, writes checkpoints
    /// and stores; it tells the others whether to restore its result, resume from its checkpoint
    /// or start, so every rank takes the same path and none waits in a collective alone.
    func trainCachedAcrossRanks(_ job: TrainingJob, _ c: any Collective, _ ctx: CallContext) throws -> TrainingHistory {
        if c.rank == 0 {
            var told = false
            do {
                return try trainCached(job, ctx, decided: { decision in
                    told = true
                    try self.tell(decision, job, c)
                })
            } catch {
                if !told { try tell(.failed("\(error)"), job, c) }
                throw error
            }
        }
        switch try hear(job, c) {
        case let .hit(history):
            return history
        case let .resume(state):
            do { return try runTrainer(job, ctx, resume: state) } catch is TrainingStateMismatch { return try runTrainer(job, ctx) }
        case let .failed(message):
            throw ctx.error(message)
        case .fresh:
            return try runTrainer(job, ctx)
        }
    }

    /// Rank 0 sends its cache decision for `job` to the other ranks (`hear` receives it).
    private func tell(_ decision: CacheDecision, _ job: TrainingJob, _ c: any Collective) throws {
        var bytes: [UInt8]
        switch decision {
        case .fresh: bytes = [0]
        case let .resume(state): bytes = [1] + [UInt8](try TrainingCheckpoint.encode(state, for: job.network))
        case let .hit(history):
            bytes = [2] + (try trainedBytes(job.network, history))
        case let .failed(message): bytes = [3] + Array(message.utf8)
        }
        c.broadcast(&bytes, from: 0)
    }

    /// Rank 0's cache decision for `job`, sent by `tell`; a hit's weights are loaded into the net.
    private func hear(_ job: TrainingJob, _ c: any Collective) throws -> CacheDecision {
        var bytes: [UInt8] = []
        c.broadcast(&bytes, from: 0)
        let body = Array(bytes.dropFirst())
        switch bytes.first {
        case 1: return .resume(try TrainingCheckpoint.decode(Data(body), for: job.network, path: "<rank 0's checkpoint>"))
        case 2: return .hit(try receiveTrained(body, job.network, from: 0))
        case 3: return .failed(String(decoding: body, as: UTF8.self))
        default: return .fresh
        }
    }

    // MARK: test hooks (docs/distributed.md)

    /// `FACET_TEST_FAIL_RANK=R`: rank R fails when it starts training (a failure on one rank only);
    /// `FACET_TEST_KILL_RANK=R`: rank R kills itself with SIGKILL there (a rank that dies).
    /// `FACET_TEST_RANK_WEIGHTS=DIR`: every rank saves each trained network as DIR/w.rankR.safetensors
    /// (the last one wins), so a test can compare the ranks' weights. For tests only.
    func rankTestHooks(before: Bool, _ ctx: CallContext, network: Network? = nil) throws {
        guard let c = collective else { return }
        let env = ProcessInfo.processInfo.environment
        if before, env["FACET_TEST_FAIL_RANK"] == "\(c.rank)" {
            throw ctx.error("FACET_TEST_FAIL_RANK: rank \(c.rank) fails here on purpose")
        }
        if before, env["FACET_TEST_KILL_RANK"] == "\(c.rank)" { kill(getpid(), SIGKILL) }
        if !before, let dir = env["FACET_TEST_RANK_WEIGHTS"], let network {
            try Safetensors.write(network.weightEntries, to: URL(fileURLWithPath: dir).appendingPathComponent("w.rank\(c.rank).safetensors"))
        }
    }

    // MARK: cells that fail on some ranks only

    /// After each cell under several ranks: the ranks compare whether it succeeded. When they
    /// differ (or a rank does not answer within `seconds`: it is stuck in a collective the failed
    /// rank never reached), a failed rank prints `facet: rank R failed: MESSAGE` and ends the job.
    /// A cell that fails on every rank is an ordinary failed cell.
    func agreeOnCell(failed: Bool, message: String, seconds: Double = 5) {
        guard let c = ranks else { return }
        let answers = c.agree(!failed, within: seconds)
        if let answers, Set(answers).count == 1 { return }
        if failed { c.abort("facet: rank \(c.rank) failed: \(message)") }
        // This rank succeeded; a failed one is printing its message and aborting the job.
        sleep(UInt32(seconds) + 5)
        let failedRanks = answers.map { a in a.indices.filter { !a[$0] } } ?? []
        c.abort("facet: rank \(failedRanks.first.map(String.init) ?? "?") failed")
    }
}
