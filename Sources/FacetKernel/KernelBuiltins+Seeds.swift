import FacetLang
import FacetRandom
import FacetReport
import Foundation

/// One configuration trained under several seeds: what `train(..., seeds: n)` returns. Metric
/// builtins given it evaluate every run and return estimates (``EstimateValue``).
public final class RunsValue: ForeignValue, Renderable {
    public let runs: [RunValue]
    public let seeds: [UInt64]
    init(runs: [RunValue], seeds: [UInt64]) { self.runs = runs; self.seeds = seeds }

    public var typeName: String { "runs" }
    public var description: String {
        let first = runs[0]
        let epochs = runs.map { "\($0.history.epochs.count)" }.joined(separator: ", ")
        return "\(runs.count) runs of \(first.network.net.call) on \(first.dataName), seeds \(seeds.map(String.init).joined(separator: ", ")): "
            + "\(epochs) epochs, " + ProgressBar.duration(runs.reduce(0) { $0 + $1.history.seconds })
    }
    public func member(_ name: String) -> Value? {
        switch name {
        case "runs": return .list(runs.map { .foreign($0) })
        case "seeds": return .list(seeds.map { .number(Double($0)) })
        case "seconds": return .number(runs.reduce(0) { $0 + $1.history.seconds })
        default: return nil
        }
    }
    public var memberNames: [String] { ["runs", "seeds", "seconds"] }
    public func render(in session: Session) -> [OutputItem] { [.markdown(description + "\n\n_" + Self.policy + "_")] }

    /// What a seed varies, for `show` and the report footer.
    static let policy = "Each seed of seeds: draws the initial weights, the batch order and the dropout masks; "
        + "the data set and its train/valid/test split are the same for every seed, so configurations run "
        + "with the same seeds are compared pairwise on the same test set."
}

/// A metric over repeated runs: mean, sd, n and a 95 % Student-t interval (FacetReport `Estimate`).
/// Prints as `61.2 % ± 1.4 (95 % CI, 3 seeds)`. Adding or subtracting estimates over the same
/// seeds works per seed (so `deep - shallow` keeps the pairing); ordering them is refused, since
/// only `compare` can say whether one is larger.
public final class EstimateValue: ArithmeticValue {
    public let estimate: Estimate
    public let format: NumberFormat
    init(_ estimate: Estimate, format: NumberFormat) { self.estimate = estimate; self.format = format }

    public var typeName: String { "estimate" }
    public var description: String { estimate.text(format) }
    public func member(_ name: String) -> Value? {
        let interval = estimate.interval()
        switch name {
        case "mean": return .number(estimate.mean)
        case "sd": return estimate.sd.map(Value.number) ?? .none
        case "n": return .number(Double(estimate.n))
        case "low": return interval.map { .number($0.lowerBound) } ?? .none
        case "high": return interval.map { .number($0.upperBound) } ?? .none
        case "values": return .list(estimate.values.map(Value.number))
        case "seeds": return .list(estimate.seeds.map { .number(Double($0)) })
        default: return nil
        }
    }
    public var memberNames: [String] { ["mean", "sd", "n", "low", "high", "values", "seeds"] }

    public func apply(_ op: BinaryOp, _ other: Value, selfOnRight: Bool) throws -> Value? {
        if [.less, .lessEqual, .greater, .greaterEqual].contains(op) {
            throw KernelError("an estimate has no single value to order with `\(op.rawValue)`: use compare(a, b) for a verdict, or .mean for the mean")
        }
        let mine = estimate.values
        let theirs: [Double]
        var format = self.format
        switch other {
        case let .number(x):
            theirs = mine.map { _ in x }
            // A fraction scaled to points (accuracy × 100) is no longer printed as a percentage;
            // averaging (÷ 7) or small factors keep it a fraction.
            let scale = op == .multiply ? abs(x) : op == .divide ? 1 / abs(x) : 1
            if scale >= 10, case let .percent(d) = format { format = .fixed(d) }
        case let .foreign(e as EstimateValue):
            guard e.estimate.seeds == estimate.seeds else {
                throw KernelError("cannot combine estimates over different seeds (\(Self.seedText(estimate.seeds)) and \(Self.seedText(e.estimate.seeds))) seed by seed; compare them with compare(a, b)")
            }
            guard op == .add || op == .subtract else { return nil }
            theirs = e.estimate.values
        default:
            return nil
        }
        let (l, r) = selfOnRight ? (theirs, mine) : (mine, theirs)
        let values: [Double]
        switch op {
        case .add: values = zip(l, r).map { $0 + $1 }
        case .subtract: values = zip(l, r).map { $0 - $1 }
        case .multiply: values = zip(l, r).map { $0 * $1 }
        case .divide:
            guard !r.contains(0) else { throw KernelError("division by zero") }
            values = zip(l, r).map { $0 / $1 }
        default: return nil
        }
        return .foreign(EstimateValue(try Estimate(values: values, seeds: estimate.seeds), format: format))
    }

    static func seedText(_ seeds: [UInt64]) -> String { "seeds " + seeds.map(String.init).joined(separator: ", ") }
}

/// `compare(a, b)`: the difference of two estimates with its interval and a three-way verdict.
public final class ComparisonValue: ForeignValue, Renderable {
    public let comparison: Comparison
    public let finding: String?
    let format: NumberFormat
    init(_ comparison: Comparison, finding: String?, format: NumberFormat) {
        self.comparison = comparison; self.finding = finding; self.format = format
    }

    public var typeName: String { "comparison" }
    public var description: String { text(bold: false) }
    /// `show`: the verdict in bold.
    public func render(in session: Session) -> [OutputItem] { [.markdown(text(bold: true))] }

    func text(bold: Bool) -> String {
        let text = comparison.text(format)
        let verdict = comparison.verdict.rawValue
        let lead = bold ? "**\(verdict)**" : verdict
        return (finding.map { "“\($0)” — " } ?? "") + lead + text.dropFirst(verdict.count)
    }
    public func member(_ name: String) -> Value? {
        switch name {
        case "verdict": return .string(comparison.verdict.rawValue)
        case "difference": return .number(comparison.difference)
        case "low": return .number(comparison.interval.lowerBound)
        case "high": return .number(comparison.interval.upperBound)
        case "p": return .number(comparison.p)
        case "method": return .string(comparison.method.rawValue)
        default: return nil
        }
    }
    public var memberNames: [String] { ["verdict", "difference", "low", "high", "p", "method"] }
}

/// `finding(...)`: a sentence of the paper with the verdict of the comparisons that decide it.
public final class FindingValue: ForeignValue, Renderable {
    public let sentence: String
    public let comparisons: [ComparisonValue]
    init(sentence: String, comparisons: [ComparisonValue]) { self.sentence = sentence; self.comparisons = comparisons }

    public var verdict: Verdict { Verdict.all(comparisons.map(\.comparison.verdict)) }
    public var typeName: String { "finding" }
    public var description: String { text(bold: false) }
    public func render(in session: Session) -> [OutputItem] { [.markdown(text(bold: true))] }

    func text(bold: Bool) -> String {
        let lead = "“\(sentence)” — " + (bold ? "**\(verdict.rawValue)**" : verdict.rawValue)
        if comparisons.count == 1 {
            let c = comparisons[0].comparison
            return lead + c.text(comparisons[0].format).dropFirst(c.verdict.rawValue.count)
        }
        let held = comparisons.filter { $0.comparison.verdict == .holds }.count
        return lead + " (\(held) of \(comparisons.count) comparisons hold):\n\n"
            + comparisons.map { "- " + $0.text(bold: false) }.joined(separator: "\n")
    }
    public func member(_ name: String) -> Value? { name == "verdict" ? .string(verdict.rawValue) : nil }
    public var memberNames: [String] { ["verdict"] }
}

extension Session {
    /// `compare` and `finding`.
    func registerSeedBuiltins(_ r: BuiltinRegistry) {
        registerFindingBuiltin(r)
        r.register("compare", [BuiltinParameter("a"), BuiltinParameter("b"),
                               BuiltinParameter("claim", .string, default: .string("greater")),
                               BuiltinParameter("margin", .number, default: .number(0.01)),
                               BuiltinParameter("finding", .any, default: Value.none)],
                   doc: """
                   Compares two estimates (metrics over seeds): the difference a − b with its 95 % interval (paired by \
                   seed when both used the same seeds, Welch otherwise) and a verdict on the claim a > b (claim: \
                   "greater") or a < b ("less"): holds when the interval lies entirely on the claimed side of 0; does not \
                   hold when it lies entirely on the other side or inside ±margin (default 0.01, one point of accuracy); \
                   inconclusive otherwise; claim: "same" holds when the interval lies inside ±margin and does not hold \
                   when it lies entirely outside. A number for a or b is a constant (a one-sample t test). finding: the \
                   sentence it decides, printed with the verdict.
                   """) { [unowned self] args, _ in
            let (a, b) = try self.comparedPair(args)
            let claim = ClaimedSide(rawValue: try args.choice("claim", ["greater", "less", "same"]))!
            let margin = try args.number("margin", .nonNegative)
            let finding: String?
            switch args["finding"] {
            case .none: finding = nil
            case let .string(s): finding = s
            case let v: throw Diagnostic(args.range("finding"), "finding must be a sentence (a string), got \(v.typeName)")
            }
            do {
                return .foreign(ComparisonValue(try Comparison(a.estimate, b.estimate, claim: claim, margin: margin),
                                                finding: finding, format: a.format))
            } catch let e as ReportError {
                throw args.callRange.error(Self.withoutFunction(e), hint: "train with seeds: 3 (or more) to get an interval")
            }
        }
    }

    /// compare's a and b: two estimates, or an estimate and a number (taken as a constant over
    /// the estimate's seeds, so the test is a one-sample t test on a − b).
    private func comparedPair(_ args: BoundArguments) throws -> (EstimateValue, EstimateValue) {
        func estimate(_ name: String) -> EstimateValue? {
            if case let .foreign(e as EstimateValue) = args[name] { return e } else { return nil }
        }
        func constant(_ name: String, like e: EstimateValue) throws -> EstimateValue {
            guard case let .number(x) = args[name] else {
                throw Diagnostic(args.range(name), "\(name) must be an estimate (a metric of runs trained with seeds:) or a number, got \(args[name].typeName)",
                                 hint: "train(net, data, seeds: 3) gives runs; accuracy(runs, data.test) gives an estimate")
            }
            return EstimateValue(try Estimate(values: e.estimate.values.map { _ in x }, seeds: e.estimate.seeds), format: e.format)
        }
        switch (estimate("a"), estimate("b")) {
        case let (a?, b?): return (a, b)
        case let (a?, nil): return (a, try constant("b", like: a))
        case let (nil, b?): return (try constant("a", like: b), b)
        default:
            throw Diagnostic(args.range("a"), "a must be an estimate (a metric of runs trained with seeds:), got \(args["a"].typeName)",
                             hint: "train(net, data, seeds: 3) gives runs; accuracy(runs, data.test) gives an estimate")
        }
    }

    /// `finding(sentence, comparisons)`.
    func registerFindingBuiltin(_ r: BuiltinRegistry) {
        r.register("finding", [BuiltinParameter("sentence", .string), BuiltinParameter("comparisons")],
                   doc: "A finding decided by one comparison, a list of them, or records() whose fields hold them (built up in a loop): holds when every comparison holds, does not hold when any does not hold, inconclusive otherwise; prints the sentence, the verdict and each comparison.") { args, _ in
            var items = args["comparisons"].elements ?? [args["comparisons"]]
            if case let .foreign(records as RecordsValue) = args["comparisons"] {
                items = records.items.flatMap { $0.fields.map(\.value) }
            }
            let comparisons = try items.map { item -> ComparisonValue in
                guard case let .foreign(c as ComparisonValue) = item else {
                    throw Diagnostic(args.range("comparisons"), "comparisons must be results of compare(...), got \(item.typeName)")
                }
                return c
            }
            guard !comparisons.isEmpty else { throw Diagnostic(args.range("comparisons"), "a finding needs at least one comparison") }
            return .foreign(FindingValue(sentence: args.string("sentence"), comparisons: comparisons))
        }
    }

    /// A ReportError's sentence without the Swift function name in front.
    static func withoutFunction(_ e: ReportError) -> String {
        let s = e.description
        guard let colon = s.range(of: ": ") else { return s }
        return String(s[colon.upperBound...])
    }

    /// The weights (stream 1) or trainer (stream 2) seed of replicate `seed`, mixed with the
    /// session's seed so `--seed` gives another set of replicates; the session's own stream is
    /// not advanced, so adding seeds to one call leaves every other number of a notebook alone.
    func replicateSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: self.seed ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    /// `train(..., seeds:)`: one run per seed, each through the result cache.
    func trainSeeds(_ seeds: [UInt64], _ args: BoundArguments, _ ctx: CallContext, mode: RankMode? = nil) throws -> Value {
        var runs: [RunValue] = []
        if mode == .runs {
            runs = try trainWholeRuns(seeds.map { try prepareRun(args, ctx, replicate: $0) }, ctx)
        } else {
            for s in seeds { runs.append(try trainOnce(args, ctx, replicate: s)) }
        }
        seedRunsTrained += runs.count
        return .foreign(RunsValue(runs: runs, seeds: seeds))
    }

    // MARK: metrics over runs

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
        guard let first = groups.first else { return try body(args, ctx) }
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
        return try combine(results, seeds: first.seeds, format: format)
    }

    /// Per-seed results of one metric as one value: numbers become estimates, records and lists
    /// are combined field by field, tables row by row; figures keep the first seed's picture,
    /// labelled as one run.
    func combine(_ results: [Value], seeds: [UInt64], format: NumberFormat) throws -> Value {
        let first = results[0]
        switch first {
        case .number, .none:
            // A run where the value is undefined (none) is left out, with its seed.
            var values: [Double] = [], kept: [UInt64] = []
            for (v, s) in zip(results, seeds) { if case let .number(x) = v { values.append(x); kept.append(s) } }
            guard !values.isEmpty else { return .none }
            return .foreign(EstimateValue(try Estimate(values: values, seeds: kept), format: format))
        case let .record(r):
            return .record(try combineRecords(results.map { if case let .record(x) = $0 { return x } else { return r } },
                                              seeds: seeds, format: format))
        case let .list(items):
            let lists = results.map { $0.elements ?? [] }
            guard lists.allSatisfy({ $0.count == items.count }) else { return first }
            return .list(try items.indices.map { i in try combine(lists.map { $0[i] }, seeds: seeds, format: format) })
        case let .foreign(t as TableValue):
            let tables = results.compactMap { if case let .foreign(x as TableValue) = $0 { return x } else { return nil } }
            guard tables.allSatisfy({ $0.rows.count == t.rows.count }), !t.rows.isEmpty else { return first }
            let rows = try t.rows.indices.map { i in try combineRecords(tables.map { $0.rows[i] }, seeds: seeds, format: format) }
            return .foreign(TableValue(markdown: try estimateTable(rows, seeds: seeds, format: format), rows: rows))
        case let .foreign(f as FigureValue):
            let figures = results.compactMap { if case let .foreign(x as FigureValue) = $0 { return x } else { return nil } }
            var fields: [String: Value] = [:]
            for (k, v) in f.fields { fields[k] = try combine(figures.map { $0.fields[k] ?? v }, seeds: seeds, format: format) }
            return .foreign(FigureValue(kind: f.kind, caption: f.caption + " (single run: seed \(seeds[0]) of \(seeds.count))",
                                        svg: f.svg, table: f.table, fields: fields))
        default:
            return first
        }
    }

    private func combineRecords(_ records: [Record], seeds: [UInt64], format: NumberFormat) throws -> Record {
        Record(try records[0].fields.map { field in
            // Whole numbers that are the same in every run (support, counts) are settings, not measurements.
            let values = records.map { $0[field.name] ?? .none }
            if case let .number(x) = field.value, x == x.rounded(), values.allSatisfy({ $0.equals(field.value) }) {
                return (field.name, field.value)
            }
            if case .string = field.value { return (field.name, field.value) }
            return (field.name, try combine(values, seeds: seeds, format: format))
        })
    }

    /// A Markdown table of records whose numbers may be estimates ("61.2 % ± 1.4" cells).
    func estimateTable(_ rows: [Record], seeds: [UInt64], format: NumberFormat) throws -> String {
        var headers: [String] = []
        for r in rows { for f in r.fields where !headers.contains(f.name) { headers.append(f.name) } }
        let cells: [[MarkdownTable.Cell]] = rows.map { r in headers.map { h in
            switch r[h] {
            case let .foreign(e as EstimateValue)?: return .text(e.estimate.cell(e.format))
            case let .number(x)?: return .number(x)
            case nil, .none?: return .missing
            case let v?: return .text(v.description)
            }
        } }
        let table = try MarkdownTable(headers: headers, rows: cells, format: .integer)
        return "_Mean ± half-width of the 95 % interval (Student t) over \(EstimateValue.seedText(seeds))._\n\n" + table.render()
    }
}
