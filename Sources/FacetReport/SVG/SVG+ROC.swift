extension SVG {
    /// One-vs-rest ROC curves, a line per class with its AUC in the legend, and the chance diagonal.
    ///
    /// A class whose curve is undefined (no positives or no negatives) is listed as "AUC n/a" and not drawn.
    public static func rocCurves(_ curves: [ROCCurve], classes: [String], title: String = "ROC curves") throws -> String {
        try Check.nonEmpty("SVG.rocCurves", "curves", curves.count)
        try Check.sameLength("SVG.rocCurves", "classes", classes.count, expected: curves.count)
        let frame = PlotFrame(left: 64, top: 40, width: 360, height: 360, xMin: 0, xMax: 1, yMin: 0, yMax: 1)
        var doc = SVGDocument(width: 448, height: 456)
        doc.text(title, x: frame.left + frame.width / 2, y: 24, anchor: "middle", size: 15, weight: "bold")
        let ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
        frame.drawAxes(&doc, xTicks: ticks, yTicks: ticks, xFormat: .fixed(1), yFormat: .fixed(1),
                       xLabel: "False positive rate", yLabel: "True positive rate")
        doc.line(x1: frame.px(0), y1: frame.py(0), x2: frame.px(1), y2: frame.py(1), stroke: "#888888", dash: "4 3")
        var legend: [(color: String, label: String)] = []
        for (k, curve) in curves.enumerated() {
            let color = Colors.series(k)
            legend.append((color, "\(classes[k]) (AUC \(NumberFormat.fixed(3).string(curve.auc)))"))
            guard curve.isDefined else { continue }
            let points = zip(curve.falsePositiveRates, curve.truePositiveRates).map { (frame.px($0), frame.py($1)) }
            doc.polyline(thinned(points), stroke: color)
        }
        // Bottom-right of the plot: the one corner ROC curves stay away from.
        let lw = legendWidth(legend.map(\.label) + ["chance"])
        let lh = Double(legend.count + 1) * 18 + 8
        drawLegend(&doc, entries: legend, x: frame.left + frame.width - lw - 8, y: frame.top + frame.height - lh - 8,
                   dashed: ("#888888", "chance"))
        return doc.render()
    }
}
