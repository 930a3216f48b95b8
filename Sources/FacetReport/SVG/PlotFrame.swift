import Foundation

/// A rectangle of the page mapped to data coordinates, with grid, axes and labels drawn around it.
struct PlotFrame {
    /// Plot area in pixels: left, top, width, height.
    let left: Double, top: Double, width: Double, height: Double
    let xMin: Double, xMax: Double, yMin: Double, yMax: Double

    func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * width }
    func py(_ y: Double) -> Double { top + height - (y - yMin) / (yMax - yMin) * height }

    /// Grid lines at the ticks, a frame, tick labels and axis titles.
    func drawAxes(_ doc: inout SVGDocument, xTicks: [Double], yTicks: [Double], xFormat: NumberFormat,
                  yFormat: NumberFormat, xLabel: String, yLabel: String) {
        for t in xTicks {
            doc.line(x1: px(t), y1: top, x2: px(t), y2: top + height, stroke: "#e6e6e6")
            doc.text(xFormat.string(t), x: px(t), y: top + height + 16, anchor: "middle", size: 11)
        }
        for t in yTicks {
            doc.line(x1: left, y1: py(t), x2: left + width, y2: py(t), stroke: "#e6e6e6")
            doc.text(yFormat.string(t), x: left - 6, y: py(t) + 4, anchor: "end", size: 11)
        }
        doc.rect(x: left, y: top, width: width, height: height, fill: "none", stroke: "#444")
        doc.text(xLabel, x: left + width / 2, y: top + height + 36, anchor: "middle", size: 12)
        doc.text(yLabel, x: left - 44, y: top + height / 2, anchor: "middle", size: 12, rotate: -90)
    }
}

/// Round tick values (1, 2 or 5 × 10ⁿ apart) covering `[low, high]`, about `count` of them.
func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard low.isFinite, high.isFinite, high > low else { return [low] }
    let raw = (high - low) / Double(max(1, count))
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var t = ceil(low / step - 1e-9) * step
    while t <= high + step * 1e-9 {
        ticks.append(abs(t) < step * 1e-9 ? 0 : t)
        t += step
    }
    return ticks
}

/// A range from `low` to `high` widened outward to whole tick steps, never empty.
func niceRange(_ low: Double, _ high: Double) -> (Double, Double) {
    if !(low.isFinite && high.isFinite) { return (0, 1) }
    if high <= low { return low == 0 ? (0, 1) : (low - abs(low) * 0.5, low + abs(low) * 0.5) }
    let raw = (high - low) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    return (floor(low / step + 1e-9) * step, ceil(high / step - 1e-9) * step)
}

/// Decimals enough to tell ticks `step` apart.
func tickFormat(_ ticks: [Double]) -> NumberFormat {
    guard ticks.count > 1 else { return .fixed(2) }
    let step = ticks[1] - ticks[0]
    return .fixed(max(0, Int(ceil(-log10(step) - 1e-9))))
}

/// Rough width of a label in pixels (SVG has no text metrics before rendering).
func estimatedTextWidth(_ s: String, size: Double) -> Double { Double(s.count) * size * 0.56 }

/// Legend entries (colour swatch + text) in a white box whose top-left corner is (x, y).
func drawLegend(_ doc: inout SVGDocument, entries: [(color: String, label: String)], x: Double, y: Double,
                dashed: (color: String, label: String)? = nil) {
    let all = entries + (dashed.map { [$0] } ?? [])
    let w = 34 + (all.map { estimatedTextWidth($0.label, size: 11) }.max() ?? 0)
    let h = Double(all.count) * 18 + 8
    doc.rect(x: x, y: y, width: w, height: h, fill: "#ffffff", stroke: "#bbbbbb")
    for (i, e) in all.enumerated() {
        let cy = y + 13 + Double(i) * 18
        let isDashed = dashed != nil && i == all.count - 1
        doc.line(x1: x + 6, y1: cy - 4, x2: x + 26, y2: cy - 4, stroke: e.color, width: isDashed ? 1 : 3,
                 dash: isDashed ? "4 3" : nil)
        doc.text(e.label, x: x + 30, y: cy, size: 11)
    }
}

/// Width a legend box would need.
func legendWidth(_ labels: [String]) -> Double {
    34 + (labels.map { estimatedTextWidth($0, size: 11) }.max() ?? 0)
}

/// Drops points a viewer cannot see: middle points of straight horizontal or vertical runs, and points
/// closer than `minimumStep` pixels to the last kept one. Keeps the first and last points, so a ROC
/// curve of 100 000 samples stays a few thousand points without changing its drawn shape.
func thinned(_ points: [(Double, Double)], minimumStep: Double = 0.5) -> [(Double, Double)] {
    guard points.count > 2 else { return points }
    var kept = [points[0]]
    for i in 1..<(points.count - 1) {
        let last = kept[kept.count - 1], p = points[i], next = points[i + 1]
        let onStraightRun = (last.0 == p.0 && p.0 == next.0) || (last.1 == p.1 && p.1 == next.1)
        let tooClose = abs(p.0 - last.0) < minimumStep && abs(p.1 - last.1) < minimumStep
        if !onStraightRun && !tooClose { kept.append(p) }
    }
    kept.append(points[points.count - 1])
    return kept
}
