extension SVG {
    /// The first-layer kernels of a model as a grid of tiles, one per filter.
    ///
    /// Each filter is scaled on its own, symmetric about zero: mid-grey is 0, white its largest positive
    /// |weight|, black its largest negative. So tiles show shape, not relative magnitude. One-channel
    /// filters are grey; three-channel filters are drawn in colour (channels as red, green, blue, as is
    /// usual for RGB input); any other channel count draws the channels side by side in grey.
    public static func filterGrid(_ bank: FilterBank, columns: Int? = nil, pixel: Double = 8,
                                  title: String = "First-layer filters") throws -> String {
        if pixel <= 0 {
            throw ReportError.invalidArgument(function: "SVG.filterGrid", message: "pixel size \(pixel) must be positive")
        }
        let asColor = bank.channels == 3
        let panels = asColor ? 1 : bank.channels
        let columns = max(1, columns ?? Int(Double(bank.filters).squareRoot().rounded(.up)))
        let rows = (bank.filters + columns - 1) / columns
        let panelGap = 2.0
        let tileW = Double(panels * bank.width) * pixel + Double(panels - 1) * panelGap
        let tileH = Double(bank.height) * pixel
        // Filters sit further apart than a filter's channel panels, so the grouping reads at a glance.
        let gap = panels > 1 ? 10.0 : 4.0, top = 36.0, margin = 8.0
        let width = max(Double(columns) * (tileW + gap) - gap + 2 * margin, estimatedTextWidth(title, size: 14) + 16)
        var doc = SVGDocument(width: width, height: top + Double(rows) * (tileH + gap) - gap + margin)
        doc.text(title, x: width / 2, y: 22, anchor: "middle", size: 14, weight: "bold")
        let perChannel = bank.height * bank.width
        for f in 0..<bank.filters {
            let weights = bank.filter(f)
            let scale = weights.map(abs).max() ?? 0
            func level(_ w: Double) -> Double { scale > 0 ? 127.5 + 127.5 * w / scale : 127.5 }
            let ox = margin + Double(f % columns) * (tileW + gap), oy = top + Double(f / columns) * (tileH + gap)
            for panel in 0..<panels {
                let px = ox + Double(panel) * (Double(bank.width) * pixel + panelGap)
                for i in 0..<bank.height {
                    for j in 0..<bank.width {
                        let at = i * bank.width + j
                        let color = asColor
                            ? (level(weights[at]), level(weights[perChannel + at]), level(weights[2 * perChannel + at]))
                            : (level(weights[panel * perChannel + at]), level(weights[panel * perChannel + at]),
                               level(weights[panel * perChannel + at]))
                        doc.rect(x: px + Double(j) * pixel, y: oy + Double(i) * pixel, width: pixel, height: pixel,
                                 fill: Colors.hex(color))
                    }
                }
            }
        }
        return doc.render()
    }
}
