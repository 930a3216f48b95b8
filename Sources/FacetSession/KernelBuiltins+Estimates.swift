import FacetEngine
import FacetLang
import FacetReport
import FacetResults
import Foundation

/// Metrics of runs trained under several seeds: each run measured, the results combined into
/// estimates (numbers), or field by field (records, lists, tables); figures keep the first seed's.
extension MetricBuiltins {
    /// Mistakes and confusions belong to one trained network: of repeated runs the first seed's run
    /// stands for them (averaging mistakes over seeds means nothing), and the returned suffix says so
    /// in the title, as the single-run figures do. Other arguments pass unchanged.
    func firstSeedRun(_ args: BoundArguments, key: String = "model") -> (BoundArguments, String) {
        guard case let .foreign(r as RunsValue) = args[key] else { return (args, "") }
        var a = args
        a.values[key] = .foreign(r.runs[0])
        return (a, " (single run: seed \(r.seeds[0]) of \(r.seeds.count))")
    }

    /// Calls a metric body once per run when `key` holds runs (or a list holding runs, such as
    /// similarity's `models`), and combines the results into estimates; else calls it once.
    /// Runs in a list are taken by position (the i-th run of each), so they need the same number
    /// of seeds but not the same seeds: first-layer similarity wants nets that did not start from
    /// the same weights. The estimate carries the first group's seeds.
    func overSeeds(_ args: BoundArguments, _ ctx: CallContext, key: String = "model", format: NumberFormat = .fixed(3),
                   _ body: (BoundArguments, CallContext) throws -> Value) throws -> Value {
        let value = args[key]
        let items = value.elements ?? [value]
        let groups = items.compactMap { v -> RunsValue? in if case let .foreign(r as RunsValue) = v { return r } else { return nil } }
        guard let first = groups.first else { return MeasuredValue.plain(try body(args, ctx)) }
        guard groups.allSatisfy({ $0.seeds.count == first.seeds.count }) else {
            throw Diagnostic(args.range(key), "all runs given here must have the same number of seeds (\(groups.map { EstimateValue.seedText($0.seeds) }.joined(separator: " vs ")))")
        }
        var results: [Value] = []
        for i in first.seeds.indices {
            let pick: (Value) -> Value = { v in if case let .foreign(r as RunsValue) = v { return .foreign(r.runs[i]) } else { return v } }
            var a = args
            a.values[key] = value.elements != nil ? .list(items.map(pick)) : pick(value)
            results.append(try body(a, ctx))
        }
        // Numbers that are not measurements on test items (weight similarities) rest on the runs'
        // own checks (each run has one on its validation split).
        let runChecks = groups.flatMap { $0.runs.flatMap(\.learning) }
        let call = ctx.range.text
        let metric = call.firstIndex(of: "(").map { String(call[..<$0]) } ?? call
        let subject = first.runs[0].configuration + (groups.count > 1 ? " and \(groups.count - 1) more" : "")
        return try combine(results, seeds: first.seeds, format: format, label: "\(metric) of \(subject)", runLearning: runChecks)
    }

    /// Per-seed results of one metric as one value: numbers and measurements become estimates,
    /// records and lists are combined field by field, tables row by row; figures keep the first
    /// seed's picture, labelled as one run.
    func combine(_ results: [Value], seeds: [UInt64], format: NumberFormat, label: String,
                 runLearning: [LearningEntry] = []) throws -> Value {
        let first = results[0]
        switch first {
        case .number, .none, .foreign(is MeasuredValue):
            // A run where the value is undefined (none) is left out, with its seed.
            var values: [Double] = [], kept: [UInt64] = [], measured: [MeasuredValue] = []
            for (v, s) in zip(results, seeds) {
                switch v {
                case let .number(x): values.append(x); kept.append(s)
                case let .foreign(m as MeasuredValue): values.append(m.value); kept.append(s); measured.append(m)
                default: break
                }
            }
            guard !values.isEmpty else { return .none }
            var tests: [TestSample] = [], range: ClosedRange<Double>?, learning = runLearning
            if measured.count == values.count {
                learning = measured.reduce([]) { $0.merged($1.learning) }
                range = measured[0].range
                // The test items' contributions averaged over the seeds, where every run has them
                // on the same items.
                let samples = measured.compactMap(\.items)
                if samples.count == measured.count, let s0 = samples.first,
                   samples.allSatisfy({ $0.key == s0.key && $0.count == s0.count }) {
                    let mean = (0..<s0.count).map { j in samples.reduce(0) { $0 + $1.items[j] } / Double(samples.count) }
                    tests = [TestSample(key: s0.key, items: mean)]
                }
            }
            let e = try Estimate(values: values, seeds: kept, tests: tests, range: range)
            return .foreign(EstimateValue(e, format: format, learning: learning, label: label))
        case let .record(r):
            return .record(try combineRecords(results.map { if case let .record(x) = $0 { return x } else { return r } },
                                              seeds: seeds, format: format, label: label, runLearning: runLearning))
        case let .list(items):
            let lists = results.map { $0.elements ?? [] }
            guard lists.allSatisfy({ $0.count == items.count }) else { return MeasuredValue.plain(first) }
            return .list(try items.indices.map { i in
                try combine(lists.map { $0[i] }, seeds: seeds, format: format, label: "\(label) [\(i)]", runLearning: runLearning)
            })
        case let .foreign(t as TableValue):
            let tables = results.compactMap { if case let .foreign(x as TableValue) = $0 { return x } else { return nil } }
            guard tables.allSatisfy({ $0.rows.count == t.rows.count }), !t.rows.isEmpty else { return MeasuredValue.plain(first) }
            let rows = try t.rows.indices.map { i in
                try combineRecords(tables.map { $0.rows[i] }, seeds: seeds, format: format, label: "\(label), row \(i + 1)", runLearning: runLearning)
            }
            return .foreign(TableValue(markdown: try estimateTable(rows, seeds: seeds, format: format), rows: rows))
        case let .foreign(f as FigureValue):
            let figures = results.compactMap { if case let .foreign(x as FigureValue) = $0 { return x } else { return nil } }
            var fields: [String: Value] = [:]
            for (k, v) in f.fields {
                fields[k] = try combine(figures.map { $0.fields[k] ?? v }, seeds: seeds, format: format, label: "\(label) \(k)", runLearning: runLearning)
            }
            return .foreign(FigureValue(kind: f.kind, caption: f.caption + " (single run: seed \(seeds[0]) of \(seeds.count))",
                                        svg: f.svg, table: f.table, fields: fields))
        default:
            return first
        }
    }

    private func combineRecords(_ records: [Record], seeds: [UInt64], format: NumberFormat, label: String,
                                runLearning: [LearningEntry]) throws -> Record {
        Record(try records[0].fields.map { field in
            // Whole numbers that are the same in every run (support, counts) are settings, not measurements.
            let values = records.map { $0[field.name] ?? .none }
            if case let .number(x) = field.value, x == x.rounded(), values.allSatisfy({ $0.equals(field.value) }) {
                return (field.name, field.value)
            }
            if case .string = field.value { return (field.name, field.value) }
            let name = records[0].fields.first.flatMap { f -> String? in if case let .string(s) = f.value { return s } else { return nil } }
            let what = name.map { "\(label) (\($0)) \(field.name)" } ?? "\(label) \(field.name)"
            return (field.name, try combine(values, seeds: seeds, format: format, label: what, runLearning: runLearning))
        })
    }

    /// A Markdown table of records whose numbers may be estimates ("61.2 % ± 1.4" cells).
    func estimateTable(_ rows: [Record], seeds: [UInt64], format: NumberFormat) throws -> String {
        var headers: [String] = []
        for r in rows { for f in r.fields where !headers.contains(f.name) { headers.append(f.name) } }
        let notes = TableNotes()
        let cells: [[MarkdownTable.Cell]] = rows.map { r in headers.map { h in
            switch r[h] {
            case let .foreign(e as EstimateValue)?: return .text(notes.cell(e, format: e.format))
            case let .number(x)?: return .number(x)
            case nil, .none?: return .missing
            case let v?: return .text(v.description)
            }
        } }
        let table = try MarkdownTable(headers: headers, rows: cells, format: .integer)
        return "_Mean [95 % interval over \(EstimateValue.seedText(seeds)) and the test items; docs/metrics.md]._\n\n" + notes.appended(to: table.render())
    }
}

extension MeasuredValue {
    /// A value with every measurement in it replaced by its plain number (records, lists, tables).
    static func plain(_ value: Value) -> Value {
        switch value {
        case let .foreign(m as MeasuredValue): return .number(m.value)
        case let .record(r): return .record(plain(r))
        case let .list(items): return .list(items.map(plain))
        case let .foreign(t as TableValue): return .foreign(TableValue(markdown: t.markdown, rows: t.rows.map(plain)))
        case let .foreign(f as FigureValue):
            return .foreign(FigureValue(kind: f.kind, caption: f.caption, svg: f.svg, table: f.table, fields: f.fields.mapValues(plain)))
        default: return value
        }
    }
    static func plain(_ r: Record) -> Record { Record(r.fields.map { ($0.name, plain($0.value)) }) }
}
