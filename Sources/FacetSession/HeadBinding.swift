import FacetEngine
import FacetLang
import Foundation

/// One head of a net bound to a data set: its targets and the names of its outputs.
///
/// The one rule, used by training, evaluation and the label names saved with a model:
/// - softmax head: the attribute of the same name, or — for a single-head net — the task's
///   attribute (`data.emotion`), or the data set's only attribute;
/// - sigmoid head: the joint non-exclusive labels: a yes/no label for each two-class attribute and
///   one label per class of the others, in the data set's attribute order (the stdlib's 37);
/// - regress head: the data set's regression targets.
struct HeadBinding {
    var head: HeadSpec
    /// Labels or values for every sample of the data set, in its order.
    var targets: HeadTargets
    /// Class names of a softmax head; label names of a sigmoid head; target names of a regression head.
    var names: [String]
    /// What to call the head in captions: its name, or the task's attribute for a single `out` head.
    var label: String

    /// Binds every head of `net` to `data`; throws when a head has no matching labels.
    static func bind(_ net: Network, to data: DatasetValue, task: TaskValue.Task?) throws -> [HeadBinding] {
        try net.heads.map { try bind($0.spec, single: net.heads.count == 1, to: data, task: task) }
    }

    static func bind(_ head: HeadSpec, single: Bool, to data: DatasetValue, task: TaskValue.Task?) throws -> HeadBinding {
        var label = head.name
        if label == "out", case let .attribute(a)? = task { label = a }
        if single, let task, let problem = kindMismatch(head, task, data) { throw KernelError(problem) }
        switch head.kind {
        case let .softmax(k):
            let a = try attribute(for: head, single: single, in: data, task: task)
            guard a.classes.count == k else {
                throw KernelError("head '\(head.name)' predicts \(k) classes, but \(data.name)'s \(a.name) has \(a.classes.count) (\(a.classes.joined(separator: ", ")))")
            }
            return HeadBinding(head: head, targets: .classes(a.labels), names: a.classes, label: label)
        case let .sigmoid(k):
            let names = jointLabelNames(data)
            guard names.count == k else {
                throw KernelError("head '\(head.name)' has \(k) labels, but \(data.name)'s joint labels number \(names.count) (\(names.prefix(8).joined(separator: ", "))…)")
            }
            return HeadBinding(head: head, targets: .multiLabel(jointLabels(data)), names: names, label: label)
        case let .regress(k):
            guard data.targetNames.count == k else {
                throw KernelError("head '\(head.name)' regresses \(k) values, but \(data.name) has \(data.targetNames.count) targets")
            }
            return HeadBinding(head: head, targets: .values(data.targets), names: data.targetNames, label: label)
        }
    }

    /// A head given a task of another kind (a regression head and class labels, a softmax head
    /// and regression targets), named both ways; nil when they match.
    static func kindMismatch(_ head: HeadSpec, _ task: TaskValue.Task, _ data: DatasetValue) -> String? {
        let headKind: String, taskKind: String
        switch head.kind {
        case let .softmax(k): headKind = "a class head (softmax \(k))"
        case let .sigmoid(k): headKind = "a joint-label head (sigmoid \(k))"
        case let .regress(k): headKind = "a regression head (regress \(k))"
        }
        switch task {
        case let .attribute(a): taskKind = "class labels (\(a))"
        case .joint: taskKind = "joint labels"
        case .regression: taskKind = "regression targets"
        }
        let matches: Bool
        switch (head.kind, task) {
        case (.softmax, .attribute), (.sigmoid, .joint), (.regress, .regression): matches = true
        default: matches = false
        }
        return matches ? nil : "head '\(head.name)' is \(headKind), but the task is \(taskKind) of \(data.name); "
            + "give a task of the head's kind or a net whose head matches the task"
    }

    /// The attribute a softmax head predicts (see the type's rule).
    private static func attribute(for head: HeadSpec, single: Bool, in data: DatasetValue,
                                  task: TaskValue.Task?) throws -> (name: String, labels: [Int32], classes: [String]) {
        if let a = data.attribute(head.name) { return a }
        if single, case let .attribute(name)? = task, let a = data.attribute(name) { return a }
        if single, task == nil, data.attributes.count == 1 { return data.attributes[0] }
        throw KernelError("head '\(head.name)' (softmax \(head.kind.outputs)) has no labels in \(data.name): it has "
            + (data.attributes.isEmpty ? "none" : data.attributes.map(\.name).joined(separator: ", "))
            + (single ? "; pass a task such as data.emotion" : ""))
    }

    /// One label for each two-class attribute, one per class for the others.
    static func jointLabelNames(_ data: DatasetValue) -> [String] {
        data.attributes.flatMap { a in a.classes.count == 2 ? ["\(a.name)=\(a.classes[1])"] : a.classes.map { "\(a.name)=\($0)" } }
    }

    /// Widths of the joint label blocks, one per attribute in order (1 for a two-class attribute).
    static func jointBlockWidths(_ data: DatasetValue) -> [Int] {
        data.attributes.map { $0.classes.count == 2 ? 1 : $0.classes.count }
    }

    /// count × width multi-hot; a missing attribute makes its block NaN.
    static func jointLabels(_ data: DatasetValue) -> [Float] {
        let widths = jointBlockWidths(data), width = widths.reduce(0, +)
        var out = [Float](repeating: 0, count: data.count * width)
        var offset = 0
        for (a, w) in zip(data.attributes, widths) {
            for i in 0..<data.count {
                let y = Int(a.labels[i])
                for j in 0..<w {
                    out[i * width + offset + j] = y < 0 ? .nan : (w == 1 ? Float(y) : (j == y ? 1 : 0))
                }
            }
            offset += w
        }
        return out
    }
}
