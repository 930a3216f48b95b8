import FacetResults

extension ComparisonValue: Renderable {
    /// `show`: the verdict in bold, then the per-seed values it rests on.
    public func render(in session: Session) -> [OutputItem] { [.markdown(text(bold: true) + "\n\n" + details([self]))] }
}

extension FindingValue: Renderable {
    /// `show`: the sentence and verdict in bold, each comparison, then the per-seed values.
    public func render(in session: Session) -> [OutputItem] {
        [.markdown(text(bold: true) + "\n\n" + comparisons[0].details(comparisons))]
    }
}
