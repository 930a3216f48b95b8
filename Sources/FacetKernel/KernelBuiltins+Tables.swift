import FacetEngine
import FacetLang
import FacetReport
import Foundation

extension Session {
    /// `table`, `heatmap` and `bars`: results of sweeps as Markdown tables and SVG figures.
    func registerTableBuiltins(_ r: BuiltinRegistry) {
        r.register("table", [BuiltinParameter("rows", .list), BuiltinParameter("format", .string, default: .string("fixed")),
                             BuiltinParameter("digits", .integer, default: .number(3)),
                             BuiltinParameter("highlight", .any, default: Value.none)],
                   doc: "A Markdown table from a list of records (one row each, columns from their fields). format: \"fixed\" or \"percent\"; highlight: \"max\" or \"min\" per numeric column.") { args, _ in
            let rows = args.list("rows")
            var headers: [String] = []
            var records: [Record] = []
            for (i, v) in rows.enumerated() {
                guard case let .record(rec) = v else {
                    throw Diagnostic(args.range("rows"), "table rows must be records such as {width: 16, accuracy: 0.6}; row \(i + 1) is \(v.typeName)")
                }
                records.append(rec)
                for f in rec.fields where !headers.contains(f.name) { headers.append(f.name) }
            }
            guard !records.isEmpty else { throw Diagnostic(args.range("rows"), "table needs at least one row") }
            let cells: [[MarkdownTable.Cell]] = records.map { rec in headers.map { h in
                switch rec[h] {
                case let .number(x)?: return .number(x)
                case nil, .none?: return .missing
                case let v?: return .text(v.description)
                }
            } }
            let format = try Self.numberFormat(args.string("format"), args.int("digits"), args.range("format"))
            var table = try MarkdownTable(headers: headers, rows: cells, format: format)
            // Integer-valued columns (widths, depths, epochs) print as integers.
            for c in headers.indices where records.allSatisfy({ if case let .number(x)? = $0[headers[c]] { return x == x.rounded() } else { return true } }) {
                table.columnFormats[c] = .integer
            }
            switch args["highlight"] {
            case .none: break
            case .string("max"): table.highlight = .max(.eachColumn)
            case .string("min"): table.highlight = .min(.eachColumn)
            default: throw Diagnostic(args.range("highlight"), "highlight must be \"max\" or \"min\"")
            }
            return .foreign(TableValue(markdown: table.render(), rows: records))
        }

        r.register("heatmap", [BuiltinParameter("values", .list), BuiltinParameter("rows", .list), BuiltinParameter("columns", .list),
                               BuiltinParameter("title", .string), BuiltinParameter("row_title", .string, default: .string("")),
                               BuiltinParameter("column_title", .string, default: .string("")),
                               BuiltinParameter("format", .string, default: .string("percent")),
                               BuiltinParameter("digits", .integer, default: .number(1))],
                   doc: "A heat-map table (SVG with a colour scale, plus the Markdown table): values[i][j] for row i, column j.") { args, _ in
            let rowLabels = args.list("rows").map(\.description), colLabels = args.list("columns").map(\.description)
            let values: [[Double?]] = try args.list("values").enumerated().map { i, row in
                guard let items = row.elements else { throw Diagnostic(args.range("values"), "row \(i + 1) of values is not a list") }
                return items.map { if case let .number(x) = $0 { return x } else { return nil } }
            }
            guard values.count == rowLabels.count, values.allSatisfy({ $0.count == colLabels.count }) else {
                throw Diagnostic(args.range("values"), "values must be \(rowLabels.count) rows of \(colLabels.count) numbers (one per row and column label)")
            }
            let format = try Self.numberFormat(args.string("format"), args.int("digits"), args.range("format"))
            let svg = try SVG.heatTable(values: values, rowLabels: rowLabels, columnLabels: colLabels, title: args.string("title"),
                                        rowTitle: args.string("row_title"), columnTitle: args.string("column_title"), format: format)
            let corner = [args.string("row_title"), args.string("column_title")].filter { !$0.isEmpty }.joined(separator: " \\ ")
            let md = try MarkdownTable.grid(rowLabels: rowLabels, columnLabels: colLabels, values: values, corner: corner,
                                            format: format, highlight: .max(.all)).render()
            return .foreign(FigureValue(kind: "heatmap", caption: args.string("title"), svg: svg, table: md))
        }

        r.register("bars", [BuiltinParameter("categories", .list), BuiltinParameter("values", .list),
                            BuiltinParameter("title", .string), BuiltinParameter("ylabel", .string, default: .string("")),
                            BuiltinParameter("format", .string, default: .string("percent")),
                            BuiltinParameter("series", .any, default: Value.none)],
                   doc: "A bar chart: one bar per category; values may be a list of lists for several series (named by `series`).") { args, _ in
            let cats = args.list("categories").map(\.description)
            let raw = args.list("values")
            let nested = raw.allSatisfy { $0.elements != nil }
            let columns: [[Value]] = nested ? raw.map { $0.elements! } : [raw]
            let names: [String] = args["series"].elements?.map(\.description) ?? (nested ? columns.indices.map { "series \($0 + 1)" } : [args.string("title")])
            guard names.count == columns.count else { throw Diagnostic(args.range("series"), "one series name per list of values") }
            let series = try zip(names, columns).map { name, vals -> Series in
                guard vals.count == cats.count else {
                    throw Diagnostic(args.range("values"), "\(vals.count) values for \(cats.count) categories")
                }
                return Series(name: name, values: vals.map { if case let .number(x) = $0 { return x } else { return .nan } })
            }
            let format = try Self.numberFormat(args.string("format"), 1, args.range("format"))
            return .foreign(FigureValue(kind: "bars", caption: args.string("title"),
                                        svg: try SVG.barChart(categories: cats, series: series, title: args.string("title"),
                                                              yLabel: args.string("ylabel"), format: format)))
        }
    }

    static func numberFormat(_ name: String, _ digits: Int, _ range: SourceRange) throws -> NumberFormat {
        switch name {
        case "fixed": return .fixed(digits)
        case "percent": return .percent(digits)
        case "integer": return .integer
        default: throw Diagnostic(range, "format must be \"fixed\", \"percent\" or \"integer\", got \"\(name)\"")
        }
    }
}
