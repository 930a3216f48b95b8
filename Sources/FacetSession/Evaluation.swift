import FacetEngine
import FacetLang
import FacetReport
import Foundation

/// A network's outputs on a data set next to the labels, per head.
struct HeadEvaluation {
    var binding: HeadBinding
    /// n × k outputs (probabilities / sigmoid values / regression values).
    var outputs: [Float]

    var head: HeadSpec { binding.head }
    var targets: HeadTargets { binding.targets }
    var names: [String] { binding.names }
    var label: String { binding.label }
    var width: Int { head.kind.outputs }
    var count: Int { outputs.count / max(1, width) }

    /// Softmax heads: scores and labels of the labelled samples.
    func classification() throws -> ClassificationReport {
        guard case let .classes(labels) = targets else { throw KernelError("head '\(head.name)' is not a softmax head") }
        var scores: [[Double]] = [], ys: [Int] = []
        for i in 0..<count where labels[i] >= 0 {
            scores.append((0..<width).map { Double(outputs[i * width + $0]) })
            ys.append(Int(labels[i]))
        }
        guard !ys.isEmpty else { throw KernelError("no labelled samples for head '\(head.name)'") }
        return try ClassificationReport(scores: scores, labels: ys, classes: names)
    }

    /// Regression heads: predicted and actual rows (samples with any missing target are skipped).
    func regressionRows() throws -> (predicted: [[Double]], actual: [[Double]]) {
        guard case let .values(t) = targets else { throw KernelError("head '\(head.name)' is not a regression head") }
        var p: [[Double]] = [], a: [[Double]] = []
        for i in 0..<count {
            let row = (0..<width).map { Double(t[i * width + $0]) }
            if row.contains(where: { $0.isNaN }) { continue }
            a.append(row)
            p.append((0..<width).map { Double(outputs[i * width + $0]) })
        }
        return (p, a)
    }
}

/// Runs `network` over every sample of `data` and pairs each head's outputs with its labels.
func evaluate(_ network: NetworkValue, _ data: DatasetValue, task: TaskValue.Task?) throws -> [HeadEvaluation] {
    guard !data.isScene else { throw KernelError("\(data.name) holds raw scenes; align them first") }
    guard data.count > 0 else { throw KernelError("\(data.name) is empty") }
    let net = network.network
    let outputs = try net.predict(data.tensor(Array(0..<data.count)), batchSize: 100)
    return try HeadBinding.bind(net, to: data, task: task).map { b in
        HeadEvaluation(binding: b, outputs: outputs[b.head.name]!.data)
    }
}

/// The head a metric talks about: named, else the task's, else the only/first of the right kind.
func pickHead(_ evals: [HeadEvaluation], named: String?, task: TaskValue.Task?, kind: String,
              range: SourceRange) throws -> HeadEvaluation {
    let ofKind = evals.filter { $0.head.kind.keyword == kind }
    if let named {
        guard let e = evals.first(where: { $0.head.name == named }) else {
            throw Diagnostic(range, "no head named '\(named)'", hint: didYouMeanText(named, evals.map(\.head.name)))
        }
        return e
    }
    if case let .attribute(a)? = task, let e = ofKind.first(where: { $0.head.name == a }) { return e }
    guard let e = ofKind.first else {
        throw Diagnostic(range, "this network has no \(kind) head (heads: \(evals.map { "\($0.head.name): \($0.head.kind.text)" }.joined(separator: ", ")))")
    }
    return e
}

func didYouMeanText(_ name: String, _ candidates: [String]) -> String? {
    suggestion(for: name, among: candidates).map { "did you mean '\($0)'?" }
}
