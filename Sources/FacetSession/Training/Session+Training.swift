import FacetEngine
import FacetLang
import Foundation

extension Session {
    /// This session's training pipeline: the engine, through the result cache, and across the
    /// ranks when there are several. Each stage gets only what it uses.
    func trainer() -> any JobTrainer {
        let engine = EngineTrainer(progressBar: { [unowned self] label, total in self.progressBar(label: label, total: total) })
        let voice = TrainingVoice(line: { [unowned self] in ProgressBar.line($0, style: self.progressStyle) },
                                  note: { [unowned self] in self.emit(.markdown($0)) },
                                  warn: { [unowned self] in self.warn($0) })
        let cached = CachingTrainer(wrapping: engine, policy: cachePolicy, voice: voice,
                                    record: { [unowned self] in self.cacheEvents.append($0) })
        guard let ranks else { return cached }
        return DistributedTrainer(wrapping: cached, ranks: ranks)
    }

    /// Counts runs trained by `train(..., seeds:)`.
    func noteSeedRuns(_ count: Int) { seedRunsTrained += count }

    /// Where a call was made, for cache listings: `x.fnb cell 3, line 40: let run = train(…)`.
    func callOrigin(_ ctx: CallContext) -> String {
        let line = ctx.range.line
        var text = ctx.range.file.lineText(line).trimmingCharacters(in: .whitespaces)
        if text.count > 60 { text = String(text.prefix(57)) + "..." }
        return "\(ctx.range.file.name)\(origin.map { " \($0)" } ?? ""), line \(line): \(text)"
    }
}
