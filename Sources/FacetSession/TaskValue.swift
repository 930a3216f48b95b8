import FacetLang
import FacetVision

/// One learning task drawn from a data set: an attribute (softmax), all attributes as joint
/// non-exclusive labels (sigmoid), or the regression targets.
public final class TaskValue: ForeignValue, Renderable {
    public enum Task: Equatable { case attribute(String), joint, regression }
    public let data: DatasetValue
    public let task: Task
    init(data: DatasetValue, task: Task) { self.data = data; self.task = task }

    public var typeName: String { "task" }
    public var description: String {
        switch task {
        case let .attribute(a): return "task \(a) of \(data.name)"
        case .joint: return "joint labels of \(data.name)"
        case .regression: return "regression targets of \(data.name)"
        }
    }

    /// `count` (samples), `labels` (one per sample, in the data's order; none where missing),
    /// `classes` (class names; joint label names) or `targets` (regression), and the parts.
    public func member(_ name: String) -> Value? {
        switch name {
        case "train", "valid", "test":
            guard case let .foreign(d)? = data.member(name), let sub = d as? DatasetValue else { return nil }
            return .foreign(TaskValue(data: sub, task: task))
        case "count": return .number(Double(data.count))
        case "labels": return .list(labels)
        case "classes":
            switch task {
            case let .attribute(a): return .list((data.attribute(a)?.classes ?? []).map { .string($0) })
            case .joint: return .list(HeadBinding.jointLabelNames(data).map { .string($0) })
            case .regression: return nil
            }
        case "targets": return task == .regression ? .list(data.targetNames.map { .string($0) }) : nil
        default: return nil
        }
    }

    public var memberNames: [String] {
        ["count", "labels", task == .regression ? "targets" : "classes"] + (data.isSplit ? ["train", "valid", "test"] : [])
    }

    /// One label per sample: a class name (attribute), a record of class names (joint), or a list
    /// of target values (regression); none where missing.
    var labels: [Value] {
        switch task {
        case let .attribute(a):
            guard let attribute = data.attribute(a) else { return [] }
            return attribute.labels.map { $0 >= 0 ? .string(attribute.classes[Int($0)]) : .none }
        case .joint:
            return (0..<data.count).map { i in
                .record(Record(data.attributes.map { a in (a.name, a.labels[i] >= 0 ? Value.string(a.classes[Int(a.labels[i])]) : .none) }))
            }
        case .regression:
            let k = data.targetNames.count
            return (0..<data.count).map { i in
                .list((0..<k).map { j in let t = data.targets[i * k + j]; return t.isNaN ? .none : .number(Double(t)) })
            }
        }
    }

    /// The class counts per part (attribute and joint tasks) or the targets (regression), and the size.
    public func render(in session: Session) -> [OutputItem] {
        var md = "**\(description)** — \(data.count) samples"
        if data.isSplit { md += " (" + data.parts.map { "\($0.name) \($0.indices.count)" }.joined(separator: ", ") + ")" }
        md += "\n\n"
        switch task {
        case let .attribute(a): md += data.countsTable([a])
        case .joint: md += data.countsTable(data.face.attributes)
        case .regression: md += "\(data.targetNames.count) targets: " + data.targetNames.joined(separator: ", ") + "\n"
        }
        return [.markdown(md)]
    }
}
