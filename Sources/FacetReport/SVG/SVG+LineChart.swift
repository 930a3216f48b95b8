/// A named sequence of values for a line or bar chart.
public struct Series: Equatable, Sendable {
    public let name: String
    public let values: [Double]
    /// A series; for line charts, point `i` is drawn at x = `i + 1` (epochs count from 1).
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

extension SVG {
    /// Lines over x = 1, 2, ... (e.g. epochs), with a legend. Non-finite points break the line.
    public static func lineChart(_ series: [Series], title: String, xLabel: String = "epoch",
                                 yLabel: String = "") throws -> String {
        try Check.nonEmpty("SVG.lineChart", "series", series.count)
        var doc = SVGDocument(width: 560, height: 320 + 18 * Double(series.count))
        doc.text(title, x: 280, y: 22, anchor: "middle", size: 15, weight: "bold")
        try linePanel(&doc, series, top: 40, height: 230, xLabel: xLabel, yLabel: yLabel)
        return doc.render()
    }

    /// Learning curves: training loss (top) and validation error (bottom) per epoch, in two panels
    /// because the two quantities have different scales.
    public static func learningCurves(trainingLoss: [Double], validationError: [Double],
                                      title: String = "Learning curves") throws -> String {
        try Check.nonEmpty("SVG.learningCurves", "trainingLoss", trainingLoss.count)
        try Check.nonEmpty("SVG.learningCurves", "validationError", validationError.count)
        var doc = SVGDocument(width: 560, height: 600)
        doc.text(title, x: 280, y: 22, anchor: "middle", size: 15, weight: "bold")
        try linePanel(&doc, [Series(name: "training loss", values: trainingLoss)], top: 40, height: 200,
                      xLabel: "epoch", yLabel: "loss")
        try linePanel(&doc, [Series(name: "validation error", values: validationError)], top: 330, height: 200,
                      xLabel: "epoch", yLabel: "error", firstColor: 1)
        return doc.render()
    }

    /// Draws one framed panel of lines with its legend below the x-axis title.
    private static func linePanel(_ doc: inout SVGDocument, _ series: [Series], top: Double, height: Double,
                                  xLabel: String, yLabel: String, firstColor: Int = 0) throws {
        let longest = series.map(\.values.count).max() ?? 0
        try Check.nonEmpty("SVG.lineChart", "series values", longest)
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let (yMin, yMax) = niceRange(finite.min() ?? 0, finite.max() ?? 1)
        let (xMin, xMax) = longest == 1 ? (0.0, 2.0) : (1.0, Double(longest))
        let frame = PlotFrame(left: 72, top: top, width: 460, height: height, xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax)
        let xTicks = niceTicks(xMin, xMax, count: min(10, max(1, longest - 1))).filter { $0 == $0.rounded() }
        let yTicks = niceTicks(yMin, yMax)
        frame.drawAxes(&doc, xTicks: xTicks, yTicks: yTicks, xFormat: .integer, yFormat: tickFormat(yTicks),
                       xLabel: xLabel, yLabel: yLabel)
        for (i, s) in series.enumerated() {
            let k = firstColor + i
            // Split at non-finite values (a diverged epoch) instead of drawing a line through them.
            var run: [(Double, Double)] = []
            func flush() {
                if run.count == 1 { doc.circle(x: run[0].0, y: run[0].1, r: 2.5, fill: Colors.series(k)) }
                if run.count > 1 { doc.polyline(run, stroke: Colors.series(k)) }
                run = []
            }
            for (i, v) in s.values.enumerated() {
                if v.isFinite { run.append((frame.px(Double(i + 1)), frame.py(v))) } else { flush() }
            }
            flush()
        }
        var y = top + height + 48
        for (i, s) in series.enumerated() {
            let k = firstColor + i
            doc.line(x1: frame.left, y1: y - 4, x2: frame.left + 20, y2: y - 4, stroke: Colors.series(k), width: 3)
            doc.text(s.name, x: frame.left + 26, y: y, size: 11)
            y += 18
        }
    }
}
