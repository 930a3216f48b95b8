/// Colours for figures: a categorical palette for series and sequential scales for heat maps.
enum Colors {
    /// Tableau 10: distinct, colour-blind-friendlier than primaries. Series beyond ten repeat.
    static let categorical = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                              "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    static func series(_ i: Int) -> String { categorical[i % categorical.count] }

    /// Viridis sampled at nine stops: perceptually uniform and readable in grey.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 73, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (110, 206, 88), (181, 222, 43), (253, 231, 37),
    ]

    /// White to dark blue, for counts where "more" should read as "darker".
    static let blues: [(Double, Double, Double)] = [(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)]

    /// Colour at `t` in [0, 1] (clamped) along a piecewise-linear scale.
    static func sample(_ stops: [(Double, Double, Double)], _ t: Double) -> (Double, Double, Double) {
        let t = t.isFinite ? min(1, max(0, t)) : 0
        let pos = t * Double(stops.count - 1)
        let i = min(Int(pos), stops.count - 2)
        let f = pos - Double(i)
        let a = stops[i], b = stops[i + 1]
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
    }

    static func hex(_ c: (Double, Double, Double)) -> String {
        func byte(_ v: Double) -> String {
            let b = Int(min(255, max(0, v.rounded())))
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        return "#" + byte(c.0) + byte(c.1) + byte(c.2)
    }

    /// Black or white, whichever reads better on `c` (by relative luminance).
    static func textOn(_ c: (Double, Double, Double)) -> String {
        let luminance = (0.2126 * c.0 + 0.7152 * c.1 + 0.0722 * c.2) / 255
        return luminance > 0.5 ? "#222" : "#ffffff"
    }
}
