import FacetEngine
import FacetFiles
import FacetLang
import Foundation

/// One `train` call's work, ready to run or to look up in the cache.
struct TrainingJob {
    let network: Network
    /// The net as called (`tiny()`), for progress lines.
    let label: String
    let dataName: String
    var options: TrainingOptions
    let train: LabeledData
    let valid: LabeledData?

    /// What a cache listing says the entry is.
    var what: String { "train \(label) on \(dataName) for \(options.epochs) epochs" }

    /// The result cache's key: the net's initial weights, the options and the data (`TrainingKey`).
    var cacheKey: String { TrainingKey.compute(network: network, options: options, train: train, valid: valid) }
}

extension Session {
    /// Trains through the result cache (docs/cache.md): a stored result is restored (weights and
    /// history) instead of training; otherwise training resumes from the key's checkpoint when
    /// one exists, writes a checkpoint after every epoch, and stores its result. The session's
    /// seeds were drawn before this point, so they advance the same way on a hit.
    /// `decided` hears whether the result is restored, resumed or trained from the start before
    /// training begins (rank 0 tells the other ranks, `trainCachedAcrossRanks`).
    func trainCached(_ job: TrainingJob, _ ctx: CallContext,
                     decided: (CacheDecision) throws -> Void = { _ in }) throws -> TrainingHistory {
        guard let directory = cachePolicy.directory else { try decided(.fresh); return try trainUncached(job, ctx) }
        let cache = ResultCache(directory: directory)
        let key = job.cacheKey
        let lock: ResultCache.KeyLock?
        do {
            lock = try cache.lock(key, waiting: {
                ProgressBar.line("train \(job.label): waiting for another run training the same (key \(key.prefix(12)))",
                                 style: self.progressStyle)
            }, shouldStop: { Interrupt.requested })
        } catch {
            warn("\(error); training without the cache")
            try decided(.fresh)
            return try trainUncached(job, ctx)
        }
        guard let lock else { throw ctx.error("stopped while waiting for another run training the same net (key \(key.prefix(12)))") }
        defer { lock.release() }
        if !cachePolicy.refresh, let history = try cachedResult(cache, key, job) {
            try decided(.hit(history))
            cacheEvents.append(CacheEvent(key: key, what: job.what, outcome: .hit))
            return history
        }
        let resume = cachePolicy.refresh ? nil : savedCheckpoint(cache, key, job)
        try decided(resume.map { .resume($0) } ?? .fresh)
        let info = entryInfo(key, job, ctx)
        let (history, resumedAt) = try trainResuming(job, resume, key: key, checkpoint: checkpointWriter(cache, info, job), ctx)
        if !history.interrupted {
            store(cache, info, job, history)
            cache.remove(key, .checkpoint)
        }
        cacheEvents.append(CacheEvent(key: key, what: job.what,
                                      outcome: history.interrupted ? .interrupted : resumedAt.map { .resumed(epoch: $0) } ?? .trained))
        return history
    }

    /// `job`'s cache key (nil: cache off) and its cached result, restored into its network (and
    /// counted as a hit), or nil; looked up without the key's lock (entries are written whole, by
    /// rename). Whole runs across ranks: rank 0 looks every run up before any is trained, and keeps
    /// the key, which depends on the initial weights, to store a run another rank trains.
    func cachedHistory(_ job: TrainingJob) -> (key: String?, history: TrainingHistory?) {
        guard let directory = cachePolicy.directory else { return (nil, nil) }
        let key = job.cacheKey
        guard !cachePolicy.refresh, let history = try? cachedResult(ResultCache(directory: directory), key, job) else { return (key, nil) }
        cacheEvents.append(CacheEvent(key: key, what: job.what, outcome: .hit))
        return (key, history)
    }

    /// Stores under `key` a run another rank trained (whole runs across ranks), so a rerun restores it.
    func storeReceived(_ job: TrainingJob, _ history: TrainingHistory, key: String?, _ ctx: CallContext) {
        guard let directory = cachePolicy.directory, let key else {
            cacheEvents.append(CacheEvent(key: nil, what: job.what, outcome: .uncached))
            return
        }
        let info = entryInfo(key, job, ctx)
        store(ResultCache(directory: directory), info, job, history)
        cacheEvents.append(CacheEvent(key: key, what: job.what, outcome: .trained))
    }

    /// What every cache entry of `job` under `key` starts from (kind, time and epochs are filled in when written).
    private func entryInfo(_ key: String, _ job: TrainingJob, _ ctx: CallContext) -> ResultCache.Info {
        ResultCache.Info(key: key, kind: "", what: job.what, origin: cacheOrigin(ctx),
                         created: "", seconds: 0, epochs: 0, ofEpochs: job.options.epochs)
    }

    func trainUncached(_ job: TrainingJob, _ ctx: CallContext) throws -> TrainingHistory {
        cacheEvents.append(CacheEvent(key: nil, what: job.what, outcome: .uncached))
        return try runTrainer(job, ctx)
    }

    /// Trains from `resume`; a checkpoint that does not fit after all is dropped and training
    /// starts over (the trainer refuses it before changing anything).
    /// Returns the history and the epoch it resumed at (nil when it started from the beginning);
    /// "resumed" is said only once the trainer has accepted the checkpoint.
    private func trainResuming(_ job: TrainingJob, _ resume: TrainingState?, key: String,
                               checkpoint: @escaping (TrainingState) -> Void,
                               _ ctx: CallContext) throws -> (TrainingHistory, Int?) {
        guard let resume else { return (try runTrainer(job, ctx, checkpoint: checkpoint), nil) }
        var accepted = false
        do {
            let history = try runTrainer(job, ctx, resume: resume, checkpoint: checkpoint, accepted: {
                accepted = true
                let note = "resumed at epoch \(resume.epochsDone) of \(job.options.epochs)"
                ProgressBar.line("train \(job.label): \(note) (key \(key.prefix(12)))", style: self.progressStyle)
                self.emit(.markdown("_\(note) from a checkpoint, key \(key.prefix(12))…_"))
            })
            return (history, accepted ? resume.epochsDone : nil)
        } catch let e as TrainingStateMismatch {
            warn("the checkpoint for this training does not fit it (\(e)); training from the start")
            return (try runTrainer(job, ctx, checkpoint: checkpoint), nil)
        }
    }

    // MARK: entries

    /// The stored result, restored into the job's network, with a note in the output; nil when
    /// there is none. A damaged entry is reported, removed, and nil returned.
    private func cachedResult(_ cache: ResultCache, _ key: String, _ job: TrainingJob) throws -> TrainingHistory? {
        guard let (info, payload) = readEntry(cache, key, .result) else { return nil }
        let path = cache.url(key, .result).path
        do {
            let (tensors, metadata) = try Safetensors.decode(payload, path: path)
            guard let json = metadata[Self.historyKey] else { throw KernelError("no training history in it") }
            let history = try TrainingHistory(json: json)
            try job.network.loadWeights(tensors, path: path)
            cache.touch(key, .result)
            emit(.markdown("_from cache, trained \(info.created.prefix(10)) in \(ProgressBar.duration(info.seconds)), key \(key.prefix(12))…_"))
            return history
        } catch {
            discard(cache, key, .result, "cache entry \(path) is unusable (\(FileFailure.describe(error)))")
            return nil
        }
    }

    /// The key's checkpoint, if a usable one exists.
    private func savedCheckpoint(_ cache: ResultCache, _ key: String, _ job: TrainingJob) -> TrainingState? {
        guard let (_, payload) = readEntry(cache, key, .checkpoint) else { return nil }
        let path = cache.url(key, .checkpoint).path
        do {
            return try TrainingCheckpoint.decode(payload, for: job.network, path: path)
        } catch {
            discard(cache, key, .checkpoint, "checkpoint \(path) is unusable (\(FileFailure.describe(error)))")
            return nil
        }
    }

    /// An entry that passed its checksum; a damaged one is reported and removed.
    private func readEntry(_ cache: ResultCache, _ key: String, _ kind: ResultCache.Kind) -> (ResultCache.Info, Data)? {
        do {
            return try cache.read(key, kind)
        } catch let e as ResultCache.Unreadable {
            warn("cache entry \(e); left in place, \(kind == .result ? "computing it again" : "training from the start")")
            return nil
        } catch {
            discard(cache, key, kind, "damaged cache entry \(error)")
            return nil
        }
    }

    /// Reports an entry that cannot be used and removes it, so the work is done again.
    private func discard(_ cache: ResultCache, _ key: String, _ kind: ResultCache.Kind, _ problem: String) {
        warn("\(problem); removed, \(kind == .result ? "computing it again" : "training from the start")")
        cache.remove(key, kind)
    }

    /// Writes the checkpoint after each epoch; after a failed write (a full disk) it warns once
    /// and stops trying, and training goes on.
    private func checkpointWriter(_ cache: ResultCache, _ base: ResultCache.Info, _ job: TrainingJob) -> (TrainingState) -> Void {
        var failed = false
        return { [unowned self] state in
            guard !failed else { return }
            var info = base
            info.kind = ResultCache.Kind.checkpoint.rawValue
            info.created = Self.timestamp()
            info.seconds = state.history.seconds
            info.epochs = state.epochsDone
            do {
                try cache.write(info.key, .checkpoint, info: info) { sink in
                    try TrainingCheckpoint.encode(state, for: job.network, into: sink)
                }
            } catch {
                failed = true
                self.warn("\(error); training goes on without checkpoints")
            }
        }
    }

    /// Stores the trained weights and history; a failure is a warning (the run itself succeeded).
    private func store(_ cache: ResultCache, _ base: ResultCache.Info, _ job: TrainingJob, _ history: TrainingHistory) {
        var info = base
        info.kind = ResultCache.Kind.result.rawValue
        info.created = Self.timestamp()
        info.seconds = history.seconds
        info.epochs = history.epochs.count
        do {
            let metadata = [Self.historyKey: try history.json()]
            try cache.write(info.key, .result, info: info) { sink in
                try Safetensors.encode(job.network.weightEntries, metadata: metadata, into: sink)
            }
        } catch {
            warn("\(error); the result is not cached")
        }
    }

    /// Metadata key of a cached result's training history.
    static let historyKey = "facet.history"

    /// Now in ISO 8601, UTC.
    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }

    // MARK: the trainer

    /// Trains with a progress bar; Ctrl-C stops at the next batch and keeps the best weights.
    /// `accepted` is called once the trainer has taken `resume` (at its first progress report).
    func runTrainer(_ job: TrainingJob, _ ctx: CallContext, resume: TrainingState? = nil,
                    checkpoint: ((TrainingState) -> Void)? = nil, accepted: (() -> Void)? = nil) throws -> TrainingHistory {
        let options = job.options
        let batches = (job.train.count + options.batchSize - 1) / options.batchSize
        // Saturating: epochs up to 2^53 are accepted, and the bar's total must not overflow.
        let (total, overflow) = options.epochs.multipliedReportingOverflow(by: batches)
        let bar = progressBar(label: "train \(job.label)", total: overflow ? Int.max : total)
        var lastValid: Double?
        var announce = accepted
        do {
            let history = try Trainer.train(job.network, on: job.train, validation: job.valid, options: options, resume: resume,
                                            progress: { p in
                if let a = announce { announce = nil; a() }
                if p.epochFinished { lastValid = p.validationError }
                var note = String(format: "epoch %d/%d loss %.4f %.0f img/s", p.epoch, p.epochs, p.loss, p.imagesPerSecond)
                if let v = lastValid { note += String(format: " val err %.4f", v) }
                let (done, over) = (p.epoch - 1).multipliedReportingOverflow(by: p.batches)
                bar.update(over ? Int.max : done + p.batch, note: note)
            }, shouldStop: { Interrupt.requested }, checkpoint: checkpoint)
            bar.finish(note: history.interrupted ? "(interrupted)" : "", interrupted: history.interrupted)
            return history
        } catch let e as EngineError {
            bar.finish(note: "failed")
            throw ctx.error("\(e)")
        }
    }
}
