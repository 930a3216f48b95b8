import FacetEngine
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
    public static let policy = "Each seed of seeds: draws the initial weights, the batch order and the dropout masks; "
        + "the data set and its train/valid/test split are the same for every seed, so configurations run "
        + "with the same seeds are compared pairwise on the same test set."
}

/// A metric over repeated runs: mean, sd, n and a 95 % interval over the seeds and the test items
/// (FacetReport `Estimate`), with the learning checks of the runs behind it. Prints as
/// `61.2 % [57.0, 65.3] (95 % CI, 3 seeds, 151 test items)`. Adding or subtracting estimates over
/// the same seeds works per seed (so `deep - shallow` keeps the pairing); ordering them is refused,
/// since only `compare` can say whether one is larger.
public final class EstimateValue: ArithmeticValue {
    public let estimate: Estimate
    public let format: NumberFormat
    /// The learning checks of the runs this estimate was measured on (none for numbers given by hand).
    public let learning: [LearningEntry]
    /// What was measured: "accuracy of ferc(fc: 256) on faces | gcn (test emotion)".
    public let label: String?
    init(_ estimate: Estimate, format: NumberFormat, learning: [LearningEntry] = [], label: String? = nil) {
        self.estimate = estimate; self.format = format; self.learning = learning; self.label = label
    }

    public var typeName: String { "estimate" }
    public var description: String { estimate.text(format) + (learning.notLearnedNote.map { " — \($0)" } ?? "") }
    /// A table cell: "61.2 % [57.0, 65.3]", with "(did not learn: seeds 1, 3)" where some run did not learn.
    var cell: String { estimate.cell(format) + (learning.notLearnedNote.map { " (\($0))" } ?? "") }
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
        case "learned": return .bool(learning.notLearned.isEmpty)
        default: return nil
        }
    }
    public var memberNames: [String] { ["mean", "sd", "n", "low", "high", "values", "seeds", "learned"] }

    public func apply(_ op: BinaryOp, _ other: Value, selfOnRight: Bool) throws -> Value? {
        if [.less, .lessEqual, .greater, .greaterEqual].contains(op) {
            throw KernelError("an estimate has no single value to order with `\(op.rawValue)`: use compare(a, b) for a verdict, or .mean for the mean")
        }
        var format = self.format
        let result: Estimate
        var learning = self.learning
        var label: String?
        switch other {
        case let .number(x):
            // A fraction scaled to points (accuracy × 100) is no longer printed as a percentage;
            // averaging (÷ 7) or small factors keep it a fraction.
            let scale = op == .multiply ? abs(x) : op == .divide ? 1 / abs(x) : 1
            if scale >= 10, case let .percent(d) = format { format = .fixed(d) }
            switch (op, selfOnRight) {
            case (.add, _): result = try estimate.combined(nil, 1, 0, constant: x)
            case (.subtract, false): result = try estimate.combined(nil, 1, 0, constant: -x)
            case (.subtract, true): result = try estimate.combined(nil, -1, 0, constant: x)
            case (.multiply, _): result = try estimate.combined(nil, x, 0)
            case (.divide, false):
                guard x != 0 else { throw KernelError("division by zero") }
                result = try estimate.combined(nil, 1 / x, 0)
            case (.divide, true):
                // x / estimate is not linear in the runs: per seed, without a test-set part.
                guard !estimate.values.contains(0) else { throw KernelError("division by zero") }
                result = try Estimate(values: estimate.values.map { x / $0 }, seeds: estimate.seeds)
            default: return nil
            }
            label = self.label.map { selfOnRight ? "\(formatNumber(x)) \(op.rawValue) (\($0))" : "(\($0)) \(op.rawValue) \(formatNumber(x))" }
        case let .foreign(e as EstimateValue):
            guard e.estimate.seeds == estimate.seeds else {
                throw KernelError("cannot combine estimates over different seeds (\(Self.seedText(estimate.seeds)) and \(Self.seedText(e.estimate.seeds))) seed by seed; compare them with compare(a, b)")
            }
            guard op == .add || op == .subtract else { return nil }
            let (l, r) = selfOnRight ? (e.estimate, estimate) : (estimate, e.estimate)
            result = try l.combined(r, 1, op == .add ? 1 : -1)
            learning = learning.merged(e.learning)
            let (ll, rl) = selfOnRight ? (e.label, self.label) : (self.label, e.label)
            if let ll, let rl { label = "(\(ll)) \(op.rawValue) (\(rl))" }
        default:
            return nil
        }
        return .foreign(EstimateValue(result, format: format, learning: learning, label: label))
    }

    static func seedText(_ seeds: [UInt64]) -> String { "seeds " + seeds.map(String.init).joined(separator: ", ") }

    /// "- accuracy of …: 41.1, 44.4, 43.0 % (seeds 1, 2, 3); did not learn: seed 2", for the
    /// per-seed details under a verdict.
    func perSeedLine(_ name: String) -> String {
        var s = "- \(name)\(label.map { " — \($0)" } ?? ""): \(estimate.perSeed(format))"
        if case .percent = format { s = s.replacingOccurrences(of: " (seed", with: " % (seed") }
        if let note = learning.notLearnedNote { s += "; **\(note)**" }
        return s
    }
}

/// `compare(a, b)`: the difference of two estimates with its interval and a verdict.
public final class ComparisonValue: ForeignValue, Renderable {
    public let comparison: Comparison
    public let finding: String?
    let format: NumberFormat
    /// The two sides and the expressions that gave them (for the per-seed details and results.json).
    let a: EstimateValue, b: EstimateValue
    let expressions: (a: String, b: String)
    init(_ comparison: Comparison, finding: String?, format: NumberFormat, a: EstimateValue, b: EstimateValue,
         expressions: (a: String, b: String)) {
        self.comparison = comparison; self.finding = finding; self.format = format
        self.a = a; self.b = b; self.expressions = expressions
    }

    public var typeName: String { "comparison" }
    public var description: String { text(bold: false) }
    /// `show`: the verdict in bold, then the per-seed values it rests on.
    public func render(in session: Session) -> [OutputItem] { [.markdown(text(bold: true) + "\n\n" + details([self]))] }

    func text(bold: Bool) -> String {
        let text = comparison.text(format)
        let verdict = comparison.verdict.rawValue
        let lead = bold ? "**\(verdict)**" : verdict
        return (finding.map { "“\($0)” — " } ?? "") + lead + text.dropFirst(verdict.count)
    }

    /// A folded block with each side's per-seed values and learning checks.
    func details(_ comparisons: [ComparisonValue]) -> String {
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
        case "seeds_to_decide": return comparison.seedsToDecide.map { .number(Double($0)) } ?? .none
        default: return nil
        }
    }
    public var memberNames: [String] { ["verdict", "difference", "low", "high", "p", "method", "seeds_to_decide"] }
}

/// `finding(...)`: a sentence of the paper with the verdict of the comparisons that decide it.
public final class FindingValue: ForeignValue, Renderable {
    public let sentence: String
    public let comparisons: [ComparisonValue]
    init(sentence: String, comparisons: [ComparisonValue]) { self.sentence = sentence; self.comparisons = comparisons }

    public var verdict: Verdict { Verdict.all(comparisons.map(\.comparison.verdict)) }
    public var typeName: String { "finding" }
    public var description: String { text(bold: false) }
    public func render(in session: Session) -> [OutputItem] {
        [.markdown(text(bold: true) + "\n\n" + comparisons[0].details(comparisons))]
    }

    func text(bold: Bool) -> String {
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

extension Session {
    /// `compare` and `finding`.
    func registerSeedBuiltins(_ r: BuiltinRegistry) {
        registerFindingBuiltin(r)
        r.register("compare", [BuiltinParameter("a"), BuiltinParameter("b"),
                               BuiltinParameter("claim", .string, default: .string("greater")),
                               BuiltinParameter("margin", .number, default: .number(0.01)),
                               BuiltinParameter("finding", .any, default: Value.none)],
                   doc: """
                   Compares two estimates (metrics over seeds): the difference a − b with its 95 % interval over the seeds \
                   (paired when both used the same seeds, Welch otherwise) and the test items (paired when both were \
                   measured on the same ones), and a verdict on the claim a > b (claim: "greater"), a < b ("less") or a ≈ b \
                   ("same"). In order: not decided when a run behind either side did not learn; inconclusive when the \
                   interval has no width; "greater" holds when the interval lies entirely above +margin (default 0.01, one \
                   point of accuracy) and does not hold when it lies entirely below +margin ("less": the mirror image about \
                   −margin); "same" holds inside ±margin and does not hold entirely outside it; inconclusive otherwise, \
                   with about how many seeds would decide it. A number for a or b is a constant. finding: the sentence it \
                   decides, printed with the verdict.
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
            let notLearned = Self.notLearnedText(a: a.learning.notLearned, b: b.learning.notLearned)
            do {
                let c = ComparisonValue(try Comparison(a.estimate, b.estimate, claim: claim, margin: margin, notLearned: notLearned),
                                        finding: finding, format: a.format, a: a, b: b,
                                        expressions: (args.range("a").text, args.range("b").text))
                self.results.note(c)
                return .foreign(c)
            } catch let e as ReportError {
                throw args.callRange.error(Self.withoutFunction(e), hint: "train with seeds: 3 (or more) to get an interval")
            }
        }
        r.register("estimate", [BuiltinParameter("values", .list), BuiltinParameter("seeds", .any, default: Value.none),
                                BuiltinParameter("format", .string, default: .string("auto"))],
                   doc: """
                   An estimate from per-seed numbers measured elsewhere (a paper's runs, another tool's): estimate([0.61, \
                   0.63, 0.60]). seeds: one per value (default 1, 2, …; estimates with the same seeds are paired by \
                   compare). format: "percent" (values are proportions in [0, 1]; intervals stay inside it), "fixed", or \
                   "auto" (percent when every value lies in [0, 1]). Its interval covers the seeds only.
                   """) { args, _ in
            let values = try args.list("values").enumerated().map { i, v -> Double in
                guard case let .number(x) = v, x.isFinite else {
                    throw Diagnostic(args.range("values"), "values must be finite numbers; item \(i) is \(v.description)")
                }
                return x
            }
            guard !values.isEmpty else { throw Diagnostic(args.range("values"), "an estimate needs at least one value") }
            var seeds = (1...UInt64(values.count)).map { $0 }
            if let given = args["seeds"].elements {
                seeds = try given.map { v in
                    guard case let .number(x) = v, x >= 0, x == x.rounded(), x < 9e15 else {
                        throw Diagnostic(args.range("seeds"), "seeds must be whole numbers ≥ 0, got \(v.description)")
                    }
                    return UInt64(x)
                }
                guard seeds.count == values.count else {
                    throw Diagnostic(args.range("seeds"), "\(values.count) values need \(values.count) seeds, got \(seeds.count)")
                }
                guard Set(seeds).count == seeds.count else { throw Diagnostic(args.range("seeds"), "the seeds must differ from each other") }
            } else if case .none = args["seeds"] {} else {
                throw Diagnostic(args.range("seeds"), "seeds must be a list of whole numbers, got \(args["seeds"].typeName)")
            }
            let proportions = values.allSatisfy { $0 >= 0 && $0 <= 1 }
            let percent: Bool
            switch try args.choice("format", ["auto", "percent", "fixed"]) {
            case "percent":
                guard proportions else { throw Diagnostic(args.range("values"), "format: \"percent\" takes proportions in [0, 1]; these values leave it") }
                percent = true
            case "fixed": percent = false
            default: percent = proportions
            }
            let e = try Estimate(values: values, seeds: seeds, range: percent ? 0...1 : nil)
            return .foreign(EstimateValue(e, format: percent ? .percent(1) : .fixed(3), label: "estimate(\(args.range("values").text))"))
        }
    }

    /// "‘ferc(…) on faces | gcn’ (b) did not learn (seeds 1, 3)"; nil when every run learned.
    static func notLearnedText(a: [(configuration: String, seeds: [UInt64?])], b: [(configuration: String, seeds: [UInt64?])]) -> String? {
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
            return EstimateValue(try Estimate(values: e.estimate.values.map { _ in x }, seeds: e.estimate.seeds), format: e.format,
                                 label: formatNumber(x))
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
                   doc: "A finding decided by one comparison, a list of them, or records() whose fields hold them (built up in a loop): not decided when any comparison is, holds when every comparison holds, does not hold when any does not hold, inconclusive otherwise; prints the sentence, the verdict, each comparison and the per-seed values.") { [unowned self] args, _ in
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
            let f = FindingValue(sentence: args.string("sentence"), comparisons: comparisons)
            self.results.note(f)
            return .foreign(f)
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
            runs = try trainWholeRuns(seeds.map { try prepareRun(args, ctx, replicate: $0) })
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
        let cells: [[MarkdownTable.Cell]] = rows.map { r in headers.map { h in
            switch r[h] {
            case let .foreign(e as EstimateValue)?: return .text(e.cell)
            case let .number(x)?: return .number(x)
            case nil, .none?: return .missing
            case let v?: return .text(v.description)
            }
        } }
        let table = try MarkdownTable(headers: headers, rows: cells, format: .integer)
        return "_Mean [95 % interval over \(EstimateValue.seedText(seeds)) and the test items; docs/metrics.md]._\n\n" + table.render()
    }
}
