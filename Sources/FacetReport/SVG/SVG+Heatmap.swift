extension SVG {
    /// Confusion-matrix heat map: actual classes down, predicted across; colour is the row-normalised
    /// fraction, each cell shows its count and that fraction as a percentage.
    public static func confusionMatrix(_ confusion: ConfusionMatrix, title: String = "Confusion matrix") -> String {
        let k = confusion.classCount
        let cell = max(36, min(64, 448 / Double(k)))
        let labelWidth = max(60, (confusion.classes.map { estimatedTextWidth($0, size: 11) }.max() ?? 0) + 12)
        let left = labelWidth + 28, top = 52.0
        let grid = cell * Double(k)
        var doc = SVGDocument(width: left + grid + 24, height: top + grid + labelWidth + 24)
        doc.text(title, x: left + grid / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        doc.text("Predicted", x: left + grid / 2, y: top + grid + labelWidth + 12, anchor: "middle", size: 12)
        doc.text("Actual", x: 16, y: top + grid / 2, anchor: "middle", size: 12, rotate: -90)
        let fractions = confusion.rowNormalised
        for r in 0..<k {
            for c in 0..<k {
                let x = left + Double(c) * cell, y = top + Double(r) * cell
                let fraction = fractions[r]?[c]
                let color = Colors.sample(Colors.blues, fraction ?? 0)
                doc.rect(x: x, y: y, width: cell, height: cell, fill: Colors.hex(color), stroke: "#ffffff",
                         title: "\(confusion.classes[r]) → \(confusion.classes[c]): \(confusion.counts[r][c])")
                let ink = Colors.textOn(color)
                doc.text(String(confusion.counts[r][c]), x: x + cell / 2, y: y + cell / 2 + 1, anchor: "middle",
                         size: 13, fill: ink, weight: "bold")
                doc.text(NumberFormat.percent(0).string(fraction), x: x + cell / 2, y: y + cell / 2 + 15,
                         anchor: "middle", size: 9, fill: ink)
            }
        }
        for (i, name) in confusion.classes.enumerated() {
            let mid = Double(i) * cell + cell / 2
            doc.text(name, x: left - 6, y: top + mid + 4, anchor: "end", size: 11)
            doc.text(name, x: left + mid + 4, y: top + grid + 8, anchor: "end", size: 11, rotate: -60)
        }
        return doc.render()
    }

    /// A heat-map table: each cell coloured by its value on a viridis scale, with the value written in it
    /// and a colour bar. `nil` cells are left blank (e.g. the upper triangle of a similarity matrix).
    ///
    /// - Parameter range: colour-scale limits; by default the smallest and largest value present.
    public static func heatTable(values: [[Double?]], rowLabels: [String], columnLabels: [String],
                                 title: String, rowTitle: String = "", columnTitle: String = "",
                                 format: NumberFormat = .fixed(2), range: ClosedRange<Double>? = nil) throws -> String {
        let f = "SVG.heatTable"
        try Check.nonEmpty(f, "values", values.count)
        try Check.sameLength(f, "rowLabels", rowLabels.count, expected: values.count)
        for (i, row) in values.enumerated() where row.count != columnLabels.count {
            throw ReportError.lengthMismatch(function: f, what: "values[\(i)]", expected: columnLabels.count, got: row.count)
        }
        let present = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
        let low = range?.lowerBound ?? present.min() ?? 0
        var high = range?.upperBound ?? present.max() ?? 1
        if high <= low { high = low + 1 }
        let cellW = max(56, (columnLabels.map { estimatedTextWidth($0, size: 11) }.max() ?? 0) + 10), cellH = 34.0
        let labelWidth = (rowLabels.map { estimatedTextWidth($0, size: 11) }.max() ?? 0) + 12
        let left = labelWidth + (rowTitle.isEmpty ? 8 : 28), top = 48 + (columnTitle.isEmpty ? 0 : 18.0)
        let gridW = cellW * Double(columnLabels.count), gridH = cellH * Double(values.count)
        var doc = SVGDocument(width: left + gridW + 96, height: top + gridH + 40)
        doc.text(title, x: left + gridW / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        if !columnTitle.isEmpty { doc.text(columnTitle, x: left + gridW / 2, y: 46, anchor: "middle", size: 12) }
        if !rowTitle.isEmpty { doc.text(rowTitle, x: 16, y: top + gridH / 2, anchor: "middle", size: 12, rotate: -90) }
        for (c, name) in columnLabels.enumerated() {
            doc.text(name, x: left + (Double(c) + 0.5) * cellW, y: top - 8, anchor: "middle", size: 11)
        }
        for (r, row) in values.enumerated() {
            let y = top + Double(r) * cellH
            doc.text(rowLabels[r], x: left - 6, y: y + cellH / 2 + 4, anchor: "end", size: 11)
            for (c, value) in row.enumerated() {
                guard let value else { continue }
                let x = left + Double(c) * cellW
                let color = Colors.sample(Colors.viridis, (value - low) / (high - low))
                doc.rect(x: x, y: y, width: cellW, height: cellH, fill: value.isFinite ? Colors.hex(color) : "#dddddd",
                         stroke: "#ffffff")
                doc.text(format.string(value), x: x + cellW / 2, y: y + cellH / 2 + 4, anchor: "middle", size: 12,
                         fill: value.isFinite ? Colors.textOn(color) : "#222")
            }
        }
        drawColorBar(&doc, x: left + gridW + 20, y: top, height: gridH, low: low, high: high, format: format)
        return doc.render()
    }

    /// The lower triangle of a similarity matrix as a heat table, as in the paper's Figure 16.
    public static func similarityMatrix(_ matrix: SimilarityMatrix, title: String = "Cosine similarity") throws -> String {
        let t = matrix.lowerTriangle
        return try heatTable(values: t.values, rowLabels: t.rows, columnLabels: t.columns, title: title)
    }

    /// A vertical bar of the colour scale with its end and middle values.
    private static func drawColorBar(_ doc: inout SVGDocument, x: Double, y: Double, height: Double,
                                     low: Double, high: Double, format: NumberFormat) {
        let steps = 32
        let h = height / Double(steps)
        for i in 0..<steps {
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            // A hair of overlap hides anti-aliasing seams between the bands.
            doc.rect(x: x, y: y + Double(i) * h, width: 14, height: h + 0.5, fill: Colors.hex(Colors.sample(Colors.viridis, t)))
        }
        doc.rect(x: x, y: y, width: 14, height: height, fill: "none", stroke: "#444")
        for (t, v) in [(0.0, high), (0.5, (low + high) / 2), (1.0, low)] {
            doc.text(format.string(v), x: x + 20, y: y + t * height + 4, size: 11)
        }
    }
}
