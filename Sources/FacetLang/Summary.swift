import FacetEngine
import Foundation

/// One row of a net summary.
public struct SummaryRow: Sendable {
    public var layer: String
    public var output: FeatureShape
    public var parameters: Int
    public var flops: Int
    /// Bytes of Float32 activations this layer outputs, per sample.
    public var memory: Int
    /// Where the layer was written (`paper.facet:5:3`).
    public var site: String
}

/// Per-layer shapes, parameters, FLOPs and activation memory of a net with an input
/// (what Keras' summary, Darknet's load table and Caffe's shape log show, in one), then the
/// memory training it needs. The numbers
/// are the engine's (`NetSpec.rows`); this adds each row's label and source line.
public func summaryRows(_ net: NetValue) -> [SummaryRow]? {
    guard let spec = net.spec, let rows = try? spec.rows() else { return nil }
    return rows.map { row in
        let label: String, site: Site?
        switch row.part {
        case .input: (label, site) = ("input \(spec.input)", net.inputSite)
        case let .layer(i): (label, site) = (spec.layers[i].text, net.layerSites[i])
        case let .head(i):
            let head = spec.heads[i]
            label = head.name == "out" && spec.heads.count == 1 ? head.kind.text : "\(head.name): \(head.kind.text)"
            site = net.headSites[i]
        }
        let c = row.counts
        return SummaryRow(layer: label, output: c.output, parameters: c.parameters, flops: c.flops, memory: c.memory,
                          site: site.map(shortSite) ?? "")
    }
}

/// The summary as a text table with totals; an error when the net has no `input`.
public func summaryTable(_ net: NetValue, at range: SourceRange) throws -> String {
    let t = try SummaryText(net, at: range)
    let rightAligned: Set<Int> = [0, 3, 4, 5]
    let table = [t.header] + t.rows + [t.total]
    let widths = (0..<t.header.count).map { c in table.map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { c, s in
            let pad = String(repeating: " ", count: widths[c] - s.count)
            return rightAligned.contains(c) ? pad + s : s + pad
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
    var out = [t.title + "  " + t.location, line(t.header), rule]
    out += t.rows.map(line)
    out += [rule, line(t.total)]
    return (out + t.notes).joined(separator: "\n")
}

/// The summary as Markdown, for front ends that render it (Jupyter): the call and where the net
/// is defined, the layer table, then each note as a paragraph, so a long note wraps between words.
public func summaryMarkdown(_ net: NetValue, at range: SourceRange) throws -> String {
    let t = try SummaryText(net, at: range)
    func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
    }
    var total = t.total
    total[1] = "**total**"
    var out = ["`\(t.title)` — defined at `\(t.location)`", "", row(t.header), "|--:|---|---|--:|--:|--:|---|"]
    out += t.rows.map(row)
    out.append(row(total))
    for note in t.notes { out += ["", note] }
    return out.joined(separator: "\n")
}

/// The cells and notes of a summary, rendered as text (`summaryTable`) or Markdown (`summaryMarkdown`).
struct SummaryText {
    var title: String, location: String
    var header = ["#", "layer", "output", "params", "FLOPs", "memory", "source"]
    var rows: [[String]], total: [String], notes: [String]

    init(_ net: NetValue, at range: SourceRange) throws {
        guard let rows = summaryRows(net) else {
            throw Diagnostic(range, "net `\(net.name)` has no `input`, so it has no shapes",
                             hint: "`use` it inside a net that starts with `input`")
        }
        title = net.call
        location = shortLocation(net.definedAt)
        self.rows = rows.enumerated().map { i, r in
            ["\(i)", r.layer, r.output.description, grouped(r.parameters), grouped(r.flops), bytes(r.memory), r.site]
        }
        let params = rows.reduce(0) { $0 + $1.parameters }, flops = rows.reduce(0) { $0 + $1.flops }
        let memory = rows.reduce(0) { $0 + $1.memory }
        total = ["", "total", "", grouped(params), grouped(flops), bytes(memory), ""]
        notes = ["params \(grouped(params)) (\(bytes(4 * params)) of Float32 weights), FLOPs \(grouped(flops)) per sample, "
                 + "activations \(bytes(memory)) per sample"]
        if let spec = net.spec { notes += trainingMemoryLines(spec) }
    }
}

/// `stdlib/paper.facet:20:5`: relative to the working folder when the file is under it, else the
/// file's folder and name — not the absolute path of the machine it ran on.
func shortLocation(_ range: SourceRange) -> String {
    let name = range.file.name
    var shown = name.hasPrefix("/") ? displayPath(URL(fileURLWithPath: name)) : name
    if shown.hasPrefix("/") { shown = shown.split(separator: "/").suffix(2).joined(separator: "/") }
    return "\(shown):\(range.line):\(range.column)"
}

/// What training at `train`'s default batch needs (docs/engine.md, "Memory") and how it compares
/// with the memory limit: the same estimate `train` refuses a net by.
func trainingMemoryLines(_ spec: NetSpec, batch: Int = 100) -> [String] {
    guard let sgd = try? spec.memory(.training(batch: batch, optimizer: .paperSGD)),
          let adam = try? spec.memory(.training(batch: batch, optimizer: .defaultAdam)) else { return [] }
    let limit = MemoryLimit.current
    let largest = sgd.largestBatch(within: limit)
    var fit = sgd.total <= limit.bytes ? "fits \(limit.described)" : "does not fit \(limit.described)"
    if let largest { fit += "; batches of up to \(grouped(largest)) fit" } else { fit += " at any batch" }
    return ["training at batch \(batch) needs \(formatBytes(sgd.total)) with sgd (\(sgd.breakdown)); "
            + "adam adds \(formatBytes(adam.total - sgd.total))",
            fit + "; the largest part is \(sgd.largestLabel) with \(formatBytes(sgd.largestBytes))"]
}

/// `1234567` → `1,234,567`
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// `9216` → `9.0 KiB` (the engine's one byte format).
func bytes(_ n: Int) -> String { formatBytes(Double(n)) }

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// `paper.facet:9`, or `paper.facet:9 (use at 20)` for a layer that came through `use`.
func shortSite(_ site: Site) -> String {
    let name = site.range.file.name.split(separator: "/").last.map(String.init) ?? site.range.file.name
    var s = "\(name):\(site.range.line)"
    if !site.usedAt.isEmpty { s += " (use at " + site.usedAt.map { "\($0.line)" }.joined(separator: ", ") + ")" }
    return s
}
