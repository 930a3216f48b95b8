import FacetEngine
import FacetLang
import Foundation

/// Matches a net's heads to a data set's labels.
///
/// - softmax head: the attribute of the same name, or — for a single-head net — the task's attribute;
/// - sigmoid head: the joint non-exclusive labels: a yes/no label for each two-class attribute and
///   one label per class of the others, in the data set's attribute order (the stdlib's 37);
/// - regress head: the data set's regression targets.
enum HeadTargetsBuilder {
    static func targets(for net: Network, data: DatasetValue, task: TaskValue.Task?) throws -> [String: HeadTargets] {
        var out: [String: HeadTargets] = [:]
        for head in net.heads {
            out[head.spec.name] = try targets(head: head.spec, single: net.heads.count == 1, data: data, task: task)
        }
        return out
    }

    static func targets(head: HeadSpec, single: Bool, data: DatasetValue, task: TaskValue.Task?) throws -> HeadTargets {
        switch head.kind {
        case let .softmax(k):
            var attr = data.attribute(head.name)
            if attr == nil, single, case let .attribute(a)? = task { attr = data.attribute(a) }
            if attr == nil, single, task == nil, data.attributes.count == 1 { attr = data.attributes[0] }
            guard let a = attr else {
                throw KernelError("head '\(head.name)' (softmax \(k)) has no labels in \(data.name): it has "
                    + (data.attributes.isEmpty ? "none" : data.attributes.map(\.name).joined(separator: ", "))
                    + (single ? "; pass a task such as data.emotion" : ""))
            }
            guard a.classes.count == k else {
                throw KernelError("head '\(head.name)' predicts \(k) classes, but \(data.name)'s \(a.name) has \(a.classes.count) (\(a.classes.joined(separator: ", ")))")
            }
            return .classes(a.labels)
        case let .sigmoid(k):
            let width = jointWidth(data)
            guard width == k else {
                throw KernelError("head '\(head.name)' has \(k) labels, but \(data.name)'s joint labels number \(width) (\(jointLabelNames(data).prefix(8).joined(separator: ", "))…)")
            }
            return .multiLabel(jointLabels(data))
        case let .regress(k):
            guard data.targetNames.count == k else {
                throw KernelError("head '\(head.name)' regresses \(k) values, but \(data.name) has \(data.targetNames.count) targets")
            }
            return .values(data.targets)
        }
    }

    /// One label for each two-class attribute, one per class for the others.
    static func jointWidth(_ data: DatasetValue) -> Int {
        data.attributes.reduce(0) { $0 + ($1.classes.count == 2 ? 1 : $1.classes.count) }
    }

    static func jointLabelNames(_ data: DatasetValue) -> [String] {
        data.attributes.flatMap { a in a.classes.count == 2 ? ["\(a.name)=\(a.classes[1])"] : a.classes.map { "\(a.name)=\($0)" } }
    }

    /// count × width multi-hot; a missing attribute makes its block NaN.
    static func jointLabels(_ data: DatasetValue) -> [Float] {
        let width = jointWidth(data)
        var out = [Float](repeating: 0, count: data.count * width)
        var offset = 0
        for a in data.attributes {
            let w = a.classes.count == 2 ? 1 : a.classes.count
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
