/// A minimal SVG writer: elements are appended as text, so the same calls give the same bytes.
struct SVGDocument {
    let width: Double
    let height: Double
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String = "none", title: String? = nil) {
        let attrs = "x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" fill=\"\(fill)\""
            + (stroke == "none" ? "" : " stroke=\"\(stroke)\"")
        if let title {
            body.append("<rect \(attrs)><title>\(escapeXML(title))</title></rect>")
        } else {
            body.append("<rect \(attrs)/>")
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil) {
        body.append("<line x1=\"\(svgNumber(x1))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x2))\" y2=\"\(svgNumber(y2))\""
            + " stroke=\"\(stroke)\" stroke-width=\"\(svgNumber(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        let p = points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(svgNumber(width))\" stroke-linejoin=\"round\"/>")
    }

    mutating func circle(x: Double, y: Double, r: Double, fill: String) {
        body.append("<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"\(svgNumber(r))\" fill=\"\(fill)\"/>")
    }

    /// Text anchored at (x, y); `anchor` is start, middle or end; `rotate` turns it about its anchor.
    mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
                       fill: String = "#222", weight: String? = nil, rotate: Double? = nil) {
        var attrs = "x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" font-size=\"\(svgNumber(size))\""
        if anchor != "start" { attrs += " text-anchor=\"\(anchor)\"" }
        if fill != "#222" { attrs += " fill=\"\(fill)\"" }
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        if let rotate { attrs += " transform=\"rotate(\(svgNumber(rotate)) \(svgNumber(x)) \(svgNumber(y)))\"" }
        body.append("<text \(attrs)>\(escapeXML(s))</text>")
    }

    /// The finished document: XML declaration, root element with a white background, the body, a final newline.
    func render() -> String {
        let w = svgNumber(width), h = svgNumber(height)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            font-family="Helvetica, Arial, sans-serif">
            <rect x="0" y="0" width="\(w)" height="\(h)" fill="#ffffff"/>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }
}

/// Escapes the five XML special characters so any class name is safe in text and attributes.
func escapeXML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(ch)
        }
    }
    return out
}

/// Namespace for the figure renderers: each returns a self-contained SVG document as a String.
public enum SVG {}
