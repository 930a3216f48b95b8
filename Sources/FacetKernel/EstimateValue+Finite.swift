import FacetLang

/// An estimate whose per-seed values, mean or interval overflowed (`e * 1e308`) is refused at the
/// expression that made it (`FiniteCheckable`), like a number that overflows.
extension EstimateValue: FiniteCheckable {
    public var isFinite: Bool {
        let interval = estimate.interval()
        return estimate.values.allSatisfy(\.isFinite) && estimate.mean.isFinite && (estimate.sd?.isFinite ?? true)
            && (interval.map { $0.lowerBound.isFinite && $0.upperBound.isFinite } ?? true)
    }
}
