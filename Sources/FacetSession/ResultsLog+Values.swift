import FacetLang
import FacetResults

// The session's values in its results log (results.json).

extension ResultsLog {
    /// A trained run: its record goes into the log, and the run keeps it up to date as it is checked.
    func note(_ run: RunValue) {
        let record = RunRecord(configuration: run.configuration, seed: run.replicate, epochs: run.history.epochs.count,
                               bestEpoch: run.history.bestEpoch, learning: run.learning)
        run.resultRecord = record
        note(record)
    }

    /// Estimates inside a shown value: itself, a record's fields, a list's items, a table's rows.
    func noteShown(_ value: Value) {
        switch value {
        case let .foreign(e as EstimateValue): note(e)
        case let .foreign(c as ComparisonValue): note(c)
        case let .foreign(f as FindingValue): note(f)
        case let .foreign(t as TableValue): t.rows.forEach { noteShown(.record($0)) }
        case let .foreign(r as RecordsValue): r.items.forEach { noteShown(.record($0)) }
        case let .record(r): r.fields.forEach { noteShown($0.value) }
        case let .list(items): items.forEach(noteShown)
        default: break
        }
    }
}
