import XCTest
@testable import FacetReport

final class MarkdownTableTests: XCTestCase {
    func testAlignsColumnsFormatsNumbersAndHighlightsBest() throws {
        var t = try MarkdownTable(headers: ["class", "precision", "n"],
                                  rows: [["happy", 0.8126, 120], ["sad|low", 0.5, 7], ["fear", .missing, 0]])
        t.columnFormats[2] = .integer
        t.highlight = .max(.column(1))
        XCTAssertEqual(t.render(), """
            | class    | precision |   n |
            | -------- | --------: | --: |
            | happy    | **0.813** | 120 |
            | sad\\|low |     0.500 |   7 |
            | fear     |       n/a |   0 |

            """)
    }

    func testHighlightScopesAndTies() throws {
        var t = try MarkdownTable(headers: ["a", "b"], rows: [[1, 3], [2, 3]], format: .integer)
        t.highlight = .max(.eachColumn)
        XCTAssertEqual(t.render(), "|     a |     b |\n| ----: | ----: |\n|     1 | **3** |\n| **2** | **3** |\n")
        t.highlight = .min(.eachRow)
        XCTAssertEqual(t.render(), "|     a |   b |\n| ----: | --: |\n| **1** |   3 |\n| **2** |   3 |\n")
        t.highlight = .min(.all)
        XCTAssertTrue(t.render().contains("| **1** |   3 |\n|     2 |   3 |"))
        t.highlight = .max(.columns([0]))
        XCTAssertEqual(t.render(), "|     a |   b |\n| ----: | --: |\n|     1 |   3 |\n| **2** |   3 |\n")
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.fixed(2).string(0.125), "0.12")  // binary 0.125 is exact; printf rounds half to even
        XCTAssertEqual(NumberFormat.fixed(3).string(-0.0001), "0.000", "no negative zero")
        XCTAssertEqual(NumberFormat.percent(1).string(0.6712), "67.1%")
        XCTAssertEqual(NumberFormat.integer.string(41.6), "42")
        XCTAssertEqual(NumberFormat.fixed(2).string(.nan), "n/a")
        XCTAssertEqual(NumberFormat.fixed(2).string(nil), "n/a")
    }

    func testRaggedRowsThrow() {
        assertThrowsReportError(try MarkdownTable(headers: ["a", "b"], rows: [["x"]]), containing: "rows[0] has 1 elements, expected 2")
        assertThrowsReportError(try MarkdownTable(headers: [], rows: []), containing: "headers is empty")
    }

    // MARK: - Report tables (golden files)

    func testClassificationTableGolden() throws {
        let (scores, labels) = SampleData.emotionScores()
        let cm = try ConfusionMatrix(predicted: try Metrics.argmax(scores: scores), actual: labels, classes: SampleData.emotions)
        let auc = try Metrics.roc(scores: scores, labels: labels).map(\.auc)
        let ap = try Metrics.averagePrecision(scores: scores, labels: labels)
        assertGolden(try MarkdownTable.classification(cm, auc: auc, averagePrecision: ap).render(), "classification.md")
        assertGolden(try MarkdownTable.confusion(cm).render() + "\n" + MarkdownTable.confusion(cm, normalised: true).render(),
                     "confusion.md")
    }

    func testGridAndSimilarityTablesGolden() throws {
        let grid = try MarkdownTable.grid(rowLabels: SampleData.depthLabels, columnLabels: SampleData.widthLabels,
                                          values: SampleData.depthWidthAccuracy, corner: "depth \\ width",
                                          format: .percent(2), highlight: .max(.all))
        assertGolden(grid.render(), "depth_width.md")
        assertGolden(try MarkdownTable.similarity(try SampleData.paperFigure16()).render(), "similarity.md")
    }
}
