import FacetLang
import FacetReport

/// `finding(...)`: a sentence of the paper with the verdict of the comparisons that decide it.
public final class FindingValue: ForeignValue {
    public let sentence: String
    public let comparisons: [ComparisonValue]
    public init(sentence: String, comparisons: [ComparisonValue]) { self.sentence = sentence; self.comparisons = comparisons }

    public var verdict: Verdict { Verdict.all(comparisons.map(\.comparison.verdict)) }
    public var typeName: String { "finding" }
    public var description: String { text(bold: false) }

    /// The sentence, the verdict (in bold for `show`) and the comparisons that decide it.
    public func text(bold: Bool) -> String {
        let lead = "“\(sentence)” — " + (bold ? "**\(verdict.rawValue)**" : verdict.rawValue)
        if comparisons.count == 1 {
            let c = comparisons[0].comparison
            return lead + c.text(comparisons[0].format).dropFirst(c.verdict.rawValue.count)
        }
        let held = comparisons.filter { $0.comparison.verdict == .holds }.count
        var counts = "\(held) of \(comparisons.count) comparisons hold"
        let undecided = comparisons.filter { $0.comparison.verdict == .notDecided }.count
        if undecided > 0 { counts += ", \(undecided) not decided" }
        return lead + " (\(counts)):\n\n" + comparisons.map { "- " + $0.text(bold: false) }.joined(separator: "\n")
    }
    public func member(_ name: String) -> Value? { name == "verdict" ? .string(verdict.rawValue) : nil }
    public var memberNames: [String] { ["verdict"] }
}
