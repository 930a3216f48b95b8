import FacetEngine
import FacetLang
import FacetReport
import FacetResults
import Foundation

/// The learning check of one head on the data it was evaluated on; nil for a regression head
/// of a bare network (no training mean to compare with).
func learningCheck(_ e: HeadEvaluation, data: DatasetValue, run: RunValue?) throws -> LearningCheck? {
    switch e.targets {
    case .classes:
        let r = try e.classification()
        return try LearningCheck.classification(predicted: r.predicted, actual: r.actual, classes: r.classes)
    case .values:
        guard let means = run?.trainingMeans[e.head.name] else { return nil }
        let (p, a) = try e.regressionRows()
        guard !a.isEmpty else { return nil }
        return try LearningCheck.regression(predicted: p, actual: a, trainingMean: means)
    case .multiLabel:
        let scores = (0..<e.count).map { i in (0..<e.width).map { Double(e.outputs[i * e.width + $0]) } }
        let labels = data.attributes.map { $0.labels.map(Int.init) }
        let accuracies = try Metrics.jointAccuracy(scores: scores, blockWidths: HeadBinding.jointBlockWidths(data), labels: labels)
        var acc: [Double] = [], majority: [Double] = [], counts: [Int] = []
        for (a, block) in zip(accuracies, labels) {
            guard let a else { continue }
            let labelled = block.filter { $0 >= 0 }
            let top = Dictionary(grouping: labelled, by: { $0 }).values.map(\.count).max() ?? 0
            acc.append(a); majority.append(Double(top) / Double(labelled.count)); counts.append(labelled.count)
        }
        guard !acc.isEmpty else { return nil }
        return try LearningCheck.multiLabel(accuracies: acc, majorityRates: majority, samples: counts)
    }
}

/// Checks `e` for the run behind `model` (if it is a run), keeps the check on the run and
/// returns it as the entries a measurement carries.
func recordLearning(_ model: Value, _ check: LearningCheck?, _ e: HeadEvaluation, data: DatasetValue) -> [LearningEntry] {
    guard case let .foreign(run as RunValue) = model, let check else { return [] }
    let entry = LearningEntry(configuration: run.configuration, seed: run.replicate, data: data.name, head: e.label, check: check)
    run.record(entry)
    return [entry]
}

/// At the end of training: the run's check on its validation split, so every run has one even
/// when no metric evaluates it (first-layer similarity, say).
func recordValidationCheck(_ run: RunValue, _ data: DatasetValue) {
    guard data.isSplit, !data.indices(.valid).isEmpty, case let .foreign(v as DatasetValue)? = data.member("valid"),
          let evals = try? evaluate(run.network, v, task: run.task) else { return }
    for e in evals { _ = recordLearning(.foreign(run), try? learningCheck(e, data: v, run: run), e, data: v) }
}

/// A metric's value on one run as a measurement: the value, its per-item contributions on the
/// test items `labels` identify, its range and the run's learning check.
func measured(_ value: Double?, items: [Double]?, labels: [Double], head: String, range: ClosedRange<Double>?,
              learning: [LearningEntry]) -> Value {
    guard let value else { return .none }
    let sample = items.map { TestSample(key: testKey(head: head, labels: labels), items: $0) }
    return .foreign(MeasuredValue(value, items: sample, range: range, learning: learning))
}
