import FacetEngine
import FacetLang
import FacetReport
import FacetResults
import Foundation

/// `table`, `heatmap` and `bars`: results of sweeps as Markdown tables and SVG figures. They
/// need no service of the session: rows in, a table or figure out.
struct TableBuiltins: BuiltinFamily {
    func register(in r: BuiltinRegistry) {
        r.register("table", [BuiltinParameter("rows"), BuiltinParameter("format", .string, default: .string("fixed")),
                             BuiltinParameter("digits", .integer, default: .number(3)),
                             BuiltinParameter("highlight", .any, default: Value.none)],
                   doc: "A Markdown table from records (a list or records()), one row each, columns from their fields. format: \"fixed\", \"percent\" or \"integer\"; highlight: \"max\" or \"min\" sets the best value of each measured column in bold (integer-valued columns are taken as settings and left plain).") { args, ctx in try Self.builtinTable(args, ctx) }

        r.register("heatmap", [BuiltinParameter("rows"), BuiltinParameter("row", .string), BuiltinParameter("column", .string),
                               BuiltinParameter("value", .string), BuiltinParameter("title", .string),
                               BuiltinParameter("format", .string, default: .string("percent")),
                               BuiltinParameter("digits", .integer, default: .number(1))],
                   doc: "A heat-map table from records: one cell per (row field, column field) pair holding the value field; an SVG with a colour scale plus the Markdown grid.") { args, ctx in try Self.builtinHeatmap(args, ctx) }

        r.register("bars", [BuiltinParameter("rows"), BuiltinParameter("category", .string), BuiltinParameter("values"),
                            BuiltinParameter("title", .string), BuiltinParameter("ylabel", .string, default: .string("")),
                            BuiltinParameter("format", .string, default: .string("percent"))],
                   doc: "A bar chart from records: one group per category field value, one bar per value field (a name or a list of names).") { args, ctx in try Self.builtinBars(args, ctx) }
    }

    /// `format:` and `digits:` of `table`, `heatmap` and `bars` (which has no `digits` and shows 1).
    static func numberFormat(_ args: BoundArguments) throws -> NumberFormat {
        let format = try args.choice("format", ["fixed", "percent", "integer"])
        let digits = args.values["digits"] == nil ? 1 : try args.integer("digits", .from(0, to: 12))
        switch format {
        case "fixed": return .fixed(digits)
        case "percent": return .percent(digits)
        default: return .integer
        }
    }
}


// MARK: - Builtin bodies

extension TableBuiltins {
    /// `table(...)`.
    static func builtinTable(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let records = try recordRows(args["rows"], args.range("rows"))
        var headers: [String] = []
        for rec in records { for f in rec.fields where !headers.contains(f.name) { headers.append(f.name) } }
        guard !records.isEmpty else { throw Diagnostic(args.range("rows"), "table needs at least one row") }
        let format = try Self.numberFormat(args)
        let notes = TableNotes()
        let cells: [[MarkdownTable.Cell]] = records.map { rec in headers.map { h in
            switch rec[h] {
            case let .number(x)?: return .number(x)
            case let .foreign(e as EstimateValue)?: return .text(notes.cell(e, format: format))
            case nil, .none?: return .missing
            case let v?: return .text(v.description)
            }
        } }
        var table = try MarkdownTable(headers: headers, rows: cells, format: format)
        // Integer-valued columns (widths, depths, epochs, parameter counts) print as integers; they
        // are the settings of a sweep, so `highlight` marks the best value of the other columns only.
        var measured: [Int] = []
        for c in headers.indices {
            if records.allSatisfy({ if case let .number(x)? = $0[headers[c]] { return x == x.rounded() } else { return true } }) {
                table.columnFormats[c] = .integer
            } else {
                measured.append(c)
            }
        }
        switch args["highlight"] {
        case .none: break
        case .string("max"): table.highlight = .max(.columns(measured))
        case .string("min"): table.highlight = .min(.columns(measured))
        default: throw Diagnostic(args.range("highlight"), "highlight must be \"max\" or \"min\"")
        }
        return .foreign(TableValue(markdown: notes.appended(to: table.render()), rows: records))
    }

    /// `heatmap(...)`.
    static func builtinHeatmap(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let records = try recordRows(args["rows"], args.range("rows"))
        let (rf, cf, vf) = (args.string("row"), args.string("column"), args.string("value"))
        for (i, rec) in records.enumerated() {
            for f in [rf, cf, vf] { _ = try requireField(f, of: rec, row: i, args.callRange) }
        }
        var rowKeys: [String] = [], colKeys: [String] = []
        for rec in records {
            let rk = rec[rf]!.description, ck = rec[cf]!.description
            if !rowKeys.contains(rk) { rowKeys.append(rk) }
            if !colKeys.contains(ck) { colKeys.append(ck) }
        }
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: colKeys.count), count: rowKeys.count)
        var estimates = [[EstimateValue?]](repeating: [EstimateValue?](repeating: nil, count: colKeys.count), count: rowKeys.count)
        for rec in records {
            let (r, c) = (rowKeys.firstIndex(of: rec[rf]!.description)!, colKeys.firstIndex(of: rec[cf]!.description)!)
            switch rec[vf] {
            case let .number(v)?: values[r][c] = v
            case let .foreign(e as EstimateValue)?: values[r][c] = e.estimate.mean; estimates[r][c] = e
            default: continue
            }
        }
        let format = try Self.numberFormat(args)
        // Estimates colour the SVG by their mean; the Markdown grid shows their interval.
        let svg = try SVG.heatTable(values: values, rowLabels: rowKeys, columnLabels: colKeys, title: args.string("title"),
                                    rowTitle: rf, columnTitle: cf, format: format)
        let corner = "\(rf) \\ \(cf)"
        let md = estimates.joined().contains { $0 != nil }
            ? try Self.estimateGrid(rowKeys, colKeys, values, estimates, corner: corner, format: format)
            : try MarkdownTable.grid(rowLabels: rowKeys, columnLabels: colKeys, values: values, corner: corner,
                                     format: format, highlight: .max(.all)).render()
        return .foreign(FigureValue(kind: "heatmap", caption: args.string("title"), svg: svg, table: md))
    }

    /// `bars(...)`.
    static func builtinBars(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let records = try recordRows(args["rows"], args.range("rows"))
        guard !records.isEmpty else { throw Diagnostic(args.range("rows"), "bars needs at least one row") }
        let fields: [String]
        switch args["values"] {
        case let .string(f): fields = [f]
        case let v: fields = (v.elements ?? []).map(\.description)
        }
        guard !fields.isEmpty else { throw Diagnostic(args.range("values"), "name the field(s) to plot") }
        let cats = records.map { $0[args.string("category")]?.description ?? "?" }
        let series = fields.map { f in
            Series(name: f, values: records.map {
                switch $0[f] {
                case let .number(x)?: return x
                case let .foreign(e as EstimateValue)?: return e.estimate.mean
                default: return .nan
                }
            })
        }
        // Estimates get their 95 % interval as an error bar.
        let intervals = fields.map { f in records.map { r -> ClosedRange<Double>? in
            if case let .foreign(e as EstimateValue)? = r[f] { return e.estimate.interval() } else { return nil }
        } }
        let format = try Self.numberFormat(args)
        let hasIntervals = intervals.joined().contains { $0 != nil }
        return .foreign(FigureValue(kind: "bars", caption: args.string("title") + (hasIntervals ? " (error bars: 95 % CI over seeds and test items)" : ""),
                                    svg: try SVG.barChart(categories: cats, series: series, title: args.string("title"),
                                                          yLabel: args.string("ylabel"), format: format,
                                                          intervals: hasIntervals ? intervals : nil)))
    }
}

extension TableBuiltins {
    /// A heat-map grid whose cells are "mean [interval]" of estimates (plain numbers as they
    /// are), the best mean in bold; a cell whose runs did not all learn says so.
    static func estimateGrid(_ rows: [String], _ columns: [String], _ means: [[Double?]], _ estimates: [[EstimateValue?]],
                             corner: String, format: NumberFormat) throws -> String {
        let best = means.joined().compactMap { $0 }.max()
        let notes = TableNotes()
        let cells: [[MarkdownTable.Cell]] = rows.indices.map { r in
            [.text(rows[r])] + columns.indices.map { c in
                guard let mean = means[r][c] else { return .missing }
                let text = estimates[r][c].map { notes.cell($0, format: format) } ?? format.string(mean)
                return .text(mean == best ? "**\(text)**" : text)
            }
        }
        let n = estimates.joined().compactMap { $0?.estimate.n }.max() ?? 1
        return "_Cells: mean [95 % interval over \(n) seeds and the test items; docs/metrics.md]._\n\n"
            + notes.appended(to: try MarkdownTable(headers: [corner] + columns, rows: cells, format: format).render())
    }
}
