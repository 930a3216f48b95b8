import FacetEngine

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
    guard let rows = summaryRows(net) else {
        throw Diagnostic(range, "net `\(net.name)` has no `input`, so it has no shapes",
                         hint: "`use` it inside a net that starts with `input`")
    }
    var table: [[String]] = [["#", "layer", "output", "params", "FLOPs", "memory", "source"]]
    for (i, r) in rows.enumerated() {
        table.append(["\(i)", r.layer, r.output.description, grouped(r.parameters), grouped(r.flops), bytes(r.memory),
                      r.site])
    }
    let params = rows.reduce(0) { $0 + $1.parameters }, flops = rows.reduce(0) { $0 + $1.flops }
    let memory = rows.reduce(0) { $0 + $1.memory }
    table.append(["", "total", "", grouped(params), grouped(flops), bytes(memory), ""])
    let rightAligned: Set<Int> = [0, 3, 4, 5]
    let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { c, s in
            let pad = String(repeating: " ", count: widths[c] - s.count)
            return rightAligned.contains(c) ? pad + s : s + pad
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    var out = [net.call + "  " + net.definedAt.description, line(table[0])]
    out.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
    out += table.dropFirst().dropLast().map(line)
    out.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
    out.append(line(table.last!))
    out.append("params \(grouped(params)) (\(bytes(4 * params)) of Float32 weights), FLOPs \(grouped(flops)) per sample, "
               + "activations \(bytes(memory)) per sample")
    if let spec = net.spec { out += trainingMemoryLines(spec) }
    return out.joined(separator: "\n")
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
