import FacetEngine
import FacetLang
import FacetReport
import FacetResults
import FacetWeights
import Foundation

/// A trained network with how it was trained: what `train` returns.
public final class RunValue: ForeignValue, Renderable, SavableModel {
    public let network: NetworkValue
    public let history: TrainingHistory
    public let dataName: String
    public let task: TaskValue.Task?
    public let steps: [String]
    public let settings: [(String, String)]
    /// The training data's preprocessing (face pipeline, contrast normalisation and its fitted
    /// statistics) as JSON, so a saved model preprocesses new photos exactly the same way.
    public let preprocessing: String?
    /// Class names per softmax head (and label names of sigmoid heads), for predictions.
    public let labelNames: [String: [String]]
    /// The replicate seed of a run trained under `seeds:`; nil for a single run.
    public let replicate: UInt64?
    /// Regression heads: each output's mean over the training split (what a net that learned
    /// nothing would predict), for the learning check.
    let trainingMeans: [String: [Double]]
    /// Learning checks recorded whenever the run was evaluated (validation split at the end of
    /// training, then every metric's data), newest last.
    public internal(set) var learning: [LearningEntry] = []

    init(network: NetworkValue, history: TrainingHistory, dataName: String, task: TaskValue.Task?,
         steps: [String], settings: [(String, String)], preprocessing: String?, labelNames: [String: [String]],
         replicate: UInt64? = nil, trainingMeans: [String: [Double]] = [:]) {
        self.network = network; self.history = history; self.dataName = dataName; self.task = task
        self.steps = steps; self.settings = settings; self.preprocessing = preprocessing; self.labelNames = labelNames
        self.replicate = replicate; self.trainingMeans = trainingMeans
    }

    /// What was trained, as learning checks and verdicts name it: "ferc(fc: 256) on faces | gcn".
    public var configuration: String {
        // The steps start with the data set's own call (synthetic(...), dataset(...)).
        "\(network.net.call) on " + (steps.isEmpty ? dataName : steps.joined(separator: " | "))
    }

    /// The session's results.json record of this run, kept in step with `learning`.
    var resultRecord: ResultsLog.RunRecord?

    /// Keeps a check, replacing an earlier one on the same data and head.
    func record(_ entry: LearningEntry) {
        learning.removeAll { $0.data == entry.data && $0.head == entry.head }
        learning.append(entry)
        resultRecord?.learning = learning
    }

    /// Whether every check recorded on the run says it learned (nil: never evaluated).
    public var learned: Bool? { learning.isEmpty ? nil : learning.allSatisfy(\.check.learned) }

    public var typeName: String { "run" }
    public var description: String {
        let last = history.epochs.last
        var s = "run of \(network.net.call) on \(dataName): \(history.epochs.count) epochs"
        if let e = last?.validationError { s += String(format: ", validation error %.4f", e) }
        if let b = history.bestEpoch { s += ", best epoch \(b)" }
        if history.stoppedEarly { s += ", stopped early" }
        if history.interrupted { s += ", interrupted" }
        if learned == false { s += ", did not learn (" + learning.filter { !$0.check.learned }.map(\.data).joined(separator: ", ") + ")" }
        return s + ", " + ProgressBar.duration(history.seconds)
    }

    public func member(_ name: String) -> Value? {
        switch name {
        case "network": return .foreign(network)
        case "net": return .net(network.net)
        case "epochs": return .number(Double(history.epochs.count))
        case "best_epoch": return history.bestEpoch.map { .number(Double($0)) } ?? Value.none
        case "seconds": return .number(history.seconds)
        case "train_loss": return .list(history.epochs.map { .number($0.trainLoss) })
        case "valid_error": return .list(history.epochs.map { $0.validationError.map(Value.number) ?? Value.none })
        case "stopped_early": return .bool(history.stoppedEarly)
        case "interrupted": return .bool(history.interrupted)
        case "learned": return learned.map(Value.bool) ?? Value.none
        default: return nil
        }
    }
    public var memberNames: [String] { ["network", "net", "epochs", "best_epoch", "seconds", "train_loss", "valid_error", "stopped_early", "interrupted", "learned"] }

    public func render(in session: Session) -> [OutputItem] {
        var rows = [["epoch", "learning rate", "training loss", "validation error", "time"]]
        for e in history.epochs {
            rows.append(["\(e.epoch)" + (e.epoch == history.bestEpoch ? " ★" : ""), String(format: "%.5f", e.learningRate),
                         String(format: "%.4f", e.trainLoss), e.validationError.map { String(format: "%.4f", $0) } ?? "—",
                         ProgressBar.duration(e.seconds)])
        }
        var md = description + "\n\n" + markdownTable(rows)
        if !learning.isEmpty {
            md += "\n\nLearning checks (docs/metrics.md):\n\n"
                + learning.map { "- \($0.head) on \($0.data): \($0.check.learned ? "" : "**")\($0.check.sentence)\($0.check.learned ? "" : "**")" }.joined(separator: "\n")
        }
        return [.markdown(md)]
    }

    public var savedNetwork: NetworkValue { network }
    public var savedMetadata: [String: String] { metadata }

    /// Metadata saved with the weights: how to repeat the preprocessing and training.
    var metadata: [String: String] {
        var m: [String: String] = [ModelMetadataKey.model: network.net.text, "facet.call": network.net.call,
                                   "facet.data": dataName, "facet.pipeline": steps.joined(separator: " | ")]
        m["facet.training"] = settings.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
        if let b = history.bestEpoch { m["facet.best_epoch"] = "\(b)" }
        if let preprocessing { m[ModelMetadataKey.preprocessing] = preprocessing }
        if let data = try? JSONSerialization.data(withJSONObject: labelNames, options: [.sortedKeys]) {
            m[ModelMetadataKey.labels] = String(decoding: data, as: UTF8.self)
        }
        return m
    }
}

/// A learning-rate schedule as a language value (`linear(0.0025, 0.001)`).
final class ScheduleValue: ForeignValue {
    let schedule: LearningRateSchedule
    init(_ s: LearningRateSchedule) { schedule = s }
    var typeName: String { "schedule" }
    var description: String {
        switch schedule {
        case let .constant(r): return "constant(\(formatNumber(r)))"
        case let .linear(a, b, n): return "linear(\(formatNumber(a)), \(formatNumber(b)), over: \(n))"
        }
    }
    func member(_ name: String) -> Value? { nil }
    var memberNames: [String] { [] }
}
