import FacetEngine
import FacetLang
import FacetReport
import FacetResults
import Foundation

/// Metrics and figures over a run (or network) and a data set; over runs of several seeds, estimates.
struct MetricBuiltins: BuiltinFamily {
    /// The seed of similarity's random-weights baseline.
    unowned let seeds: any SeedSource

    func register(in r: BuiltinRegistry) {
        let modelData = [BuiltinParameter("model"), BuiltinParameter("data")]
        let head = BuiltinParameter("head", .any, default: Value.none)

        r.register("accuracy", modelData + [head, BuiltinParameter("tolerance", .integer, default: .number(0))],
                   doc: "Fraction of labelled samples whose top class is right; tolerance: k accepts ±k neighbouring classes (age bands).") { args, ctx in try self.overSeeds(args, ctx, format: .percent(1), self.builtinAccuracy) }
        r.register("mean_precision", modelData + [head],
                   doc: "The paper's \"average precision per class\": the mean of the per-class precisions.") { args, ctx in try self.overSeeds(args, ctx, format: .percent(1), self.builtinMeanPrecision) }
        r.register("classification", modelData + [head],
                   doc: "Table of per-class precision, recall, support, ROC AUC and average precision (area under the PR curve); `.rows` has a record per class (class, precision, recall, support, auc).") { args, ctx in try self.overSeeds(args, ctx, format: .percent(1), self.builtinClassification) }
        r.register("confusion", modelData + [head, BuiltinParameter("normalised", .bool, default: .bool(false))],
                   doc: "Confusion matrix as a heat map and a table (rows: actual, columns: predicted).") { args, ctx in try self.overSeeds(args, ctx, self.builtinConfusion) }
        r.register("roc", modelData + [head],
                   doc: "One-vs-rest ROC curves with the AUC of each class.") { args, ctx in try self.overSeeds(args, ctx, self.builtinRoc) }
        r.register("learning_curves", [BuiltinParameter("run", .oneOf([.foreign("run"), .foreign("runs")]))],
                   doc: "Training loss and validation error per epoch.") { args, ctx in try self.overSeeds(args, ctx, key: "run", self.builtinLearningCurves) }
        r.register("regression", modelData + [head],
                   doc: "Regression quality: mean squared error, mean cosine similarity of the non-angle outputs with the truth, and mean absolute error of yaw and pitch in degrees.") { args, ctx in try self.overSeeds(args, ctx, self.builtinRegression) }
        r.register("joint_accuracy", modelData + [head],
                   doc: "Per-attribute accuracy of a sigmoid (joint) head: the top label within each attribute's block, or yes/no for two-class attributes.") { args, ctx in try self.overSeeds(args, ctx, format: .percent(1), self.builtinJointAccuracy) }
        r.register("filters", [BuiltinParameter("model"), BuiltinParameter("title", .string, default: .string("First-layer filters"))],
                   doc: "The first convolution layer's kernels as an image grid.") { args, ctx in try self.overSeeds(args, ctx, self.builtinFilters) }
        r.register("similarity", [BuiltinParameter("models", .list), BuiltinParameter("names", .list),
                                  BuiltinParameter("baseline", .bool, default: .bool(true))],
                   doc: "Cosine similarity of the first-layer filters of several models, filters matched one-to-one (Hungarian), with a random-weights baseline.") { args, ctx in try self.overSeeds(args, ctx, key: "models", self.builtinSimilarity) }
        r.register("mistakes", modelData + [BuiltinParameter("n", .integer, default: .number(16)), head],
                   doc: "The n samples with the highest loss, as a PNG grid captioned \"true → predicted (probability)\" (regression heads: the error, true and predicted values) and as records (index, actual, predicted, probability or error, loss), highest loss first: table(mistakes(...)) tabulates them.") { args, ctx in try self.builtinMistakes(args, ctx) }
        r.register("most_confused", modelData + [head, BuiltinParameter("min", .integer, default: .number(2))],
                   doc: "Class pairs confused at least `min` times: records (actual, predicted, count), most frequent first, then by actual and predicted name.") { args, ctx in try self.builtinMostConfused(args, ctx) }
    }

    /// The classification report of the softmax head a metric call names (or implies).
    /// The run's learning check on that data is kept on the run and returned with it.
    func classification(_ args: BoundArguments) throws -> (ClassificationReport, HeadEvaluation, [LearningEntry]) {
        let (net, _) = try networkArgument(args["model"], args.range("model"))
        let (data, task) = try datasetArgument(args["data"], args.range("data"))
        let evals = try evaluate(net, data, task: task)
        let e = try pickHead(evals, named: headName(args), task: task, kind: "softmax", range: args.callRange)
        let report = try e.classification()
        let check = try LearningCheck.classification(predicted: report.predicted, actual: report.actual, classes: report.classes)
        return (report, e, recordLearning(args["model"], check, e, data: data))
    }

    func headName(_ args: BoundArguments) -> String? {
        if case let .string(s) = args["head"] { return s }
        return nil
    }

    func firstLayerBank(_ net: NetworkValue, _ range: SourceRange) throws -> FilterBank {
        guard let conv = net.network.layers.first(where: { $0 is Conv2D }) as? Conv2D else {
            throw Diagnostic(range, "this network has no convolution layer")
        }
        let s = conv.weight.shape
        return try FilterBank(weights: conv.weight.value, filters: s[0], channels: s[1], height: s[2], width: s[3])
    }
}

extension SourceRange {
    func error(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(self, message, hint: hint) }
}


// MARK: - Builtin bodies

extension MetricBuiltins {
    /// `accuracy(...)`.
    func builtinAccuracy(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (report, e, learning) = try classification(args)
        let tolerance = try args.integer("tolerance", .nonNegative)
        let value = tolerance == 0 ? report.accuracy : try report.toleranceAccuracy(tolerance)
        return measured(value, items: ItemContributions.correct(predicted: report.predicted, actual: report.actual, tolerance: tolerance),
                        labels: report.actual.map(Double.init), head: e.label, range: 0...1, learning: learning)
    }

    /// `mean_precision(...)`.
    func builtinMeanPrecision(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (report, e, learning) = try classification(args)
        return measured(report.meanPrecisionPerClass,
                        items: ItemContributions.meanPrecision(classes: report.classes.count, predicted: report.predicted, actual: report.actual),
                        labels: report.actual.map(Double.init), head: e.label, range: 0...1, learning: learning)
    }

    /// `classification(...)`.
    func builtinClassification(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (report, e, learning) = try classification(args)
        let md = try report.table().render()
        let head = String(format: "%@ — accuracy %.2f %%, mean precision per class %.2f %%", e.label,
                          report.accuracy * 100, (report.meanPrecisionPerClass ?? .nan) * 100)
        // One record per class, so a notebook can compute with the figures (`.rows`).
        let precisions = report.confusion.precisions, recalls = report.confusion.recalls
        let support = report.confusion.support, auc = report.auc
        let labels = report.actual.map(Double.init)
        func m(_ value: Double?, _ items: [Double]?) -> Value {
            measured(value, items: items, labels: labels, head: e.label, range: 0...1, learning: learning)
        }
        let rows = report.classes.indices.map { k in
            Record([("class", .string(report.classes[k])),
                    ("precision", m(precisions[k], ItemContributions.precision(k, predicted: report.predicted, actual: report.actual))),
                    ("recall", m(recalls[k], ItemContributions.recall(k, predicted: report.predicted, actual: report.actual))),
                    ("support", .number(Double(support[k]))),
                    ("auc", m(auc[k], nil))])
        }
        return .foreign(TableValue(markdown: "**\(head)**\n\n" + md, rows: rows))
    }

    /// `confusion(...)`.
    func builtinConfusion(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (report, e, _) = try classification(args)
        let table = try MarkdownTable.confusion(report.confusion, normalised: args.bool("normalised")).render()
        return .foreign(FigureValue(kind: "confusion", caption: "Confusion matrix, \(e.label)",
                                    svg: SVG.confusionMatrix(report.confusion, title: "Confusion matrix — \(e.label)"),
                                    table: table))
    }

    /// `roc(...)`.
    func builtinRoc(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (report, e, _) = try classification(args)
        return .foreign(FigureValue(kind: "roc", caption: "ROC curves, \(e.label)",
                                    svg: try SVG.rocCurves(report.roc, classes: report.classes, title: "ROC — \(e.label)")))
    }

    /// `learning_curves(...)`.
    func builtinLearningCurves(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        guard let run = args.foreign("run", as: RunValue.self) else { return .none }
        let loss = run.history.epochs.map(\.trainLoss)
        let err = run.history.epochs.map { $0.validationError ?? .nan }
        return .foreign(FigureValue(kind: "learning", caption: "Learning curves, \(run.network.net.call)",
                                    svg: try SVG.learningCurves(trainingLoss: loss, validationError: err,
                                                                title: "Learning curves — \(run.network.net.call)")))
    }

    /// `regression(...)`.
    func builtinRegression(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (net, _) = try networkArgument(args["model"], args.range("model"))
        let (data, task) = try datasetArgument(args["data"], args.range("data"))
        let e = try pickHead(try evaluate(net, data, task: task), named: self.headName(args), task: task,
                                  kind: "regress", range: args.callRange)
        let (p, a) = try e.regressionRows()
        guard !a.isEmpty else { throw args.callRange.error("no sample has all regression targets") }
        let report = try RegressionReport(predicted: p, actual: a, names: e.names)
        let learning = recordLearning(args["model"], try learningCheck(e, data: data, run: networkArgument(args["model"], args.range("model")).1), e, data: data)
        let labels = a.flatMap { $0 }
        func m(_ value: Double?, _ items: [Double]?, _ range: ClosedRange<Double>?) -> Value {
            measured(value, items: items, labels: labels, head: e.label, range: range, learning: learning)
        }
        var fields: [(name: String, value: Value)] = [("mse", m(report.meanSquaredError, ItemContributions.squaredError(predicted: p, actual: a), 0...Double.infinity))]
        let vector = e.names.indices.filter { !RegressionReport.angleNames.contains(e.names[$0]) }
        if report.hasVectorColumns {
            fields.append(("cosine", m(report.cosine, try ItemContributions.cosine(predicted: p, actual: a, columns: vector), -1...1)))
        }
        for angle in report.angleErrors {
            let c = e.names.firstIndex(of: angle.name)!
            fields.append(("\(angle.name)_error", m(angle.degrees, ItemContributions.angleError(predicted: p.map { $0[c] }, actual: a.map { $0[c] }), 0...180)))
        }
        return .record(Record(fields))
    }

    /// `joint_accuracy(...)`.
    func builtinJointAccuracy(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (net, _) = try networkArgument(args["model"], args.range("model"))
        let (data, task) = try datasetArgument(args["data"], args.range("data"))
        let e = try pickHead(try evaluate(net, data, task: task), named: self.headName(args), task: task,
                                  kind: "sigmoid", range: args.callRange)
        let scores = (0..<e.count).map { i in (0..<e.width).map { Double(e.outputs[i * e.width + $0]) } }
        let widths = HeadBinding.jointBlockWidths(data)
        let labels = data.attributes.map { $0.labels.map(Int.init) }
        let answers = try Metrics.jointAnswers(scores: scores, blockWidths: widths, labels: labels)
        let (_, run) = try networkArgument(args["model"], args.range("model"))
        let learning = recordLearning(args["model"], try learningCheck(e, data: data, run: run), e, data: data)
        return .record(Record(data.attributes.enumerated().map { b, attribute in
            let right = answers[b]
            return (attribute.name, measured(right.isEmpty ? nil : right.reduce(0, +) / Double(right.count), items: right,
                                             labels: labels[b].filter { $0 >= 0 }.map(Double.init), head: e.label + "." + attribute.name,
                                             range: 0...1, learning: learning))
        }))
    }

    /// `filters(...)`.
    func builtinFilters(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (net, _) = try networkArgument(args["model"], args.range("model"))
        let bank = try self.firstLayerBank(net, args.range("model"))
        return .foreign(FigureValue(kind: "filters", caption: args.string("title"),
                                    svg: try SVG.filterGrid(bank, title: args.string("title"))))
    }

    /// `similarity(...)`.
    func builtinSimilarity(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let models = args.list("models"), names = args.list("names").map(\.description)
        guard models.count == names.count, models.count >= 2 else {
            throw args.callRange.error("similarity needs at least 2 models and one name per model (got \(models.count) and \(names.count))")
        }
        let banks = try models.map { try self.firstLayerBank(try networkArgument($0, args.range("models")).0, args.range("models")) }
        let m = try WeightSimilarity.matrix(names: names, banks: banks, method: .matched,
                                            randomBaselineSeed: args.bool("baseline") ? seeds.nextSeed() : nil)
        // Each similarity rests on the two nets it compares (the random baseline on one): over
        // seeds, a pair of nets that learned is not marked for a third net that did not.
        let learning = models.map { v -> [LearningEntry] in if case let .foreign(r as RunValue) = v { return r.learning } else { return [] } }
        let values: [Value] = m.values.indices.map { i in
            .list(m.values[i].indices.map { j in
                let involved = (i < learning.count ? learning[i] : []).merged(j < learning.count ? learning[j] : [])
                return .foreign(MeasuredValue(m.values[i][j], items: nil, range: nil, learning: involved))
            })
        }
        return .foreign(FigureValue(kind: "similarity", caption: "First-layer similarity",
                                    svg: try SVG.similarityMatrix(m, title: "First-layer cosine similarity"),
                                    table: try MarkdownTable.similarity(m).render(),
                                    fields: ["names": .list(m.names.map { .string($0) }), "values": .list(values)]))
    }
}
