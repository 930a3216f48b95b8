import XCTest
@testable import FacetReport

/// The learning check on hand-made predictions (docs/metrics.md, "Learning checks").
final class LearningCheckTests: XCTestCase {
    let classes = ["a", "b", "c"]
    /// 100 faces: 40 of class a, 35 of b, 25 of c.
    var actual: [Int] { Array(repeating: 0, count: 40) + Array(repeating: 1, count: 35) + Array(repeating: 2, count: 25) }

    /// Always answering one class: accuracy equals that class's share, nothing learned.
    func testConstantPredictorDidNotLearn() throws {
        let c = try LearningCheck.classification(predicted: actual.map { _ in 1 }, actual: actual, classes: classes)
        XCTAssertFalse(c.learned)
        XCTAssertEqual(c.score, 0.35, accuracy: 1e-12)
        XCTAssertEqual(c.baseline, 0.40, accuracy: 1e-12)
        XCTAssertEqual(c.majorityClass, "a")
        XCTAssertEqual(c.topPredicted?.name, "b")
        XCTAssertEqual(c.topPredicted?.predictedShare ?? 0, 1, accuracy: 1e-12)
        XCTAssertTrue(c.sentence.hasPrefix("did not learn: accuracy 35.0 % against the majority-class rate 40.0 % ('a')"), c.sentence)
        XCTAssertTrue(c.sentence.contains("collapsed onto one class"), c.sentence)
    }

    /// Always answering the majority class: accuracy = majority rate, not beyond it by the margin
    /// max(2 points, 2·√(0.4·0.6/100) = 9.8 points).
    func testMajorityPredictorDidNotLearn() throws {
        let c = try LearningCheck.classification(predicted: actual.map { _ in 0 }, actual: actual, classes: classes)
        XCTAssertFalse(c.learned)
        XCTAssertEqual(c.score, 0.40, accuracy: 1e-12)
        XCTAssertEqual(c.threshold, 0.40 + 2 * (0.24 / 100).squareRoot(), accuracy: 1e-12)
    }

    /// A real predictor: 70 of 100 right, spread over the classes.
    func testRealPredictorLearned() throws {
        var predicted = actual
        for i in stride(from: 0, to: 100, by: 10) { predicted[i] = (predicted[i] + 1) % 3; predicted[i + 1] = (predicted[i + 1] + 2) % 3; predicted[i + 2] = (predicted[i + 2] + 1) % 3 }
        let c = try LearningCheck.classification(predicted: predicted, actual: actual, classes: classes)
        XCTAssertEqual(c.score, 0.70, accuracy: 1e-12)
        XCTAssertTrue(c.learned, c.sentence)
        XCTAssertTrue(c.sentence.hasPrefix("learned: accuracy 70.0 %"), c.sentence)
    }

    /// Just above the majority rate but within the margin: not learned. Beyond it: learned.
    func testMarginIsTwoStandardErrors() throws {
        func check(right: Int) throws -> LearningCheck {
            // `right` correct answers, the rest wrong, predictions spread over the classes.
            let predicted = actual.enumerated().map { i, y in i < right ? y : (y + 1) % 3 }
            return try LearningCheck.classification(predicted: predicted, actual: actual, classes: classes)
        }
        XCTAssertFalse(try check(right: 45).learned, "45 % < 40 % + 9.8")
        XCTAssertTrue(try check(right: 50).learned, "50 % ≥ 49.8 %")
    }

    /// A class that really makes up 90 % of the data may get 90 % of the predictions.
    func testPredictingACommonClassOftenIsNotCollapse() throws {
        let y = Array(repeating: 0, count: 90) + Array(repeating: 1, count: 10)
        var p = y
        p[90] = 0; p[91] = 0      // 92 % predicted 0, 98 % right
        let c = try LearningCheck.classification(predicted: p, actual: y, classes: ["no", "yes"])
        XCTAssertTrue(c.learned, c.sentence)
        XCTAssertFalse(c.sentence.contains("collapsed"))
    }

    func testRegressionAgainstTheTrainingMean() throws {
        let actual: [[Double]] = [[0, 1], [2, 3], [4, 5], [6, 7]]
        let mean = [3.0, 4.0]
        let constant = try LearningCheck.regression(predicted: actual.map { _ in mean }, actual: actual, trainingMean: mean)
        XCTAssertFalse(constant.learned)
        XCTAssertEqual(constant.score, constant.baseline, accuracy: 1e-12)
        let good = try LearningCheck.regression(predicted: actual.map { $0.map { $0 + 0.5 } }, actual: actual, trainingMean: mean)
        XCTAssertTrue(good.learned)
        XCTAssertEqual(good.score, 0.25, accuracy: 1e-12)
        XCTAssertEqual(good.baseline, 5, accuracy: 1e-12)
    }

    func testMultiLabelUsesTheMeanOverAttributes() throws {
        let dead = try LearningCheck.multiLabel(accuracies: [0.9, 0.5], majorityRates: [0.9, 0.5], samples: [100, 100])
        XCTAssertFalse(dead.learned)
        let alive = try LearningCheck.multiLabel(accuracies: [0.95, 0.8], majorityRates: [0.9, 0.5], samples: [100, 100])
        XCTAssertTrue(alive.learned)
    }
}
