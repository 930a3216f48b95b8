import FacetCache
import FacetEngine
import FacetFiles
import FacetWeights
import Foundation

/// What a training stage may say: progress lines, notes in the output, warnings.
struct TrainingVoice {
    /// A progress line (stderr or the front end's display; nothing when quiet).
    let line: (String) -> Void
    /// A note in the output, as Markdown ("_from cache, …_").
    let note: (String) -> Void
    /// Something went wrong that training recovered from.
    let warn: (String) -> Void
}

/// Trains through the result cache (docs/cache.md), wrapping any trainer: a stored result is
/// restored (weights and history) instead of training; otherwise training resumes from the key's
/// checkpoint when one exists, writes a checkpoint after every epoch, and stores its result. One
/// run per key at a time (the key's lock). The session's seeds were drawn before this point, so
/// they advance the same way on a hit. It knows nothing of ranks.
final class CachingTrainer: JobTrainer {
    let inner: any JobTrainer
    let policy: CachePolicy
    let voice: TrainingVoice
    /// Hears what each training did with the cache (`:cache`, the report footer).
    let record: (CacheEvent) -> Void

    init(wrapping inner: any JobTrainer, policy: CachePolicy, voice: TrainingVoice, record: @escaping (CacheEvent) -> Void) {
        self.inner = inner; self.policy = policy; self.voice = voice; self.record = record
    }

    func train(_ job: TrainingJob, resume given: TrainingState?, starting: (TrainingStart) throws -> Void) throws -> TrainingHistory {
        guard let directory = policy.directory else { return try uncached(job, resume: given, starting: starting) }
        let cache = ResultCache(directory: directory)
        let key = job.cacheKey
        let lock: ResultCache.KeyLock?
        do {
            lock = try cache.lock(key, waiting: {
                self.voice.line("train \(job.label): waiting for another run training the same (key \(key.prefix(12)))")
            }, shouldStop: { Interrupt.requested })
        } catch {
            voice.warn("\(error); training without the cache")
            return try uncached(job, resume: given, starting: starting)
        }
        guard let lock else { throw job.failure("stopped while waiting for another run training the same net (key \(key.prefix(12)))") }
        defer { lock.release() }
        if !policy.refresh, let history = cachedResult(cache, key, job) {
            try starting(.restored(history))
            record(CacheEvent(key: key, what: job.what, outcome: .hit, seconds: history.seconds))
            return history
        }
        let resume = given ?? (policy.refresh ? nil : savedCheckpoint(cache, key, job))
        let info = entryInfo(key, job)
        var checkpointed = job
        checkpointed.checkpoint = checkpointWriter(cache, info, job)
        let (history, resumedAt) = try trainResuming(checkpointed, resume, key: key, starting: starting)
        if !history.interrupted {
            store(cache, info, job, history)
            cache.remove(key, .checkpoint)
        }
        record(CacheEvent(key: key, what: job.what,
                          outcome: history.interrupted ? .interrupted : resumedAt.map { .resumed(epoch: $0) } ?? .trained,
                          seconds: history.seconds))
        return history
    }

    func trainRuns(_ jobs: [TrainingJob]) throws -> [TrainingHistory] { try jobs.map { try train($0) } }

    /// Looked up without the key's lock (entries are written whole, by rename); a hit is counted.
    /// The token is the key, which depends on the initial weights: taken before training.
    func lookUp(_ job: TrainingJob) -> (token: String?, history: TrainingHistory?) {
        guard let directory = policy.directory else { return (nil, nil) }
        let key = job.cacheKey
        guard !policy.refresh, let history = cachedResult(ResultCache(directory: directory), key, job) else { return (key, nil) }
        record(CacheEvent(key: key, what: job.what, outcome: .hit, seconds: history.seconds))
        return (key, history)
    }

    /// Stores under `token` a run trained elsewhere, so a rerun restores it.
    func keep(_ job: TrainingJob, _ history: TrainingHistory, token: String?) {
        guard let directory = policy.directory, let key = token else {
            record(CacheEvent(key: nil, what: job.what, outcome: .uncached))
            return
        }
        store(ResultCache(directory: directory), entryInfo(key, job), job, history)
        record(CacheEvent(key: key, what: job.what, outcome: .trained, seconds: history.seconds))
    }

    private func uncached(_ job: TrainingJob, resume: TrainingState?, starting: (TrainingStart) throws -> Void) throws -> TrainingHistory {
        record(CacheEvent(key: nil, what: job.what, outcome: .uncached))
        return try inner.train(job, resume: resume, starting: starting)
    }

    /// What every cache entry of `job` under `key` starts from (kind, time and epochs are filled in when written).
    private func entryInfo(_ key: String, _ job: TrainingJob) -> ResultCache.Info {
        ResultCache.Info(key: key, kind: "", what: job.what, origin: job.origin,
                         created: "", seconds: 0, epochs: 0, ofEpochs: job.options.epochs)
    }

    /// Trains from `resume`; a checkpoint that does not fit after all is dropped and training
    /// starts over (the engine refuses it before changing anything). Returns the history and the
    /// epoch it resumed at (nil when it started from the beginning); "resumed" is said only once
    /// the engine has accepted the checkpoint.
    private func trainResuming(_ job: TrainingJob, _ resume: TrainingState?, key: String,
                               starting: (TrainingStart) throws -> Void) throws -> (TrainingHistory, Int?) {
        guard let resume else { return (try inner.train(job, resume: nil, starting: starting), nil) }
        var accepted = false
        var announcing = job
        announcing.resumed = {
            accepted = true
            let note = "resumed at epoch \(resume.epochsDone) of \(job.options.epochs)"
            self.voice.line("train \(job.label): \(note) (key \(key.prefix(12)))")
            self.voice.note("_\(note) from a checkpoint, key \(key.prefix(12))…_")
        }
        do {
            let history = try inner.train(announcing, resume: resume, starting: starting)
            return (history, accepted ? resume.epochsDone : nil)
        } catch let e as TrainingStateMismatch {
            voice.warn("the checkpoint for this training does not fit it (\(e)); training from the start")
            return (try inner.train(job, resume: nil, starting: { _ in }), nil)
        }
    }

    // MARK: entries

    /// The stored result, restored into the job's network, with a note in the output; nil when
    /// there is none. A damaged entry is reported, removed, and nil returned.
    private func cachedResult(_ cache: ResultCache, _ key: String, _ job: TrainingJob) -> TrainingHistory? {
        guard let (info, payload) = readEntry(cache, key, .result) else { return nil }
        let path = cache.url(key, .result).path
        do {
            let history = try TrainedResult.decode(payload, into: job.network, path: path)
            cache.touch(key, .result)
            voice.note("_from cache, trained \(info.created.prefix(10)) in \(ProgressBar.duration(info.seconds)), key \(key.prefix(12))…_")
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
            voice.warn("cache entry \(e); left in place, \(kind == .result ? "computing it again" : "training from the start")")
            return nil
        } catch {
            discard(cache, key, kind, "damaged cache entry \(error)")
            return nil
        }
    }

    /// Reports an entry that cannot be used and removes it, so the work is done again.
    private func discard(_ cache: ResultCache, _ key: String, _ kind: ResultCache.Kind, _ problem: String) {
        voice.warn("\(problem); removed, \(kind == .result ? "computing it again" : "training from the start")")
        cache.remove(key, kind)
    }

    /// Writes the checkpoint after each epoch; after a failed write (a full disk) it warns once
    /// and stops trying, and training goes on.
    private func checkpointWriter(_ cache: ResultCache, _ base: ResultCache.Info, _ job: TrainingJob) -> (TrainingState) -> Void {
        var failed = false
        let voice = self.voice
        return { state in
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
                voice.warn("\(error); training goes on without checkpoints")
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
            try cache.write(info.key, .result, info: info) { sink in try TrainedResult.encode(job.network, history, into: sink) }
        } catch {
            voice.warn("\(error); the result is not cached")
        }
    }

    /// Now in ISO 8601, UTC.
    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}
