/// Ready-made tables for the results a notebook reports.
extension MarkdownTable {
    /// Per-class table: support, precision, recall and (when given) ROC AUC and average precision,
    /// with a final "macro mean" row: precision is `meanPrecisionPerClass` (a class with samples that
    /// is never predicted counts as 0), the other columns are means over the classes where the value
    /// exists, support is the total.
    public static func classification(_ confusion: ConfusionMatrix, auc: [Double?]? = nil,
                                      averagePrecision: [Double?]? = nil) throws -> MarkdownTable {
        let k = confusion.classCount
        if let auc { try Check.sameLength("MarkdownTable.classification", "auc", auc.count, expected: k) }
        if let averagePrecision {
            try Check.sameLength("MarkdownTable.classification", "averagePrecision", averagePrecision.count, expected: k)
        }
        var headers = ["class", "support", "precision", "recall"]
        if auc != nil { headers.append("AUC") }
        if averagePrecision != nil { headers.append("AP") }
        let precisions = confusion.precisions, recalls = confusion.recalls, support = confusion.support
        var rows: [[Cell]] = (0..<k).map { c in
            var row: [Cell] = [.text(confusion.classes[c]), .number(Double(support[c])),
                               Cell(precisions[c]), Cell(recalls[c])]
            if let auc { row.append(Cell(auc[c])) }
            if let averagePrecision { row.append(Cell(averagePrecision[c])) }
            return row
        }
        var mean: [Cell] = ["macro mean", .number(Double(confusion.total)),
                            Cell(confusion.meanPrecisionPerClass), Cell(Metrics.meanOfDefined(recalls))]
        if let auc { mean.append(Cell(Metrics.meanOfDefined(auc))) }
        if let averagePrecision { mean.append(Cell(Metrics.meanOfDefined(averagePrecision))) }
        rows.append(mean)
        var table = try MarkdownTable(headers: headers, rows: rows)
        table.columnFormats[1] = .integer
        return table
    }

    /// Confusion matrix with actual classes as rows and predicted classes as columns:
    /// counts, or row-normalised fractions as percentages.
    public static func confusion(_ confusion: ConfusionMatrix, normalised: Bool = false) throws -> MarkdownTable {
        let fractions = confusion.rowNormalised
        let rows: [[Cell]] = confusion.classes.indices.map { r in
            [.text(confusion.classes[r])] + confusion.classes.indices.map { c in
                normalised ? Cell(fractions[r]?[c]) : .number(Double(confusion.counts[r][c]))
            }
        }
        var table = try MarkdownTable(headers: ["actual \\ predicted"] + confusion.classes, rows: rows,
                                      format: normalised ? .percent(1) : .integer)
        table.highlight = .max(.eachRow)
        return table
    }

    /// A grid of values with row and column labels (e.g. accuracy by depth × width); `nil` cells print "n/a".
    public static func grid(rowLabels: [String], columnLabels: [String], values: [[Double?]],
                            corner: String = "", format: NumberFormat = .fixed(3),
                            highlight: Highlight? = nil) throws -> MarkdownTable {
        let f = "MarkdownTable.grid"
        try Check.sameLength(f, "values", values.count, expected: rowLabels.count)
        for (i, row) in values.enumerated() where row.count != columnLabels.count {
            throw ReportError.lengthMismatch(function: f, what: "values[\(i)]", expected: columnLabels.count, got: row.count)
        }
        let rows: [[Cell]] = zip(rowLabels, values).map { label, row in [.text(label)] + row.map(Cell.init) }
        var table = try MarkdownTable(headers: [corner] + columnLabels, rows: rows, format: format)
        table.highlight = highlight
        return table
    }

    /// The lower triangle of a similarity matrix, two decimals, as in the paper's Figure 16.
    public static func similarity(_ matrix: SimilarityMatrix) throws -> MarkdownTable {
        let t = matrix.lowerTriangle
        let rows: [[Cell]] = zip(t.rows, t.values).map { label, row in
            [.text(label)] + row.map { $0.map(Cell.number) ?? .text("") }
        }
        return try MarkdownTable(headers: [""] + t.columns, rows: rows, format: .fixed(2))
    }

    /// Per-label accuracy, AUC and positive count of a multi-label head, with a mean row.
    public static func multiLabel(_ result: MultiLabelResult, labels: [String]) throws -> MarkdownTable {
        try Check.sameLength("MarkdownTable.multiLabel", "labels", labels.count, expected: result.accuracy.count)
        var rows: [[Cell]] = labels.indices.map { l in
            [.text(labels[l]), .number(Double(result.positives[l])), .number(result.accuracy[l]), Cell(result.auc[l])]
        }
        rows.append(["mean", "", .number(result.meanAccuracy), Cell(result.meanAUC)])
        var table = try MarkdownTable(headers: ["label", "positives", "accuracy", "AUC"], rows: rows)
        table.columnFormats[1] = .integer
        return table
    }
}
