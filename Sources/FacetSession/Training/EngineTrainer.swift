import FacetEngine
import Foundation

/// The innermost stage: runs the engine's `Trainer` with a progress bar. Ctrl-C (or a stop
/// signal) stops it at the next batch with the best weights kept.
final class EngineTrainer: JobTrainer {
    /// A progress bar for a label and a total number of steps, drawn where the session's progress goes.
    let progressBar: (String, Int) -> ProgressBar

    init(progressBar: @escaping (String, Int) -> ProgressBar) { self.progressBar = progressBar }

    func train(_ job: TrainingJob, resume: TrainingState?, starting: (TrainingStart) throws -> Void) throws -> TrainingHistory {
        try starting(resume.map { .resume($0) } ?? .fresh)
        let options = job.options
        let batches = (job.train.count + options.batchSize - 1) / options.batchSize
        // Saturating: epochs up to 2^53 are accepted, and the bar's total must not overflow.
        let (total, overflow) = options.epochs.multipliedReportingOverflow(by: batches)
        let bar = progressBar("train \(job.label)", overflow ? Int.max : total)
        var lastValid: Double?
        var announce = resume == nil ? nil : job.resumed
        do {
            let history = try Trainer.train(job.network, on: job.train, validation: job.valid, options: options, resume: resume,
                                            progress: { p in
                if let a = announce { announce = nil; a() }
                if p.epochFinished { lastValid = p.validationError }
                var note = String(format: "epoch %d/%d loss %.4f %.0f img/s", p.epoch, p.epochs, p.loss, p.imagesPerSecond)
                if let v = lastValid { note += String(format: " val err %.4f", v) }
                let (done, over) = (p.epoch - 1).multipliedReportingOverflow(by: p.batches)
                bar.update(over ? Int.max : done + p.batch, note: note)
            }, shouldStop: { Interrupt.requested }, checkpoint: job.checkpoint)
            bar.finish(note: history.interrupted ? "(interrupted)" : "", interrupted: history.interrupted)
            return history
        } catch let e as EngineError {
            bar.finish(note: "failed")
            throw job.failure("\(e)")
        }
    }

    func trainRuns(_ jobs: [TrainingJob]) throws -> [TrainingHistory] { try jobs.map { try train($0) } }
    func lookUp(_ job: TrainingJob) -> (token: String?, history: TrainingHistory?) { (nil, nil) }
    func keep(_ job: TrainingJob, _ history: TrainingHistory, token: String?) {}
}
