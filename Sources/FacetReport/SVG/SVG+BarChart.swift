extension SVG {
    /// Bar chart of one or more series over categories (e.g. accuracy per attribute, precision and
    /// recall per class), each bar labelled with its value. Missing (NaN) values get no bar and "n/a".
    ///
    /// - Parameter yMax: top of the value axis; by default 1 when every value lies in [0, 1], else a round maximum.
    /// - Parameter intervals: per series, per category, an interval drawn as an error bar (estimates over seeds).
    public static func barChart(categories: [String], series: [Series], title: String, yLabel: String = "",
                                format: NumberFormat = .fixed(2), yMax: Double? = nil,
                                intervals: [[ClosedRange<Double>?]]? = nil) throws -> String {
        let f = "SVG.barChart"
        try Check.nonEmpty(f, "categories", categories.count)
        try Check.nonEmpty(f, "series", series.count)
        for s in series { try Check.sameLength(f, "series \"\(s.name)\"", s.values.count, expected: categories.count) }
        if let intervals {
            try Check.sameLength(f, "intervals", intervals.count, expected: series.count)
            for (s, i) in zip(series, intervals) { try Check.sameLength(f, "intervals of \"\(s.name)\"", i.count, expected: categories.count) }
        }
        let highs = (intervals ?? []).flatMap { $0.compactMap { $0?.upperBound } }
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let reach = (finite + highs.filter(\.isFinite)).max()
        if let negative = finite.first(where: { $0 < 0 }) {
            throw ReportError.invalidArgument(function: f, message: "bars start at 0; got the negative value \(negative)")
        }
        let top = yMax ?? ((reach ?? 1) <= 1 ? 1 : niceRange(0, reach ?? 1).1)
        let band = max(40, min(90, 640 / Double(categories.count)))
        let plotWidth = band * Double(categories.count)
        let rotate = categories.contains { estimatedTextWidth($0, size: 11) > band - 4 }
        let labelSpace = rotate ? (categories.map { estimatedTextWidth($0, size: 11) }.max() ?? 0) * 0.8 + 12 : 22
        let legendSpace = series.count > 1 ? 18 * Double(series.count) + 8 : 0
        let frame = PlotFrame(left: 72, top: 40, width: plotWidth, height: 260, xMin: 0, xMax: 1, yMin: 0, yMax: top)
        var doc = SVGDocument(width: 72 + plotWidth + 24, height: 40 + 260 + labelSpace + 16 + legendSpace)
        doc.text(title, x: frame.left + plotWidth / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        let yTicks = niceTicks(0, top)
        // Ticks speak the bars' language: percent bars get percent ticks.
        let yFormat: NumberFormat
        if case .percent = format { yFormat = .percent(0) } else { yFormat = tickFormat(yTicks) }
        for t in yTicks {
            doc.line(x1: frame.left, y1: frame.py(t), x2: frame.left + plotWidth, y2: frame.py(t), stroke: "#e6e6e6")
            doc.text(yFormat.string(t), x: frame.left - 6, y: frame.py(t) + 4, anchor: "end", size: 11)
        }
        doc.text(yLabel, x: frame.left - 44, y: frame.top + 130, anchor: "middle", size: 12, rotate: -90)
        let barWidth = (band * 0.8) / Double(series.count)
        for (c, name) in categories.enumerated() {
            let bandLeft = frame.left + Double(c) * band
            for (k, s) in series.enumerated() {
                let x = bandLeft + band * 0.1 + Double(k) * barWidth
                let v = s.values[c]
                if v.isFinite {
                    let clipped = min(v, top)
                    doc.rect(x: x, y: frame.py(clipped), width: barWidth - 1, height: frame.py(0) - frame.py(clipped),
                             fill: Colors.series(k), title: "\(s.name), \(name): \(format.string(v))")
                }
                var labelTop = v.isFinite ? min(v, top) : 0
                if let r = intervals?[k][c], r.lowerBound.isFinite, r.upperBound.isFinite {
                    // The 95 % interval as an error bar with caps; the value's label goes above it.
                    let (lo, hi) = (max(0, min(r.lowerBound, top)), max(0, min(r.upperBound, top)))
                    let mid = x + (barWidth - 1) / 2, cap = min(6, barWidth / 4)
                    doc.line(x1: mid, y1: frame.py(lo), x2: mid, y2: frame.py(hi), stroke: "#222")
                    doc.line(x1: mid - cap, y1: frame.py(hi), x2: mid + cap, y2: frame.py(hi), stroke: "#222")
                    doc.line(x1: mid - cap, y1: frame.py(lo), x2: mid + cap, y2: frame.py(lo), stroke: "#222")
                    labelTop = max(labelTop, hi)
                }
                doc.text(format.string(v), x: x + barWidth / 2, y: frame.py(labelTop) - 4,
                         anchor: "middle", size: barWidth < 28 ? 8 : 10)
            }
            let labelY = frame.top + frame.height + 16
            if rotate {
                doc.text(name, x: bandLeft + band / 2 + 4, y: labelY - 6, anchor: "end", size: 11, rotate: -40)
            } else {
                doc.text(name, x: bandLeft + band / 2, y: labelY, anchor: "middle", size: 11)
            }
        }
        doc.line(x1: frame.left, y1: frame.py(0), x2: frame.left + plotWidth, y2: frame.py(0), stroke: "#444")
        doc.line(x1: frame.left, y1: frame.top, x2: frame.left, y2: frame.py(0), stroke: "#444")
        if series.count > 1 {
            var y = frame.top + frame.height + labelSpace + 18
            for (k, s) in series.enumerated() {
                doc.rect(x: frame.left, y: y - 10, width: 12, height: 12, fill: Colors.series(k))
                doc.text(s.name, x: frame.left + 18, y: y, size: 11)
                y += 18
            }
        }
        return doc.render()
    }
}
