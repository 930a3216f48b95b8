import FacetFiles
import FacetEngine
import FacetVision
import FacetLang
import FacetResults
import Foundation

/// `train`, `linear` and `predict` (`save`, for networks and runs, is the language's: `SavableModel`).
struct TrainingBuiltins: BuiltinFamily {
    /// Weights and trainer seeds: the session's stream, or fixed per replicate of `seeds:`.
    unowned let seeds: any SeedSource
    /// The pipeline to train through, and what the session notes of a training.
    unowned let training: any TrainingService
    /// Where every trained run is recorded (results.json).
    let results: ResultsLog

    func register(in r: BuiltinRegistry) {
        r.register("linear", [BuiltinParameter("from", .number), BuiltinParameter("to", .number),
                              BuiltinParameter("over", .integer, default: .number(50))],
                   doc: "Learning rate falling linearly from `from` to `to` over `over` epochs (the paper: linear(0.0025, 0.001)).",
                   pure: true) { args, _ in
            .foreign(ScheduleValue(.linear(from: try args.number("from", .positive), to: try args.number("to", .positive),
                                           over: try args.positiveInt("over"))))
        }

        r.register("train", [
            BuiltinParameter("net"), BuiltinParameter("data"),
            BuiltinParameter("epochs", .integer, default: .number(50)),
            BuiltinParameter("batch", .integer, default: .number(100)),
            BuiltinParameter("lr", .any, default: .foreign(ScheduleValue(.paper))),
            BuiltinParameter("momentum", .number, default: .number(0.9)),
            BuiltinParameter("weight_decay", .number, default: .number(0)),
            BuiltinParameter("optimizer", .string, default: .string("sgd")),
            BuiltinParameter("patience", .any, default: Value.none),
            BuiltinParameter("seed", .any, default: Value.none),
            BuiltinParameter("heads", .any, default: Value.none),
            BuiltinParameter("seeds", .any, default: Value.none),
            BuiltinParameter("parallel", .any, default: Value.none),
        ], doc: """
        Trains a net (or continues a network or run) on a data set's train split, validating on its valid \
        split after every epoch; keeps the best weights. lr: a number or linear(from, to); optimizer: "sgd" \
        (momentum, the paper's) or "adam"; patience: epochs without improvement before stopping; heads: \
        names of the heads to train; seeds: a number of runs (3 = seeds 1, 2, 3) or a list of seeds, training \
        the net once per seed (fresh weights, batch order and dropout masks; same data and split) and giving \
        runs whose metrics are estimates with a 95 % interval. parallel: under mpirun, "batches" splits each \
        batch across ranks (the default for one seed) or "runs" gives whole runs to ranks in turn (the default \
        for several seeds); either way the results equal one process's (docs/distributed.md).
        """, check: { args, ctx in
            try self.checkTrainingMemory(args, ctx)
        }) { args, ctx in
            try self.train(args, ctx)
        }

        r.register("predict", [BuiltinParameter("model"), BuiltinParameter("data")],
                   doc: "Each head's outputs (probabilities, label scores or values) for every sample, as lists.") { args, _ in
            let (network, _) = try networkArgument(args["model"], args.range("model"))
            let data = try datasetArgument(args["data"], args.range("data")).data
            try DataMemory.checkImageMemory(count: data.count, side: data.size, "a tensor of \(data.count) crops of \(data.size)×\(data.size)",
                                      at: args.range("data"), hint: "predict on fewer samples")
            let out = try network.network.predict(data.tensor(Array(0..<data.count)), batchSize: 100)
            return .record(Record(network.network.heads.map { h in
                let t = out[h.spec.name]!, k = h.spec.kind.outputs
                return (name: h.spec.name, value: .list((0..<data.count).map { i in
                    .list((0..<k).map { .number(Double(t.data[i * k + $0])) })
                }))
            }))
        }
    }

    // MARK: training runs

    /// How `train` spreads work over ranks: one run's batches split across ranks, or whole runs
    /// (seeds) given to ranks in turn.
    enum RankMode: String { case batches, runs }

    /// `train`'s `parallel:` (or its default: several seeds → whole runs, one → batches); nil when
    /// not under several ranks. The argument is checked either way, so a notebook that runs alone
    /// fails the same way under mpirun.
    func rankMode(_ args: BoundArguments, seeds: Int) throws -> RankMode? {
        let chosen: RankMode?
        if case .none = args["parallel"] { chosen = nil } else {
            chosen = RankMode(rawValue: try args.choice("parallel", ["batches", "runs"]))
        }
        guard training.underRanks else { return nil }
        return chosen ?? (seeds > 1 ? .runs : .batches)
    }

    func train(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let replicates = try TrainingRequest.seedList(args)
        let mode = try rankMode(args, seeds: replicates?.count ?? 1)
        if let replicates { return try trainSeeds(replicates, args, ctx, mode: mode) }
        guard mode == .runs else { return .foreign(try trainOnce(args, ctx, replicate: nil)) }
        // One whole run under several ranks: one rank trains it, the others receive it.
        return .foreign(try trainWholeRuns([prepareRun(args, ctx, replicate: nil)])[0])
    }

    /// `train(..., seeds:)`: one run per seed, each through the result cache.
    func trainSeeds(_ replicates: [UInt64], _ args: BoundArguments, _ ctx: CallContext, mode: RankMode? = nil) throws -> Value {
        var runs: [RunValue] = []
        if mode == .runs {
            runs = try trainWholeRuns(replicates.map { try prepareRun(args, ctx, replicate: $0) })
        } else {
            for s in replicates { runs.append(try trainOnce(args, ctx, replicate: s)) }
        }
        training.noteSeedRuns(runs.count)
        return .foreign(RunsValue(runs: runs, seeds: replicates))
    }

    /// One training run. `replicate` is a seed of `seeds:`: it fixes the initial weights and the
    /// trainer's seed (batch order, dropout masks) instead of the seed stream. Under
    /// several ranks its batches are split across them.
    func trainOnce(_ args: BoundArguments, _ ctx: CallContext, replicate: UInt64?) throws -> RunValue {
        let run = try prepareRun(args, ctx, replicate: replicate)
        return run.result(try training.trainer().train(run.job))
    }

    /// Whole runs, in order (under several ranks, given to ranks in turn).
    func trainWholeRuns(_ prepared: [PreparedRun]) throws -> [RunValue] {
        zip(prepared, try training.trainer().trainRuns(prepared.map(\.job))).map { $0.result($1) }
    }

    /// A training run made ready: its job (fresh weights drawn, data gathered) and how to turn its
    /// history into the run value.
    struct PreparedRun {
        let job: TrainingJob
        let result: (TrainingHistory) -> RunValue
    }

    func prepareRun(_ args: BoundArguments, _ ctx: CallContext, replicate: UInt64?) throws -> PreparedRun {
        let (data, task) = try trainingData(args)
        let chosen = try trainingNetwork(args, ctx, for: data, replicate: replicate)
        let request = try TrainingRequest(args, spec: chosen.spec, seed: { a in
            try replicate.map { seeds.replicateSeed($0, stream: 2) } ?? seeds.seedArgument(a)
        })
        let trainIdx = data.indices(.train), validIdx = data.indices(.valid)
        guard !trainIdx.isEmpty else { throw Diagnostic(args.range("data"), "\(data.name) has no training samples") }
        // Before a fresh net's weights exist: a step that cannot fit is an error, not an abort.
        try checkTrainingMemory(chosen.spec, request.options, args)
        let networkValue = try chosen.value()
        let network = networkValue.network
        let bindings = try HeadBinding.bind(network, to: data, task: task)
        func labeled(_ idx: [Int]) -> LabeledData {
            LabeledData(inputs: data.tensor(idx), targets: Dictionary(uniqueKeysWithValues: bindings.map {
                ($0.head.name, $0.targets.gather(idx, width: $0.head.kind.outputs))
            }))
        }
        let job = TrainingJob(network: network, label: networkValue.net.call, dataName: data.name, options: request.options,
                              train: labeled(trainIdx), valid: validIdx.isEmpty ? nil : labeled(validIdx),
                              origin: training.callOrigin(ctx), failure: { ctx.error($0) })
        // What a regression head that learned nothing would predict: each output's training mean.
        var means: [String: [Double]] = [:]
        for b in bindings {
            guard case let .values(t) = b.targets else { continue }
            let k = b.head.kind.outputs
            means[b.head.name] = (0..<k).map { j in
                let column = trainIdx.map { Double(t[$0 * k + j]) }.filter { !$0.isNaN }
                return column.isEmpty ? 0 : column.reduce(0, +) / Double(column.count)
            }
        }
        return PreparedRun(job: job) { [results] history in
            let run = RunValue(network: networkValue, history: history, dataName: data.name, task: task,
                               steps: data.steps, settings: request.settings, preprocessing: data.preprocessingJSON,
                               labelNames: Dictionary(uniqueKeysWithValues: bindings.map { ($0.head.name, $0.names) }),
                               replicate: replicate, trainingMeans: means)
            recordValidationCheck(run, data)
            results.note(run)
            return run
        }
    }

    /// The data set to train on: split, aligned, and the task chosen from it.
    private func trainingData(_ args: BoundArguments) throws -> (DatasetValue, TaskValue.Task?) {
        let (data, task) = try datasetArgument(args["data"], args.range("data"))
        guard data.isSplit else {
            throw Diagnostic(args.range("data"), "\(data.name) has no train/valid/test split",
                             hint: "split it first: data | split(0.8, 0.1, 0.1)")
        }
        guard !data.isScene else {
            throw Diagnostic(args.range("data"), "\(data.name) holds raw scenes", hint: "align them first: data | align")
        }
        return (data, task)
    }

    /// A net description to instantiate (its seed drawn now, before `train`'s own, so seeds keep
    /// their order), or an existing network to continue; its input must match the data.
    private func trainingNetwork(_ args: BoundArguments, _ ctx: CallContext, for data: DatasetValue,
                                 replicate: UInt64?) throws -> TrainingNet {
        let chosen: TrainingNet
        let weightSeed = { replicate.map { seeds.replicateSeed($0, stream: 1) } ?? seeds.nextSeed() }
        switch args["net"] {
        case let .net(n):
            guard n.spec != nil else { throw Diagnostic(args.range("net"), "net `\(n.name)` has no `input`") }
            chosen = .fresh(n, seed: weightSeed())
        case .netDefinition:
            let v = try ctx.interpreter.call(args["net"], [], at: args.range("net"))
            guard case let .net(n) = v, n.spec != nil else { throw Diagnostic(args.range("net"), "cannot instantiate this net") }
            chosen = .fresh(n, seed: weightSeed())
        default:
            if replicate != nil {
                throw Diagnostic(args.range("net"), "seeds: trains a net description from fresh weights per seed; a trained network or run cannot be repeated",
                                 hint: "pass the net itself, e.g. train(ferc(), data, seeds: 3)")
            }
            chosen = .existing(try networkArgument(args["net"], args.range("net")).0)
        }
        let input = chosen.spec.input
        guard input == FeatureShape(channels: 1, height: data.size, width: data.size) else {
            throw Diagnostic(args.range("data"), "the net takes \(input) inputs, but \(data.name) holds \(data.size)x\(data.size)x1 faces",
                             hint: "resize the data (data | resize(\(input.height))) or set the net's input size")
        }
        return chosen
    }
}
