extension SVG {
    /// The first-layer kernels of a model as a grid of grey tiles, one per filter (channels side by side).
    ///
    /// Each filter is scaled on its own, symmetric about zero: mid-grey is 0, white its largest |weight|
    /// positive, black its largest |weight| negative. So tiles show shape, not relative magnitude.
    public static func filterGrid(_ bank: FilterBank, columns: Int? = nil, pixel: Double = 8,
                                  title: String = "First-layer filters") throws -> String {
        if pixel <= 0 {
            throw ReportError.invalidArgument(function: "SVG.filterGrid", message: "pixel size \(pixel) must be positive")
        }
        let columns = max(1, columns ?? Int(Double(bank.filters).squareRoot().rounded(.up)))
        let rows = (bank.filters + columns - 1) / columns
        let tileW = Double(bank.channels * bank.width) * pixel + Double(bank.channels - 1) * 2
        let tileH = Double(bank.height) * pixel
        let gap = 4.0, top = 36.0, margin = 8.0
        let width = max(Double(columns) * (tileW + gap) - gap + 2 * margin, estimatedTextWidth(title, size: 14) + 16)
        var doc = SVGDocument(width: width, height: top + Double(rows) * (tileH + gap) - gap + margin)
        doc.text(title, x: width / 2, y: 22, anchor: "middle", size: 14, weight: "bold")
        let perChannel = bank.height * bank.width
        for f in 0..<bank.filters {
            let weights = bank.filter(f)
            let scale = weights.map(abs).max() ?? 0
            let ox = margin + Double(f % columns) * (tileW + gap), oy = top + Double(f / columns) * (tileH + gap)
            for c in 0..<bank.channels {
                let cx = ox + Double(c) * (Double(bank.width) * pixel + 2)
                for i in 0..<bank.height {
                    for j in 0..<bank.width {
                        let w = weights[c * perChannel + i * bank.width + j]
                        let level = scale > 0 ? 127.5 + 127.5 * w / scale : 127.5
                        doc.rect(x: cx + Double(j) * pixel, y: oy + Double(i) * pixel, width: pixel, height: pixel,
                                 fill: Colors.hex((level, level, level)))
                    }
                }
            }
        }
        return doc.render()
    }
}
