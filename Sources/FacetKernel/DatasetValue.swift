import FacetEngine
import FacetLang
import Foundation

/// Which part of a data set a sample belongs to.
public enum SplitPart: UInt8, Sendable, CaseIterable {
    case train = 0, valid = 1, test = 2
    public var name: String { ["train", "valid", "test"][Int(rawValue)] }
}

/// A labelled attribute of a data set: class index per sample (−1 missing) and class names.
public struct Attribute: Sendable {
    public var name: String
    public var labels: [Int32]
    public var classes: [String]
}

/// The language's `dataset` value: aligned grayscale crops with labels, regression targets and a
/// train/valid/test assignment. Pipeline steps return new values; nothing is mutated in place.
public final class DatasetValue: ForeignValue, Renderable {
    public let name: String
    /// Crops are size × size × 1.
    public let size: Int
    public let count: Int
    /// count × size × size, row-major.
    public let pixels: [Float]
    public let attributes: [Attribute]
    /// Regression target names (e.g. AAM coefficients, yaw, pitch) and count × k values (NaN missing).
    public let targetNames: [String]
    public let targets: [Float]
    /// nil until `split`.
    public let split: [SplitPart]?
    /// What the preprocessing did (faces found, fallbacks, failures), for reports.
    public let notes: [String]
    public let fingerprint: String
    /// Pipeline steps applied, in order (travels into model metadata).
    public let steps: [String]
    /// Raw scenes that still need `align`.
    public let isScene: Bool
    /// Source images of scenes (for `align`), parallel to samples; nil for crops.
    public let sceneSource: SceneSource?

    public init(name: String, size: Int, count: Int, pixels: [Float], attributes: [Attribute], targetNames: [String] = [],
                targets: [Float] = [], split: [SplitPart]? = nil, notes: [String] = [], fingerprint: String,
                steps: [String] = [], isScene: Bool = false, sceneSource: SceneSource? = nil) {
        precondition(pixels.count == count * size * size || isScene, "dataset \(name): pixel count does not match")
        self.name = name; self.size = size; self.count = count; self.pixels = pixels; self.attributes = attributes
        self.targetNames = targetNames; self.targets = targets; self.split = split; self.notes = notes
        self.fingerprint = fingerprint; self.steps = steps; self.isScene = isScene; self.sceneSource = sceneSource
    }

    /// A copy with some fields replaced.
    public func with(name: String? = nil, size: Int? = nil, pixels: [Float]? = nil, split: [SplitPart]?? = nil,
                     notes: [String]? = nil, step: String? = nil, keep: [Int]? = nil) -> DatasetValue {
        let newSize = size ?? self.size
        if let keep {
            let per = self.size * self.size
            var px = [Float](); px.reserveCapacity(keep.count * per)
            let source = pixels ?? self.pixels
            for i in keep { px += source[(i * per)..<((i + 1) * per)] }
            let k = targetNames.count
            return DatasetValue(
                name: name ?? self.name, size: newSize, count: keep.count, pixels: px,
                attributes: attributes.map { a in Attribute(name: a.name, labels: keep.map { a.labels[$0] }, classes: a.classes) },
                targetNames: targetNames, targets: keep.flatMap { i in targets[(i * k)..<((i + 1) * k)] },
                split: (split ?? self.split).map { s in keep.map { s[$0] } }, notes: notes ?? self.notes,
                fingerprint: fingerprint, steps: steps + (step.map { [$0] } ?? []), isScene: isScene, sceneSource: nil)
        }
        return DatasetValue(name: name ?? self.name, size: newSize, count: count, pixels: pixels ?? self.pixels,
                            attributes: attributes, targetNames: targetNames, targets: targets,
                            split: split ?? self.split, notes: notes ?? self.notes, fingerprint: fingerprint,
                            steps: steps + (step.map { [$0] } ?? []), isScene: isScene && pixels == nil, sceneSource: sceneSource)
    }

    public func indices(_ part: SplitPart) -> [Int] {
        guard let split else { return [] }
        return (0..<count).filter { split[$0] == part }
    }

    public func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }

    /// Inputs as an engine tensor [N, 1, size, size] for the given samples.
    public func tensor(_ indices: [Int]) -> Tensor {
        let per = size * size
        var data = [Float](repeating: 0, count: indices.count * per)
        pixels.withUnsafeBufferPointer { src in data.withUnsafeMutableBufferPointer { dst in
            for (j, i) in indices.enumerated() {
                (dst.baseAddress! + j * per).update(from: src.baseAddress! + i * per, count: per)
            }
        } }
        return Tensor(shape: [indices.count, 1, size, size], data: data)
    }

    // MARK: ForeignValue

    public var typeName: String { "dataset" }
    public var description: String {
        var s = "dataset \(name): \(count) \(isScene ? "scenes" : "faces \(size)x\(size)")"
        if let split {
            let c = SplitPart.allCases.map { p in "\(p.name) \(split.filter { $0 == p }.count)" }
            s += " (" + c.joined(separator: ", ") + ")"
        }
        if !attributes.isEmpty { s += "; labels: " + attributes.map { "\($0.name) (\($0.classes.count))" }.joined(separator: ", ") }
        if !targetNames.isEmpty { s += "; targets: \(targetNames.count)" }
        return s
    }

    public func member(_ name: String) -> Value? {
        switch name {
        case "count": return .number(Double(count))
        case "size": return .number(Double(size))
        case "train", "valid", "test":
            guard split != nil else { return nil }
            let part = SplitPart.allCases.first { $0.name == name }!
            return .foreign(with(name: "\(self.name).\(name)", keep: indices(part)))
        case "attributes": return .list(attributes.map { .string($0.name) })
        case "classes": return .record(Record(attributes.map { (name: $0.name, value: .list($0.classes.map { .string($0) })) }))
        case "targets": return .list(targetNames.map { .string($0) })
        default:
            if attribute(name) != nil { return .foreign(TaskValue(data: self, task: .attribute(name))) }
            if name == "aam" || name == "regression" { return .foreign(TaskValue(data: self, task: .regression)) }
            if name == "joint" { return .foreign(TaskValue(data: self, task: .joint)) }
            return nil
        }
    }

    public var memberNames: [String] {
        ["count", "size", "attributes", "classes", "targets", "aam", "joint"] + (split == nil ? [] : ["train", "valid", "test"])
            + attributes.map(\.name)
    }

    public func render(in session: Session) -> [OutputItem] {
        var rows = [["split", "samples"] + attributes.map(\.name)]
        let parts: [(String, [Int])] = split == nil ? [("all", Array(0..<count))] : SplitPart.allCases.map { ($0.name, indices($0)) }
        for (label, idx) in parts {
            rows.append([label, "\(idx.count)"] + attributes.map { a in
                let known = idx.filter { a.labels[$0] >= 0 }.count
                return known == idx.count ? "\(a.classes.count) classes" : "\(known) labelled"
            })
        }
        var md = "**\(name)** — \(count) \(isScene ? "scenes" : "faces, \(size)×\(size)")"
        if !steps.isEmpty { md += ", pipeline: " + steps.joined(separator: " → ") }
        md += "\n\n" + markdownTable(rows)
        for n in notes { md += "\n\n" + n }
        return [.markdown(md)]
    }
}

/// One learning task drawn from a data set: an attribute (softmax), all attributes as joint
/// non-exclusive labels (sigmoid), or the regression targets.
public final class TaskValue: ForeignValue {
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
    public func member(_ name: String) -> Value? {
        guard ["train", "valid", "test"].contains(name), case let .foreign(d)? = data.member(name),
              let sub = d as? DatasetValue else { return nil }
        return .foreign(TaskValue(data: sub, task: task))
    }
    public var memberNames: [String] { ["train", "valid", "test"] }
}

/// A plain Markdown table from rows of cells (first row is the header).
func markdownTable(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var md = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
    for r in rows.dropFirst() { md += "| " + r.joined(separator: " | ") + " |\n" }
    return md
}

/// Scene images kept for `align` (raw synthetic scenes or photo paths).
public struct SceneSource: Sendable {
    public var width: Int, height: Int
    /// count × height × width gray values 0…255, when scenes are in memory.
    public var pixels: [UInt8]
}
