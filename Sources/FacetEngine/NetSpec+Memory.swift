// MARK: Memory a net needs, before anything is allocated

/// What is about to be done with a net, for estimating the memory it takes.
public enum MemoryUse: Equatable, Sendable {
    /// `Network(spec:seed:)`: every parameter's values and its gradient buffer.
    case instantiate
    /// `Network.load` (FacetWeights): the file's tensors as read, then the built net they are copied into.
    case load
    /// Forward passes over `batch` samples without training (`predict`).
    case inference(batch: Int)
    /// Training steps over `batch` samples; `keepsBestWeights` for `Trainer.train`, which holds a
    /// copy of the best weights so far (the benchmark does not).
    case training(batch: Int, optimizer: OptimizerKind, keepsBestWeights: Bool = true)

    var batch: Int {
        switch self {
        case .instantiate, .load: return 0
        case let .inference(b), let .training(b, _, _): return b
        }
    }

    /// "training at batch 100 with sgd", as messages name it.
    public var described: String {
        switch self {
        case .instantiate: return "building this net"
        case .load: return "loading this model"
        case let .inference(b): return "predicting in batches of \(b)"
        case let .training(b, optimizer, _):
            if case .adam = optimizer { return "training at batch \(b) with adam" }
            return "training at batch \(b) with sgd"
        }
    }
}

/// Bytes one use of a net needs, part by part, and the row of the net that needs the most.
public struct MemoryEstimate: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public var name: String
        public var bytes: Double
    }

    public var use: MemoryUse
    /// Weights, gradients, optimizer state, … in the order messages list them.
    public var parts: [Part]
    /// Activation bytes each sample of the batch adds.
    public var bytesPerSample: Double
    /// The row that needs the most (its weight copies and its activations), named and sized.
    public var largest: NetSpec.Part
    public var largestLabel: String
    public var largestBytes: Double

    public var total: Double { parts.reduce(0) { $0 + $1.bytes } }

    /// "weights 1.0 MiB, gradients 1.0 MiB, momentum 1.0 MiB, …"
    public var breakdown: String { parts.map { "\($0.name) \(formatBytes($0.bytes))" }.joined(separator: ", ") }

    /// The largest batch that fits `limit` with everything else this use needs; nil when none does.
    public func largestBatch(within limit: MemoryLimit) -> Int? {
        let fixed = parts.filter { $0.name != "activations" }.reduce(0) { $0 + $1.bytes }
        guard bytesPerSample > 0, limit.bytes > fixed else { return nil }
        let n = ((limit.bytes - fixed) / bytesPerSample).rounded(.down)
        return n >= 1 ? Int(min(n, 1e15)) : nil
    }

    /// Why this use does not fit `limit`; nil when it fits.
    public func problem(within limit: MemoryLimit = .current) -> MemoryProblem? {
        total > limit.bytes ? MemoryProblem(estimate: self, limit: limit) : nil
    }

    /// Throws `EngineError.memory` when this use would need more than `limit`.
    public func check(_ limit: MemoryLimit = .current) throws {
        if let problem = problem(within: limit) { throw EngineError.memory(problem) }
    }
}

/// A use of a net that does not fit the memory limit: what was refused and why.
public struct MemoryProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var estimate: MemoryEstimate
    public var limit: MemoryLimit

    public var description: String {
        let e = estimate
        var s = "\(e.use.described) needs \(formatBytes(e.total)) (\(e.breakdown)), more than \(limit.described); "
            + "the largest part is \(e.largestLabel) with \(formatBytes(e.largestBytes))"
        if e.use.batch > 1, let n = e.largestBatch(within: limit) { s += "; batches of at most \(n) fit" }
        return s
    }
}

extension NetSpec {
    /// One row's share: trainable values, Float32 values per sample kept from forward until
    /// backward, values per sample alive only while it runs (its output gradient and input
    /// gradient), and scratch for a given batch.
    struct RowMemory {
        var part: Part, label: String, parameters: Double, kept: Double, transient: Double, scratch: Double
    }

    func rowMemory(batch: Int) throws -> [RowMemory] {
        let rows = try rows()
        let features = Double(rows.last { if case .head = $0.part { return false } else { return true } }!.counts.output.count)
        return rows.enumerated().map { i, row in
            let y = row.counts.output, p = Double(row.counts.parameters)
            switch row.part {
            case .input:
                return RowMemory(part: .input, label: "the input \(input)", parameters: 0, kept: Double(y.count),
                                 transient: 0, scratch: 0)
            case let .layer(l):
                // Numbered as the summary table numbers its rows (`#`, the input is row 0), so
                // "the largest part is layer 1" points at the table's row 1.
                let x = rows[i - 1].counts.output, rule = layers[l].rule, kept = rule.kept(x, y)
                return RowMemory(part: row.part, label: "layer \(i) `\(rule.text)`", parameters: p, kept: kept,
                                 transient: kept == 0 ? 0 : Double(x.count) + Double(y.count),
                                 scratch: rule.scratch(x, y, batch))
            case let .head(h):
                // Kept: logits, outputs and the loss gradient. Backward: the head's input gradient
                // and the features' gradient that every head adds into.
                return RowMemory(part: row.part, label: "head `\(heads[h].name)` (\(heads[h].kind.text))", parameters: p,
                                 kept: 3 * Double(y.count), transient: 2 * features, scratch: 0)
            }
        }
    }

    /// Bytes `use` needs, by part (formula in docs/engine.md, "Memory"). Throws `LayerShapeError`
    /// like `rows()`. Sizes are Doubles: a net far too large to build gets a number, not a trap.
    public func memory(_ use: MemoryUse) throws -> MemoryEstimate {
        let batch = Double(use.batch)
        let rows = try rowMemory(batch: use.batch)
        let weights = 4 * rows.reduce(0) { $0 + $1.parameters }
        var parts = [MemoryEstimate.Part(name: "weights", bytes: weights), .init(name: "gradients", bytes: weights)]
        var training = false
        switch use {
        case .instantiate, .inference: break
        case .load: parts.append(.init(name: "tensors read from the file", bytes: weights))
        case let .training(_, optimizer, keepsBest):
            training = true
            if case .adam = optimizer { parts.append(.init(name: "Adam moments", bytes: 2 * weights)) }
            else { parts.append(.init(name: "momentum", bytes: weights)) }
            if keepsBest { parts.append(.init(name: "best-weights copy", bytes: weights)) }
        }
        let copies = parts.reduce(0) { $0 + $1.bytes } / max(weights, 1)
        // Training keeps every row's forward state until backward; inference frees each output once
        // the next layer has read it. Either way one row's transient buffers come on top.
        let peak = rows.map(\.transient).max() ?? 0
        let perSample = 4 * ((training ? rows.reduce(0) { $0 + $1.kept } : rows[0].kept) + peak)
        let scratch = 4 * (rows.map(\.scratch).max() ?? 0)
        if batch > 0 {
            parts.append(.init(name: "activations", bytes: batch * perSample))
            if scratch > 0 { parts.append(.init(name: "scratch", bytes: scratch)) }
        }
        let share = rows.map { 4 * copies * $0.parameters + 4 * batch * (training ? $0.kept : $0.transient) }
        let top = share.indices.max { share[$0] < share[$1] } ?? 0
        return MemoryEstimate(use: use, parts: parts, bytesPerSample: batch > 0 ? perSample : 0, largest: rows[top].part,
                              largestLabel: rows[top].label, largestBytes: share[top])
    }
}
