import FacetRandom

/// Which samples a sample grid shows, row by row, and what to tell the reader about the choice.
public struct SampleSelection: Equatable, Sendable {
    /// One grid row: a label (the class, for `by:` grids; empty when the row continues a class or
    /// the grid has no classes) and sample indices, ascending within a class.
    public struct Row: Equatable, Sendable {
        public var label: String
        public var indices: [Int]
        public init(label: String, indices: [Int]) { (self.label, self.indices) = (label, indices) }
    }
    public var rows: [Row]
    /// Tiles per row.
    public var columns: Int
    /// E.g. "n: 500 is more than the 300 samples: all are shown"; nil when nothing needs saying.
    public var note: String?

    public init(rows: [Row], columns: Int, note: String?) { (self.rows, self.columns, self.note) = (rows, columns, note) }

    /// Every index shown, in grid order (row by row).
    public var indices: [Int] { rows.flatMap(\.indices) }

    /// The most tiles in one row.
    public static let widest = 12
}

extension FaceDataset {
    /// `n` samples drawn at random with `seed`, or — with `by` — one row per class of that attribute
    /// holding ⌈n / classes⌉ of its samples (a class with fewer shows all of them; samples whose
    /// label is missing are not shown). A class wider than `SampleSelection.widest` continues on
    /// the next rows. `n` at least the number of candidates shows them all, with a note.
    public func sampleSelection(n: Int, by attribute: String?, seed: UInt64) throws -> SampleSelection {
        guard n > 0 else { throw VisionError("n must be at least 1, got \(n)") }
        var generator = SeededGenerator(seed: seed)
        func draw(_ pool: [Int], _ k: Int) -> [Int] {
            guard k < pool.count else { return pool }
            var shuffled = pool
            generator.shuffle(&shuffled)
            return shuffled.prefix(k).sorted()
        }
        guard let attribute else {
            let columns = min(SampleSelection.widest, max(1, Int(Double(min(n, count)).squareRoot().rounded(.up))))
            let chosen = draw(Array(0..<count), n)
            let rows = stride(from: 0, to: chosen.count, by: columns).map {
                SampleSelection.Row(label: "", indices: Array(chosen[$0..<min(chosen.count, $0 + columns)]))
            }
            let note = n > count ? "n: \(n) is more than the \(count) samples: all are shown" : nil
            return SampleSelection(rows: rows, columns: columns, note: note)
        }
        guard let column = labels[attribute], let names = classes[attribute] else {
            throw VisionError("the data have no attribute '\(attribute)' (they have: \(attributes.isEmpty ? "none" : attributes.joined(separator: ", ")))")
        }
        var pools = [[Int]](repeating: [], count: names.count)
        for i in 0..<count where column[i] >= 0 { pools[Int(column[i])].append(i) }
        let labelled = pools.reduce(0) { $0 + $1.count }
        let perClass = max(1, (n + names.count - 1) / names.count)
        let columns = min(SampleSelection.widest, max(1, min(perClass, pools.map(\.count).max() ?? 1)))
        var rows: [SampleSelection.Row] = []
        for (k, pool) in pools.enumerated() {
            let chosen = draw(pool, perClass)
            if chosen.isEmpty { rows.append(.init(label: names[k], indices: [])); continue }
            for start in stride(from: 0, to: chosen.count, by: columns) {
                rows.append(.init(label: start == 0 ? names[k] : "", indices: Array(chosen[start..<min(chosen.count, start + columns)])))
            }
        }
        var notes: [String] = []
        if n > labelled { notes.append("n: \(n) is more than the \(labelled) samples with a \(attribute) label: all are shown") }
        let unlabelled = count - labelled
        if unlabelled > 0 {
            notes.append(unlabelled == 1 ? "1 sample without a \(attribute) label is not shown"
                                         : "\(unlabelled) samples without a \(attribute) label are not shown")
        }
        return SampleSelection(rows: rows, columns: columns, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// The class names of sample `index` as a short caption: one per attribute (in the data's
    /// order, `skipping` one), "none" of a feature left out, a yes/no feature by its name
    /// ("glasses"), a class name shared with another attribute prefixed by it ("beard light").
    /// With `only`, just that attribute's class name (empty when missing).
    public func labelCaption(_ index: Int, skipping: String? = nil, only: String? = nil) -> String {
        if let only {
            guard let y = labels[only]?[index], y >= 0, let names = classes[only] else { return "" }
            return names[Int(y)]
        }
        var parts: [String] = []
        for a in attributes where a != skipping {
            guard let y = labels[a]?[index], y >= 0, let names = classes[a] else { continue }
            let name = names[Int(y)]
            if name == "none" || name == "no" { continue }
            if names.count == 2, names[0] == "none" || names[0] == "no" { parts.append(a); continue }   // "glasses"
            let shared = attributes.contains { $0 != a && (classes[$0] ?? []).contains(name) }
            parts.append(shared ? "\(a) \(name)" : name)
        }
        return parts.joined(separator: ", ")
    }
}

extension FaceDataset {
    /// The grid of a selection: each sample's display crop (`displayPixels`) captioned by
    /// `caption(index)`, rows labelled when the selection's rows have labels.
    public func sampleGrid(_ selection: SampleSelection, captionLines: Int = 2, caption: (Int) -> String) throws -> SampleGrid {
        var tiles: [SampleGrid.Tile] = []
        for (r, row) in selection.rows.enumerated() {
            for (c, index) in row.indices.enumerated() {
                tiles.append(SampleGrid.Tile(pixels: displayPixels(index), row: r, column: c, caption: caption(index)))
            }
        }
        let labelled = selection.rows.contains { !$0.label.isEmpty }
        return try SampleGrid(side: size, rows: max(1, selection.rows.count), columns: selection.columns,
                              rowLabels: labelled ? selection.rows.map(\.label) : [], tiles: tiles, captionLines: captionLines)
    }
}
