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
        optimizerName = args.string("optimizer")
        momentum = args.number("momentum")
        weightDecay = args.number("weight_decay")
        options.epochs = args.int("epochs")
        options.batchSize = args.int("batch")
        guard options.epochs >= 1 else { throw Diagnostic(args.range("epochs"), "epochs must be at least 1") }
        guard options.batchSize >= 1 else { throw Diagnostic(args.range("batch"), "batch must be at least 1") }
        options.learningRate = try Self.schedule(args["lr"], args.range("lr"))
        options.optimizer = try Self.optimizer(optimizerName, momentum: momentum, weightDecay: weightDecay, args.range("optimizer"))
        switch args["patience"] {
        case .none: break
        case let .number(p) where p >= 1 && p == p.rounded(): options.patience = Int(p)
        default: throw Diagnostic(args.range("patience"), "patience must be a whole number of epochs ≥ 1")
        }
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

    private static func schedule(_ v: Value, _ range: SourceRange) throws -> LearningRateSchedule {
        switch v {
        case let .number(x): return .constant(x)
        case let .foreign(f as ScheduleValue): return f.schedule
        default: throw Diagnostic(range, "lr must be a number or a schedule such as linear(0.0025, 0.001)")
        }
    }

    private static func optimizer(_ name: String, momentum: Double, weightDecay: Double,
                                  _ range: SourceRange) throws -> OptimizerKind {
        switch name {
        case "sgd": return .sgd(momentum: momentum, weightDecay: weightDecay)
        case "adam": return .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: weightDecay)
        default: throw Diagnostic(range, "unknown optimizer \"\(name)\"", hint: "use \"sgd\" or \"adam\"")
        }
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
