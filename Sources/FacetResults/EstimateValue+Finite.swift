import FacetLang

/// An estimate whose per-seed values, mean or spread overflowed (`e * 1e308`) is refused at the
/// expression that made it (`FiniteCheckable`), like a number that overflows. Only plain fields
/// are read: the interval is not computed, since its t quantile needs finite degrees of freedom
/// (a variance that overflows makes them NaN).
extension EstimateValue: FiniteCheckable {
    public var isFinite: Bool {
        estimate.values.allSatisfy(\.isFinite) && estimate.mean.isFinite
            && (estimate.sd.map { $0.isFinite && ($0 * $0).isFinite } ?? true)
    }
}
