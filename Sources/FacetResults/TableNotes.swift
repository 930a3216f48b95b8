import FacetReport

/// What a table says of runs that did not learn: a cell keeps its number and interval and gets a
/// marker (¹, ², …); each distinct note is written once under the table. Inline, a note naming
/// several configurations made every cell of a similarity table several lines long.
public final class TableNotes {
    private(set) public var notes: [String] = []
    public init() {}

    /// `e`'s cell in `format` — "61.2 % [57.0, 65.3]", then " ¹" when some of its runs did not learn.
    public func cell(_ e: EstimateValue, format: NumberFormat) -> String {
        let text = e.estimate.cell(format)
        guard let note = e.learning.notLearnedNote else { return text }
        if let i = notes.firstIndex(of: note) { return text + " " + Self.marker(i) }
        notes.append(note)
        return text + " " + Self.marker(notes.count - 1)
    }

    /// The notes as Markdown lines to follow the table ("¹ did not learn: seeds 1, 3"); empty when
    /// every run behind the table learned.
    public var markdown: String {
        notes.enumerated().map { "\(Self.marker($0.offset)) \($0.element)" }.joined(separator: "  \n")
    }

    /// `table` followed by its notes, if any.
    public func appended(to table: String) -> String {
        notes.isEmpty ? table : table + "\n\n" + markdown
    }

    /// The (i + 1)-th marker in superscript digits: ¹, ², …, ¹⁰.
    static func marker(_ i: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(i + 1).map { digits[Int(String($0))!] })
    }
}
