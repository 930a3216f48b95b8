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
