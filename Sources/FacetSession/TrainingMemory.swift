import FacetEngine
import FacetLang

/// What `train` trains: a net description not yet instantiated, or a network it continues.
enum TrainingNet {
    case fresh(NetValue, seed: UInt64)
    case existing(NetworkValue)

    var spec: NetSpec {
        switch self {
        case let .fresh(n, _): return n.spec!
        case let .existing(v): return v.network.spec
        }
    }

    /// The network to train; a fresh one is built (and its weights drawn) only now.
    func value() throws -> NetworkValue {
        switch self {
        case let .fresh(n, seed): return NetworkValue(network: try Network(spec: n.spec!, seed: seed), net: n)
        case let .existing(v): return v
        }
    }
}

extension TrainingBuiltins {
    /// Refuses a training run whose step would not fit the memory limit, before anything is
    /// allocated: at the `batch:` argument when a smaller batch fits, else at the net. The batch is
    /// taken as written, not capped at the data's size, so `facet check` (which does not know the
    /// data) and the run give the same verdict.
    func checkTrainingMemory(_ spec: NetSpec, _ options: TrainingOptions, _ args: BoundArguments) throws {
        let estimate = try spec.memory(.training(batch: options.batchSize, optimizer: options.optimizer))
        let limit = MemoryLimit.current
        guard let problem = estimate.problem(within: limit) else { return }
        if estimate.largestBatch(within: limit) != nil {
            throw Diagnostic(args.range("batch"), "\(problem)", hint: "lower `batch:`")
        }
        throw Diagnostic(args.range("net"), "\(problem)",
                         hint: "\(MemoryLimit.variable) sets the limit; a smaller net is the only fix")
    }

    /// `train`'s check while checking: the memory check above when the net, the batch and the
    /// optimizer are known before running (the data, and so their size, usually are not).
    func checkTrainingMemory(_ args: BoundArguments, _ ctx: CallContext) throws {
        let spec: NetSpec
        switch args["net"] {
        case let .net(n): guard let s = n.spec else { return }; spec = s
        case .netDefinition:
            guard case let .net(n) = try ctx.interpreter.call(args["net"], [], at: args.range("net")), let s = n.spec else { return }
            spec = s
        default: return
        }
        guard case let .number(batch) = args["batch"], batch >= 1, batch == batch.rounded(), batch < 1e15,
              case let .string(optimizer) = args["optimizer"] else { return }
        var options = TrainingOptions()
        options.batchSize = Int(batch)
        options.optimizer = optimizer == "adam" ? .defaultAdam : .paperSGD
        try checkTrainingMemory(spec, options, args)
    }
}
