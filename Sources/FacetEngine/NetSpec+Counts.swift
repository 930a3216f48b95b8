// MARK: Shapes and counts, row by row

extension NetSpec {
    /// What a row of a net is: the input, trunk layer `i` or head `i`.
    public enum Part: Equatable, Sendable {
        case input
        case layer(Int)
        case head(Int)
    }

    /// One row of a net with its shape and cost per sample.
    public struct Row: Equatable, Sendable {
        public var part: Part
        public var counts: LayerCounts
    }

    /// The input, every trunk layer, then every head, with output shape, parameters, FLOPs and
    /// activation memory: the one place those are added up (summaries, `params`, `flops`,
    /// `facet bench`). Throws `LayerShapeError` at the first layer that does not fit (`ShapeError`
    /// for an input too large to count).
    public func rows() throws -> [Row] {
        guard isCountable(input), [input.channels, input.height, input.width].allSatisfy({ $0 <= LayerSpec.argumentLimit })
        else { throw ShapeError("input \(input) is too large to count") }
        var rows = [Row(part: .input, counts: LayerCounts(output: input))]
        var x = input
        for (i, layer) in layers.enumerated() {
            let counts: LayerCounts
            do { counts = try layer.counts(x) } catch let e as ShapeError {
                throw LayerShapeError(layerIndex: i, error: e)
            }
            rows.append(Row(part: .layer(i), counts: counts))
            x = counts.output
        }
        for (i, head) in heads.enumerated() {
            // The language never writes such a head; a model file's description may (a negative
            // count made the memory estimate negative and `load` build a 2 GB layer).
            guard (1...LayerSpec.argumentLimit).contains(head.kind.outputs) else {
                throw ShapeError("head `\(head.name)` has \(head.kind.outputs) outputs; a head has 1 to \(LayerSpec.argumentLimit)")
            }
            rows.append(Row(part: .head(i), counts: head.counts(features: x)))
        }
        return rows
    }

    /// Per-layer output shapes (trunk only), or the index of the first layer that does not fit.
    public func trunkShapes() throws -> [FeatureShape] {
        try rows().compactMap { row in
            if case .layer = row.part { return row.counts.output }
            return nil
        }
    }

    /// Total trainable parameters, trunk and heads.
    public func parameterCount() throws -> Int { try rows().reduce(0) { $0 + $1.counts.parameters } }

    /// Forward FLOPs per sample, trunk and heads.
    public func flops() throws -> Int { try rows().reduce(0) { $0 + $1.counts.flops } }

    /// Bytes of Float32 activations per sample, the input's included.
    public func activationMemory() throws -> Int { try rows().reduce(0) { $0 + $1.counts.memory } }
}
