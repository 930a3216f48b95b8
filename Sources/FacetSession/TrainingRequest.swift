import FacetEngine
import FacetLang
import Foundation

/// A `train(...)` call's settings, parsed and validated once where they enter.
///
/// The trainer consumes `options`; the progress display, the run's record and a saved model's
/// metadata read `settings`. Nothing downstream looks at the raw arguments again.
struct TrainingRequest {
    /// What the engine's trainer runs.
    var options = TrainingOptions()
    /// The optimizer as the user named it ("sgd" or "adam").
    var optimizerName: String
    var momentum: Double
    var weightDecay: Double

    /// Parses `train`'s arguments; each error points at the argument that is wrong. `seed` reads the
    /// `seed:` argument (the session's next seed when the call gives none).
    init(_ args: BoundArguments, spec: NetSpec, seed: (BoundArguments) throws -> UInt64) throws {
        // A million epochs is far past any use; the bound keeps epochs × batches far from overflow.
        options.epochs = try args.integer("epochs", .from(1, to: 1_000_000))
        options.batchSize = try args.positiveInt("batch")
        options.learningRate = try Self.schedule(args)
        momentum = try args.number("momentum", .from(0, below: 1))
        weightDecay = try args.number("weight_decay", .nonNegative)
        optimizerName = try args.choice("optimizer", ["sgd", "adam"])
        options.optimizer = optimizerName == "adam"
            ? .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: weightDecay)
            : .sgd(momentum: momentum, weightDecay: weightDecay)
        options.patience = try args.optionalInteger("patience", .atLeast(1))
        options.seed = try seed(args)
        options.heads = try Self.heads(args["heads"], of: spec, args.range("heads"))
    }

    /// The settings as (name, text) pairs, in the order runs print and models record them.
    var settings: [(String, String)] {
        [("epochs", "\(options.epochs)"), ("batch", "\(options.batchSize)"), ("optimizer", optimizerName),
         ("lr", ScheduleValue(options.learningRate).description), ("momentum", formatNumber(momentum)),
         ("weight_decay", formatNumber(weightDecay)), ("seed", "\(options.seed)"),
         ("patience", options.patience.map(String.init) ?? "none")]
    }

    /// `seeds:` as a count (`seeds: 3` is seeds 1, 2, 3) or a list of distinct whole numbers; nil
    /// when absent. At least 2, so the runs give an interval; not together with `seed:`.
    static func seedList(_ args: BoundArguments) throws -> [UInt64]? {
        let range = args.range("seeds")
        let seeds: [UInt64]
        switch args["seeds"] {
        case .none: return nil
        case let .number(n):
            guard n >= 2, n <= 1000, n == n.rounded() else {
                throw Diagnostic(range, "seeds must be a whole number of runs from 2 to 1000 (or a list of seeds), got \(args["seeds"].repr)")
            }
            seeds = (1...UInt64(n)).map { $0 }
        case let .list(items):
            seeds = try items.map { item in
                guard case let .number(s) = item, s >= 0, s <= BoundArguments.largestExactInteger, s == s.rounded() else {
                    throw Diagnostic(range, "seeds must be whole numbers from 0 to 2^53, got \(item.repr)")
                }
                return UInt64(s)
            }
            guard seeds.count >= 2 else { throw Diagnostic(range, "seeds needs at least 2 seeds for an interval, got \(seeds.count)") }
            guard Set(seeds).count == seeds.count else { throw Diagnostic(range, "seeds must be distinct, got \(args["seeds"].repr)") }
        case let v:
            throw Diagnostic(range, "seeds must be a number of runs or a list of seeds, got \(v.typeName)")
        }
        if case .number = args["seed"] {
            throw Diagnostic(args.range("seed"), "give either seed: (one run) or seeds: (repeated runs), not both")
        }
        return seeds
    }

    /// `lr:` as a number or a schedule; every rate the schedule can give must be finite and > 0.
    private static func schedule(_ args: BoundArguments) throws -> LearningRateSchedule {
        let schedule: LearningRateSchedule
        switch args["lr"] {
        case .number: return .constant(try args.number("lr", .positive))
        case let .foreign(f as ScheduleValue): schedule = f.schedule
        default: throw Diagnostic(args.range("lr"), "lr must be a number or a schedule such as linear(0.0025, 0.001)")
        }
        if case let .linear(from, to, _) = schedule, !Accepted.positive.contains(from) || !Accepted.positive.contains(to) {
            throw Diagnostic(args.range("lr"), "lr must be \(Accepted.positive.description) throughout, got a schedule from \(formatNumber(from)) to \(formatNumber(to))")
        }
        return schedule
    }

    /// `heads: ["emotion", "age"]`: train only these; nil trains every head with targets.
    private static func heads(_ v: Value, of spec: NetSpec, _ range: SourceRange) throws -> Set<String>? {
        guard case let .list(names) = v else { return nil }
        let known = spec.heads.map(\.name)
        var set = Set<String>()
        for n in names {
            guard case let .string(s) = n, known.contains(s) else {
                throw Diagnostic(range, "heads must name this net's heads: \(known.joined(separator: ", "))")
            }
            set.insert(s)
        }
        return set
    }
}
