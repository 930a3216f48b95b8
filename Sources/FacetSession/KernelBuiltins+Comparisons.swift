import FacetEngine
import FacetLang
import FacetReport
import FacetResults
import Foundation

/// `compare`, `estimate` and `finding`: what a study concludes from estimates, each comparison and
/// finding recorded for results.json.
struct ComparisonBuiltins: BuiltinFamily {
    let results: ResultsLog

    func register(in r: BuiltinRegistry) {
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
                   """) { args, _ in
            let (a, b) = try comparedPair(args)
            let claim = ClaimedSide(rawValue: try args.choice("claim", ["greater", "less", "same"]))!
            let margin = try args.number("margin", .nonNegative)
            let finding: String?
            switch args["finding"] {
            case .none: finding = nil
            case let .string(s): finding = s
            case let v: throw Diagnostic(args.range("finding"), "finding must be a sentence (a string), got \(v.typeName)")
            }
            let notLearned = ComparisonValue.notLearnedText(a: a.learning.notLearned, b: b.learning.notLearned)
            do {
                let c = ComparisonValue(try Comparison(a.estimate, b.estimate, claim: claim, margin: margin, notLearned: notLearned),
                                        finding: finding, format: a.format, a: a, b: b,
                                        expressions: (args.range("a").text, args.range("b").text))
                results.note(c)
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
                   doc: "A finding decided by one comparison, a list of them, or records() whose fields hold them (built up in a loop): not decided when any comparison is, holds when every comparison holds, does not hold when any does not hold, inconclusive otherwise; prints the sentence, the verdict, each comparison and the per-seed values.") { args, _ in
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
            results.note(f)
            return .foreign(f)
        }
    }

    /// A ReportError's sentence without the Swift function name in front.
    static func withoutFunction(_ e: ReportError) -> String {
        let s = e.description
        guard let colon = s.range(of: ": ") else { return s }
        return String(s[colon.upperBound...])
    }
}
