import Foundation
import XCTest
@testable import FacetReport

/// Compares against values computed once with scikit-learn (scripts/make_report_fixtures.py).
final class SklearnFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct Binary: Decodable {
            let name: String
            let scores: [Double]
            let labels: [Int]
            let auc: Double
            let average_precision: Double
            let roc_fpr, roc_tpr, roc_thresholds: [Double]
            let pr_precision, pr_recall, pr_thresholds: [Double]
        }
        struct Multiclass: Decodable {
            let scores: [[Double]]
            let labels, predicted: [Int]
            let accuracy: Double
            let confusion: [[Int]]
            let precision, recall, auc, average_precision: [Double?]
            let macro_auc: Double
        }
        struct MultiLabel: Decodable {
            let scores: [[Double]]
            let targets: [[Int]]
            let auc, accuracy: [Double]
        }
        struct Regression: Decodable {
            let predicted, actual: [[Double]]
            let mse: Double
            let cosine: [Double]
            let mean_cosine: Double
        }
        let binary: [Binary]
        let multiclass: Multiclass
        let multilabel: MultiLabel
        let regression: Regression
    }

    var fixture: Fixture!

    override func setUpWithError() throws {
        fixture = try JSONDecoder().decode(Fixture.self, from: try fixtureData("sklearn_metrics.json"))
    }

    func testBinaryROCCurvesAUCAndAveragePrecision() throws {
        XCTAssertEqual(fixture.binary.map(\.name), ["continuous", "ties"])
        for b in fixture.binary {
            let positives = b.labels.map { $0 == 1 }
            let roc = try Metrics.roc(scores: b.scores, positives: positives)
            assertClose(roc.auc, b.auc, "\(b.name) AUC")
            assertClose(roc.falsePositiveRates, b.roc_fpr, "\(b.name) FPR")
            assertClose(roc.truePositiveRates, b.roc_tpr, "\(b.name) TPR")
            assertClose(Array(roc.thresholds.dropFirst()), b.roc_thresholds, "\(b.name) thresholds")
            let pr = try Metrics.precisionRecall(scores: b.scores, positives: positives)
            assertClose(pr.averagePrecision, b.average_precision, "\(b.name) AP")
            assertClose(pr.precisions, b.pr_precision, "\(b.name) precision curve")
            assertClose(pr.recalls, b.pr_recall, "\(b.name) recall curve")
            assertClose(pr.thresholds, b.pr_thresholds, "\(b.name) PR thresholds")
        }
    }

    func testMulticlassOneVsRest() throws {
        let m = fixture.multiclass
        XCTAssertEqual(try Metrics.argmax(scores: m.scores), m.predicted)
        let curves = try Metrics.roc(scores: m.scores, labels: m.labels)
        assertClose(curves.map(\.auc), m.auc, "per-class AUC")
        assertClose(Metrics.macroAUC(curves), m.macro_auc, "macro AUC")
        assertClose(try Metrics.averagePrecision(scores: m.scores, labels: m.labels), m.average_precision, "per-class AP")
        let cm = try ConfusionMatrix(predicted: m.predicted, actual: m.labels, classCount: 5)
        XCTAssertEqual(cm.counts, m.confusion)
        assertClose(cm.accuracy, m.accuracy, "accuracy")
        assertClose(cm.precisions, m.precision, "precision")
        assertClose(cm.recalls, m.recall, "recall")
    }

    func testMultiLabelAUCAndAccuracy() throws {
        let m = fixture.multilabel
        let r = try Metrics.multiLabel(scores: m.scores, targets: m.targets.map { $0.map { $0 == 1 } })
        assertClose(r.auc, m.auc, "per-label AUC")
        assertClose(r.accuracy, m.accuracy, "per-label accuracy")
    }

    func testRegressionMSEAndCosine() throws {
        let r = fixture.regression
        assertClose(try Metrics.meanSquaredError(predicted: r.predicted, actual: r.actual), r.mse, "MSE")
        let cos = try Metrics.cosineSimilarity(predicted: r.predicted, actual: r.actual)
        assertClose(cos.perSample, r.cosine, "per-sample cosine")
        assertClose(cos.mean, r.mean_cosine, "mean cosine")
        XCTAssertTrue(cos.undefinedSamples.isEmpty)
    }
}
