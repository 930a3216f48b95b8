import Foundation

/// How numbers are written in tables and figures; the same value always gives the same text.
public enum NumberFormat: Equatable, Sendable {
    /// Fixed decimals: `.fixed(3)` writes 0.8125 as "0.813" (the default for tables).
    case fixed(Int)
    /// Value × 100 with a percent sign: `.percent(1)` writes 0.8125 as "81.3%".
    case percent(Int)
    /// Rounded to a whole number: counts.
    case integer

    /// Text for a value; NaN, infinities and `nil` are written "n/a".
    public func string(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "n/a" }
        let text: String
        switch self {
        case .fixed(let d): text = String(format: "%.\(max(0, d))f", value)
        case .percent(let d): text = String(format: "%.\(max(0, d))f", value * 100) + "%"
        case .integer: text = String(format: "%.0f", value)
        }
        // "-0.000" reads as a sign that is not there.
        if text.hasPrefix("-"), !text.contains(where: { "123456789".contains($0) }) { return String(text.dropFirst()) }
        return text
    }
}

/// Compact coordinates for SVG: at most two decimals, no trailing zeros, no "-0".
func svgNumber(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == 0 { return "0" }
    var s = String(format: "%.2f", rounded)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
