import FacetRandom
import XCTest
@testable import FacetReport

final class SVGTests: XCTestCase {
    func testROCCurvesGoldenAndStructure() throws {
        let (scores, labels) = SampleData.emotionScores()
        let curves = try Metrics.roc(scores: scores, labels: labels)
        let svg = try SVG.rocCurves(curves, classes: SampleData.emotions, title: "Emotion ROC (one vs rest)")
        let counts = svgElementCounts(svg)
        XCTAssertEqual(counts["polyline"], 7, "one line per class")
        XCTAssertTrue(svg.contains("stroke-dasharray=\"4 3\""), "chance diagonal")
        XCTAssertTrue(svg.contains(">happy (AUC \(NumberFormat.fixed(3).string(curves[3].auc)))</text>"))
        XCTAssertEqual(svg, try SVG.rocCurves(curves, classes: SampleData.emotions, title: "Emotion ROC (one vs rest)"),
                       "deterministic")
        assertGolden(svg, "roc.svg")
    }

    func testLargeROCCurvesAreThinnedToWhatIsVisible() throws {
        var rng = SeededGenerator(seed: 11)
        let n = 20_000
        let positives = (0..<n).map { _ in rng.next() % 2 == 0 }
        let scores = positives.map { ($0 ? 0.3 : 0) + rng.unitDouble() }   // 53-bit draws: 20,000 distinct scores
        let curve = try Metrics.roc(scores: scores, positives: positives)
        XCTAssertEqual(curve.falsePositiveRates.count, n + 1, "every distinct score is a point of the curve")
        let svg = try SVG.rocCurves([curve], classes: ["x"])
        let polyline = svg.split(separator: "\n").first { $0.hasPrefix("<polyline") } ?? ""
        let drawn = polyline.split(separator: " ").filter { $0.contains(",") }.count
        XCTAssertLessThan(drawn, 1_500, "at most about one point per half pixel of a 720-pixel path")
        XCTAssertGreaterThan(drawn, 50)
        XCTAssertTrue(polyline.contains("points=\"64,400 "), "starts at (0, 0)")
        XCTAssertTrue(polyline.contains(" 424,40\""), "ends at (1, 1)")
    }

    func testThinningKeepsCornersAndEnds() {
        // A staircase: (0,0) → (0,5) → (0,10) → (5,10) → (10,10): the middle of each straight run goes.
        let kept = thinned([(0, 0), (0, 5), (0, 10), (5, 10), (10, 10)])
        XCTAssertEqual(kept.map { [$0.0, $0.1] }, [[0, 0], [0, 10], [10, 10]])
        XCTAssertEqual(thinned([(0, 0), (0.1, 0.1), (0.2, 0.2), (3, 3)]).count, 2, "sub-pixel steps dropped")
    }

    func testUndefinedROCCurveIsListedNotDrawn() throws {
        let curves = try Metrics.roc(scores: [[0.9, 0.1, 0], [0.2, 0.8, 0]], labels: [0, 1])
        let svg = try SVG.rocCurves(curves, classes: ["a", "b", "c <none>"])
        XCTAssertEqual(svgElementCounts(svg)["polyline"], 2)
        XCTAssertTrue(svg.contains("c &lt;none&gt; (AUC n/a)"), "escaped name, AUC n/a")
        assertThrowsReportError(try SVG.rocCurves(curves, classes: ["a"]), containing: "classes has 1 elements, expected 3")
    }

    func testConfusionMatrixGolden() throws {
        let (scores, labels) = SampleData.emotionScores()
        let cm = try ConfusionMatrix(predicted: try Metrics.argmax(scores: scores), actual: labels, classes: SampleData.emotions)
        let svg = SVG.confusionMatrix(cm, title: "Emotion confusion matrix")
        let counts = svgElementCounts(svg)
        XCTAssertEqual(counts["rect"], 1 + 49, "background + one cell per class pair")
        XCTAssertEqual(counts["title"], 49, "hover text per cell")
        XCTAssertTrue(svg.contains(">\(cm.counts[3][3])</text>"), "happy→happy count is written")
        assertGolden(svg, "confusion.svg")
    }

    func testHeatTablesGolden() throws {
        let grid = try SVG.heatTable(values: SampleData.depthWidthAccuracy, rowLabels: SampleData.depthLabels,
                                     columnLabels: SampleData.widthLabels, title: "Test accuracy by depth and width",
                                     rowTitle: "depth", columnTitle: "width", format: .percent(1))
        XCTAssertEqual(svgElementCounts(grid)["rect"], 1 + 9 + 32 + 1, "background, cells, colour-bar bands and frame")
        XCTAssertTrue(grid.contains(">67.1%</text>"))
        assertGolden(grid, "depth_width.svg")
        let similarity = try SVG.similarityMatrix(try SampleData.paperFigure16(), title: "Cosine similarity of first-layer weights")
        XCTAssertEqual(svgElementCounts(similarity)["rect"], 1 + 55 + 32 + 1, "lower triangle of 11 names has 55 cells")
        assertGolden(similarity, "similarity.svg")
        assertThrowsReportError(try SVG.heatTable(values: [[1, 2]], rowLabels: ["r"], columnLabels: ["c"], title: ""),
                                containing: "values[0] has 2 elements, expected 1")
    }

    func testLearningCurvesGolden() throws {
        let (loss, error) = SampleData.learningCurves()
        let svg = try SVG.learningCurves(trainingLoss: loss, validationError: error)
        XCTAssertEqual(svgElementCounts(svg)["polyline"], 2)
        assertGolden(svg, "learning_curves.svg")
        // A diverged epoch splits the line rather than drawing through NaN.
        let broken = try SVG.lineChart([Series(name: "loss", values: [1, 0.5, .nan, 0.4, 0.3])], title: "t")
        XCTAssertEqual(svgElementCounts(broken)["polyline"], 2)
        XCTAssertFalse(broken.contains("nan"))
    }

    func testBarChartGolden() throws {
        let (scores, labels) = SampleData.emotionScores()
        let cm = try ConfusionMatrix(predicted: try Metrics.argmax(scores: scores), actual: labels, classes: SampleData.emotions)
        let svg = try SVG.barChart(categories: SampleData.emotions,
                                   series: [Series(name: "precision", values: cm.precisions.map { $0 ?? .nan }),
                                            Series(name: "recall", values: cm.recalls.map { $0 ?? .nan })],
                                   title: "Per-class precision and recall", yLabel: "fraction")
        let counts = svgElementCounts(svg)
        XCTAssertEqual(counts["title"], 14, "one bar per class and series")
        assertGolden(svg, "bars.svg")
        assertThrowsReportError(try SVG.barChart(categories: ["a"], series: [Series(name: "s", values: [-1])], title: ""),
                                containing: "negative value -1")
    }

    func testSingleSeriesBarChartWithLongLabelsGolden() throws {
        // Accuracy per attribute, as in the paper's VV experiments, with one value missing.
        let attributes = ["emotion", "age (±2.5 y)", "age (±5 y)", "gender", "ethnicity", "glasses", "beard", "moustache"]
        let accuracy = [0.6656, 0.5312, 0.7213, 0.9224, 0.8561, 0.9410, 0.7722, .nan]
        let svg = try SVG.barChart(categories: attributes, series: [Series(name: "accuracy", values: accuracy)],
                                   title: "Accuracy per attribute", yLabel: "accuracy", format: .percent(1))
        XCTAssertEqual(svgElementCounts(svg)["title"], 7, "no bar for the missing value")
        XCTAssertTrue(svg.contains(">n/a</text>"))
        XCTAssertFalse(svg.contains("rotate(-40"), "labels fit their bands")
        XCTAssertTrue(svg.contains(">80%</text>"), "axis ticks use the bars' percent format")
        assertGolden(svg, "bars_attributes.svg")
        let crowded = try SVG.barChart(categories: (1...16).map { "attribute \($0)" },
                                       series: [Series(name: "accuracy", values: Array(repeating: 0.5, count: 16))],
                                       title: "Crowded")
        XCTAssertTrue(crowded.contains("rotate(-40"), "labels wider than their bands are set at an angle")
    }

    func testFilterGridGolden() throws {
        let svg = try SVG.filterGrid(try SampleData.filters())
        XCTAssertEqual(svgElementCounts(svg)["rect"], 1 + 16 * 25, "one square per weight")
        assertGolden(svg, "filters.svg")
    }

    func testThreeChannelFiltersAreDrawnInColour() throws {
        // One 1×2 filter: R = [1, 0], G = [0, −1], B = [0, 0]; scale 1 → pixel 0 (255, 128, 128), pixel 1 (128, 0, 128).
        let bank = try FilterBank(weights: [1, 0, 0, -1, 0, 0], filters: 1, channels: 3, height: 1, width: 2)
        let svg = try SVG.filterGrid(bank)
        XCTAssertEqual(svgElementCounts(svg)["rect"], 1 + 2)
        XCTAssertTrue(svg.contains("fill=\"#ff8080\""))
        XCTAssertTrue(svg.contains("fill=\"#800080\""))
        assertThrowsReportError(try SVG.filterGrid(bank, pixel: 0), containing: "pixel size 0")
    }
}
