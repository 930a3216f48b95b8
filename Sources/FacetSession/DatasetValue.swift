import FacetEngine
import FacetLang
import FacetVision
import Foundation

/// The language's `dataset` value: a FacetVision `FaceDataset` (crops, labels, targets, splits,
/// contrast normalisation applied on read) plus what the session knows about it: a name, whether it
/// has been split yet, the pipeline steps applied, and whether it still holds raw scenes.
public final class DatasetValue: ForeignValue, Renderable {
    public let name: String
    public let face: FaceDataset
    /// False until `split` (or a source's own split) assigned train/valid/test.
    public let isSplit: Bool
    /// Raw scenes that still need `align`.
    public let isScene: Bool
    /// Pipeline steps applied, in order (they travel into saved models' metadata).
    public let steps: [String]
    public let fingerprint: String
    /// How faces were (or, for rendered crops, are framed as if) detected and aligned; nil for raw scenes.
    public let pipeline: FacePipeline?

    init(name: String, face: FaceDataset, isSplit: Bool, isScene: Bool = false, steps: [String], fingerprint: String? = nil,
         pipeline: FacePipeline?) {
        self.name = name; self.face = face; self.isSplit = isSplit; self.isScene = isScene; self.steps = steps
        self.fingerprint = fingerprint ?? DatasetValue.fingerprint(of: face)
        self.pipeline = pipeline
    }

    /// A derived data set (same fingerprint lineage: the source's fingerprint plus the step).
    func derived(_ face: FaceDataset, step: String, isSplit: Bool? = nil, isScene: Bool? = nil, name: String? = nil,
                 pipeline: FacePipeline? = nil) -> DatasetValue {
        var framing = pipeline ?? self.pipeline
        if pipeline == nil, face.size != self.face.size { framing?.size = face.size }
        return DatasetValue(name: name ?? self.name, face: face, isSplit: isSplit ?? self.isSplit, isScene: isScene ?? self.isScene,
                            steps: steps + [step], fingerprint: fingerprint, pipeline: framing)
    }

    /// What a model trained on these data needs to prepare a new photo the same way; nil for raw scenes.
    public var preprocessing: FacePreprocessing? { pipeline.map { face.preprocessing(pipeline: $0) } }

    /// `preprocessing` as saved in model metadata.
    public var preprocessingJSON: String? { try? preprocessing?.json() }

    public var size: Int { face.size }
    public var count: Int { face.count }

    /// Attributes with their labels and class names, in the data set's order.
    public var attributes: [(name: String, labels: [Int32], classes: [String])] {
        face.attributes.map { ($0, face.labels[$0] ?? [], face.classes[$0] ?? []) }
    }
    public func attribute(_ name: String) -> (name: String, labels: [Int32], classes: [String])? {
        attributes.first { $0.name == name }
    }
    public var targetNames: [String] { face.targetNames }
    public var targets: [Float] { face.targets }

    /// Sample indices of one part; empty before `split`.
    public func indices(_ part: Split) -> [Int] { isSplit ? face.indices(in: part) : [] }

    /// Inputs as an engine tensor [N, 1, size, size], contrast normalisation applied.
    public func tensor(_ indices: [Int]) -> Tensor {
        var data = [Float](repeating: 0, count: indices.count * size * size)
        data.withUnsafeMutableBufferPointer { face.copyPixels(indices, into: $0) }
        return Tensor(shape: [indices.count, 1, size, size], data: data)
    }

    /// FNV-1a over the crop bytes and labels: what the report footer prints to identify data.
    static func fingerprint(of face: FaceDataset) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        for i in 0..<face.count { for b in face.crops.crop(i) { mix(b) } }
        for a in face.attributes { for l in face.labels[a] ?? [] { mix(UInt8(truncatingIfNeeded: l)) } }
        return String(h, radix: 16)
    }

    // MARK: ForeignValue

    public var typeName: String { "dataset" }
    public var description: String {
        var s = "dataset \(name): \(count) \(isScene ? "scenes \(size)x\(size)" : "faces \(size)x\(size)")"
        if isSplit { s += " (" + Split.allCases.map { "\($0) \(face.indices(in: $0).count)" }.joined(separator: ", ") + ")" }
        if !face.attributes.isEmpty { s += "; labels: " + attributes.map { "\($0.name) (\($0.classes.count))" }.joined(separator: ", ") }
        if !targetNames.isEmpty { s += "; \(targetNames.count) regression targets" }
        return s
    }

    public func member(_ name: String) -> Value? {
        switch name {
        case "count": return .number(Double(count))
        case "size": return .number(Double(size))
        case "train", "valid", "test":
            guard isSplit, let part = Split(name: name), let sub = try? face.subset(face.indices(in: part)) else { return nil }
            return .foreign(DatasetValue(name: "\(self.name).\(name)", face: sub, isSplit: true, isScene: isScene,
                                         steps: steps, fingerprint: fingerprint, pipeline: pipeline))
        case "attributes": return .list(face.attributes.map { .string($0) })
        case "classes": return .record(Record(attributes.map { (name: $0.name, value: .list($0.classes.map { .string($0) })) }))
        case "targets": return .list(targetNames.map { .string($0) })
        case "aam", "regression": return targetNames.isEmpty ? nil : .foreign(TaskValue(data: self, task: .regression))
        case "joint": return face.attributes.isEmpty ? nil : .foreign(TaskValue(data: self, task: .joint))
        default:
            return attribute(name) != nil ? .foreign(TaskValue(data: self, task: .attribute(name))) : nil
        }
    }

    public var memberNames: [String] {
        ["count", "size", "attributes", "classes", "targets", "aam", "joint"] + (isSplit ? ["train", "valid", "test"] : [])
            + face.attributes
    }

    public func render(in session: Session) -> [OutputItem] {
        var md = "**\(name)** — \(count) \(isScene ? "scenes" : "faces"), \(size)×\(size)"
        if !steps.isEmpty { md += "; pipeline: " + steps.joined(separator: " → ") }
        md += "\n\n" + markdownTable([["part", "samples"]] + parts.map { [$0.name, "\($0.indices.count)"] })
        if !face.attributes.isEmpty { md += "\n" + countsTable(face.attributes) }
        if !targetNames.isEmpty { md += "\n\(targetNames.count) regression targets: " + targetNames.joined(separator: ", ") + "\n" }
        let summary = face.summary.lines(limit: 8)
        if !summary.isEmpty { md += "\n" + summary.map { "- " + $0 }.joined(separator: "\n") }
        return [.markdown(md)]
    }

    /// The parts counted in tables: train, valid and test once split (without the empty ones, so
    /// `data.test` shows one column), else all samples.
    var parts: [(name: String, indices: [Int])] {
        let split = isSplit ? Split.allCases.map { (name: "\($0)", indices: face.indices(in: $0)) }.filter { !$0.indices.isEmpty } : []
        return split.isEmpty ? [("all", Array(0..<count))] : split
    }

    /// The counts table of the named attributes over `parts`, with a total column when split.
    func countsTable(_ names: [String]) -> String {
        CountsTable(face, attributes: names, parts: parts).markdown(total: parts.count > 1)
    }
}

/// A plain Markdown table from rows of cells (first row is the header).
func markdownTable(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var md = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
    for r in rows.dropFirst() { md += "| " + r.joined(separator: " | ") + " |\n" }
    return md
}
