import FacetLang
import FacetReport

/// `compare(a, b)`: the difference of two estimates with its interval and a verdict.
public final class ComparisonValue: ForeignValue {
    public let comparison: Comparison
    public let finding: String?
    public let format: NumberFormat
    /// The two sides and the expressions that gave them (for the per-seed details and results.json).
    public let a: EstimateValue, b: EstimateValue
    public let expressions: (a: String, b: String)
    public init(_ comparison: Comparison, finding: String?, format: NumberFormat, a: EstimateValue, b: EstimateValue,
                expressions: (a: String, b: String)) {
        self.comparison = comparison; self.finding = finding; self.format = format
        self.a = a; self.b = b; self.expressions = expressions
    }

    public var typeName: String { "comparison" }
    public var description: String { text(bold: false) }
    /// The finding (if any), the verdict (in bold for `show`) and the difference with its interval.
    public func text(bold: Bool) -> String {
        let text = comparison.text(format)
        let verdict = comparison.verdict.rawValue
        let lead = bold ? "**\(verdict)**" : verdict
        return (finding.map { "“\($0)” — " } ?? "") + lead + text.dropFirst(verdict.count)
    }

    /// A folded block with each side's per-seed values and learning checks.
    public func details(_ comparisons: [ComparisonValue]) -> String {
        var lines: [String] = []
        for c in comparisons {
            if comparisons.count > 1 { lines.append("\(c.finding.map { "“\($0)”" } ?? "comparison"):") }
            lines.append(c.a.perSeedLine("a = `\(c.expressions.a)`"))
            lines.append(c.b.perSeedLine("b = `\(c.expressions.b)`"))
        }
        return "<details><summary>Per-seed values</summary>\n\n" + lines.joined(separator: "\n") + "\n\n</details>"
    }

    public func member(_ name: String) -> Value? {
        switch name {
        case "verdict": return .string(comparison.verdict.rawValue)
        case "difference": return .number(comparison.difference)
        case "low": return .number(comparison.interval.lowerBound)
        case "high": return .number(comparison.interval.upperBound)
        case "p": return .number(comparison.p)
        case "method": return .string(comparison.method.rawValue)
        case "seeds_to_decide": return comparison.seedsToDecide.map { .number(Double($0)) } ?? Value.none
        default: return nil
        }
    }
    public var memberNames: [String] { ["verdict", "difference", "low", "high", "p", "method", "seeds_to_decide"] }

    /// "‘ferc(…) on faces | gcn’ (b) did not learn (seeds 1, 3)"; nil when every run learned.
    public static func notLearnedText(a: [(configuration: String, seeds: [UInt64?])], b: [(configuration: String, seeds: [UInt64?])]) -> String? {
        var parts: [(configuration: String, sides: [String], seeds: [UInt64?])] = []
        for (side, failing) in [("a", a), ("b", b)] {
            for f in failing {
                if let i = parts.firstIndex(where: { $0.configuration == f.configuration && $0.seeds == f.seeds }) {
                    parts[i].sides.append(side)
                } else {
                    parts.append((f.configuration, [side], f.seeds))
                }
            }
        }
        guard !parts.isEmpty else { return nil }
        return parts.map { p in
            let seeds = p.seeds.compactMap { $0 }
            let which = seeds.isEmpty ? "" : " (seed\(seeds.count == 1 ? "" : "s") \(seeds.map(String.init).joined(separator: ", ")))"
            return "‘\(p.configuration)’ (\(p.sides.joined(separator: " and "))) did not learn\(which)"
        }.joined(separator: "; ")
    }
}
