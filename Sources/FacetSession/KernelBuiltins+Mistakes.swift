import FacetEngine
import FacetFiles
import FacetLang
import FacetReport
import FacetVision
import Foundation

// MARK: - Builtin bodies

extension MetricBuiltins {
    /// `mistakes(...)`: the samples with the highest loss as records and as a captioned grid.
    func builtinMistakes(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (args, oneRun) = firstSeedRun(args)
        let (net, _) = try networkArgument(args["model"], args.range("model"))
        let (data, task) = try datasetArgument(args["data"], args.range("data"))
        let n = try args.positiveInt("n")
        let e = try lossHead(try evaluate(net, data, task: task), args, task)
        let k = e.width
        let rows: [(index: Int, record: Record, caption: String)]
        let candidates: Int
        switch e.targets {
        case let .classes(labels):
            let probabilities = (0..<e.count).map { i in (0..<k).map { Double(e.outputs[i * k + $0]) } }
            let losses = try Metrics.classificationLosses(probabilities: probabilities, labels: labels.map(Int.init))
            candidates = losses.count
            rows = losses.prefix(n).map { s in
                let actual = e.names[s.actual], predicted = e.names[s.predicted]
                return (s.index, Record([("index", .number(Double(s.index))), ("actual", .string(actual)),
                                         ("predicted", .string(predicted)), ("probability", .number(s.probability)),
                                         ("loss", .number(s.loss))]),
                        "\(actual) → \(predicted)\n(\(fixed(s.probability, 2))) loss \(fixed(s.loss, 2))")
            }
        case let .values(targets):
            let predicted = (0..<e.count).map { i in (0..<k).map { Double(e.outputs[i * k + $0]) } }
            let actual = (0..<e.count).map { i in (0..<k).map { Double(targets[i * k + $0]) } }
            let losses = try Metrics.regressionLosses(predicted: predicted, actual: actual)
            candidates = losses.count
            rows = losses.prefix(n).map { s in
                let a = actual[s.index], p = predicted[s.index]
                let values = k <= 2 ? "\ntrue \(a.map { fixed($0, 1) }.joined(separator: ", "))\npred \(p.map { fixed($0, 1) }.joined(separator: ", "))" : "\nloss \(fixed(s.loss, 3))"
                return (s.index, Record([("index", .number(Double(s.index))),
                                         ("actual", .list(a.map { $0.isNaN ? .none : .number($0) })),
                                         ("predicted", .list(p.map { .number($0) })),
                                         ("error", .number(s.error)), ("loss", .number(s.loss))]),
                        "error \(fixed(s.error, 3))" + values)
            }
        case .multiLabel:
            throw args.callRange.error("mistakes needs a softmax or regression head; '\(e.head.name)' is \(e.head.kind.text)")
        }
        guard !rows.isEmpty else { throw args.callRange.error("\(data.name) has no labelled sample for head '\(e.label)'") }
        let note = n > candidates ? "n: \(n) is more than the \(candidates) labelled samples: all are shown" : nil
        let columns = min(8, rows.count)
        let selection = SampleSelection(rows: stride(from: 0, to: rows.count, by: columns).map {
            .init(label: "", indices: rows[$0..<min(rows.count, $0 + columns)].map(\.index))
        }, columns: columns, note: note)
        let captions = Dictionary(rows.map { ($0.index, $0.caption) }, uniquingKeysWith: { a, _ in a })
        let png: Data
        do {
            png = try data.face.sampleGrid(selection, captionLines: e.targets.isClasses ? 2 : 3) { captions[$0] ?? "" }.png()
        } catch { throw ctx.error(FileFailure.describe(error)) }
        let grid = ImageValue(kind: "mistakes", caption: "The \(rows.count) highest losses of \(e.label) on \(data.name)\(oneRun)",
                              png: png, note: note, fields: ["indices": .list(rows.map { .number(Double($0.index)) }),
                                                             "count": .number(Double(rows.count))])
        let records = rows.map(\.record)
        return .foreign(MistakesValue(grid: grid, records: records, markdown: recordsMarkdown(records),
                                      text: recordsText(records)))
    }

    /// `most_confused(...)`: off-diagonal cells of the confusion matrix with at least `min` samples.
    func builtinMostConfused(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (args, oneRun) = firstSeedRun(args)
        let minimum = try args.positiveInt("min")
        let (report, e, _) = try classification(args)
        let pairs = report.confusion.mostConfused(minimum: minimum)
        let rows = pairs.map { p in
            Record([("actual", .string(report.classes[p.actual])), ("predicted", .string(report.classes[p.predicted])),
                    ("count", .number(Double(p.count)))])
        }
        let title = "**Most confused, \(e.label)** (pairs with at least \(minimum) \(minimum == 1 ? "sample" : "samples"))\(oneRun)"
        let body = rows.isEmpty ? "No class pair is confused \(minimum) \(minimum == 1 ? "time" : "times") or more.\n"
                                : recordsMarkdown(rows)
        return .foreign(TableValue(markdown: title + "\n\n" + body, rows: rows))
    }

    /// The head `mistakes` ranks: the one named by `head:`, the regression head for a regression
    /// task, else the task's (or first) softmax head, else the first regression head.
    func lossHead(_ evals: [HeadEvaluation], _ args: BoundArguments, _ task: TaskValue.Task?) throws -> HeadEvaluation {
        let kind: String
        if headName(args) != nil || task == .regression {
            kind = "regress"
        } else {
            kind = evals.contains { $0.head.kind.keyword == "softmax" } ? "softmax" : "regress"
        }
        return try pickHead(evals, named: headName(args), task: task, kind: kind, range: args.callRange)
    }
}

extension HeadTargets {
    var isClasses: Bool { if case .classes = self { return true } else { return false } }
}

private func fixed(_ x: Double, _ digits: Int) -> String { x.isNaN ? "–" : String(format: "%.\(digits)f", x) }

/// A cell of a records table: numbers with 4 decimals (integers plain), lists comma-separated.
private func cellText(_ v: Value) -> String {
    switch v {
    case let .number(x): return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : fixed(x, 4)
    case let .list(items): return items.map(cellText).joined(separator: ", ")
    case .none: return "–"
    default: return v.description
    }
}

/// Records (same fields each) as a Markdown table.
func recordsMarkdown(_ records: [Record]) -> String {
    guard let first = records.first else { return "" }
    return markdownTable([first.fields.map(\.name)] + records.map { $0.fields.map { cellText($0.value) } })
}

/// Records as a plain-text table with aligned columns (what `print` shows).
func recordsText(_ records: [Record]) -> String {
    guard let first = records.first else { return "(none)" }
    let rows = [first.fields.map(\.name)] + records.map { $0.fields.map { cellText($0.value) } }
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
}
