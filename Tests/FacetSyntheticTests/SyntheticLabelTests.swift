import XCTest
@testable import FacetSynthetic
import FacetVision

/// Label distributions, correlations and label noise.
final class SyntheticLabelTests: XCTestCase {
    private func share(_ labels: [Int32], _ k: Int) -> Double {
        Double(labels.filter { $0 == k }.count) / Double(labels.count)
    }

    func testFERPresetHasRareDisgustAndCommonHappy() throws {
        let b = try SyntheticFaces.generate(count: 2000, seed: 1, size: 8)
        let e = b.labels[.emotion]!
        XCTAssertLessThan(share(e, Emotion.disgust.rawValue), 0.035)          // FER2013: 1.5 %
        XCTAssertGreaterThan(share(e, Emotion.happy.rawValue), 0.2)           // FER2013: 25 %
        for k in 0..<7 { XCTAssertGreaterThan(share(e, k), 0.005, "class \(k) missing") }
    }

    func testMultiAttributeAgesAreSkewedLikeTheVVSet() throws {
        let b = try SyntheticFaces.generate(count: 2000, seed: 2, size: 8, preset: .multiAttribute)
        let ages = b.labels[.age]!
        let mode = (0..<17).max { share(ages, $0) < share(ages, $1) }!
        XCTAssertEqual(AgeBand.names[mode], "23-27")
        let over50 = ages.filter { $0 >= 10 }.count                            // bands from 48-52 up
        XCTAssertLessThan(Double(over50) / 2000, 0.08)
    }

    func testUniformPresetSpreadsEmotions() throws {
        let b = try SyntheticFaces.generate(count: 1400, seed: 3, size: 8, preset: .uniform)
        for k in 0..<7 { XCTAssertEqual(share(b.labels[.emotion]!, k), 1.0 / 7, accuracy: 0.04) }
    }

    func testChildrenAndWomenHaveNoBeardAndWrinklesGrowWithAge() throws {
        let b = try SyntheticFaces.generate(count: 1500, seed: 4, size: 8, preset: .uniform)
        let beard = b.labels[.beard]!, gender = b.labels[.gender]!, ages = b.ageYears
        for i in 0..<b.count where ages[i] < 16 || gender[i] == 0 {
            XCTAssertEqual(beard[i], 0, "face \(i): age \(ages[i]) gender \(gender[i]) has a beard")
        }
        XCTAssertGreaterThan(share(beard, 2), 0.05, "some men have heavy beards")
        let col = b.targetNames.firstIndex(of: "appearance.wrinkles")!, n = b.targetNames.count
        func meanWrinkles(_ range: ClosedRange<Float>) -> Float {
            let idx = (0..<b.count).filter { range.contains(ages[$0]) }
            return idx.map { b.targets[$0 * n + col] }.reduce(0, +) / Float(idx.count)
        }
        XCTAssertLessThan(meanWrinkles(0...25), 0.05)
        XCTAssertGreaterThan(meanWrinkles(60...90), 0.5)
    }

    func testLabelNoiseChangesTheExpectedShareAndLeavesImagesAlone() throws {
        let clean = try SyntheticFaces.generate(count: 1000, seed: 5, size: 8)
        let noisy = try SyntheticFaces.generate(count: 1000, seed: 5, size: 8, labelNoise: 0.3)
        XCTAssertEqual(clean.pixels, noisy.pixels)
        XCTAssertEqual(noisy.cleanLabels, clean.labels)
        let changed = zip(noisy.labels[.emotion]!, clean.labels[.emotion]!).filter { $0 != $1 }.count
        XCTAssertEqual(Double(changed) / 1000, 0.3, accuracy: 0.05)
    }

    func testExpressionTargetsFollowTheEmotion() throws {
        let b = try SyntheticFaces.generate(count: 600, seed: 7, size: 8, preset: .uniform)
        let n = b.targetNames.count, corners = b.targetNames.firstIndex(of: "expression.mouthCorners")!
        let jaw = b.targetNames.firstIndex(of: "expression.jawDrop")!
        func mean(_ e: Emotion, _ col: Int) -> Float {
            let idx = (0..<b.count).filter { b.labels[.emotion]![$0] == e.rawValue }
            return idx.map { b.targets[$0 * n + col] }.reduce(0, +) / Float(idx.count)
        }
        XCTAssertGreaterThan(mean(.happy, corners), 0.4)
        XCTAssertLessThan(mean(.sad, corners), -0.3)
        XCTAssertGreaterThan(mean(.surprise, jaw), 0.4)
        XCTAssertLessThan(abs(mean(.neutral, corners)), 0.05)
    }

    func testAgeBandsCoverTheirAges() {
        XCTAssertEqual(AgeBand.band(ofAge: 1), 0)
        XCTAssertEqual(AgeBand.band(ofAge: 25), 5)
        XCTAssertEqual(AgeBand.names[5], "23-27")
        XCTAssertEqual(AgeBand.band(ofAge: 89), 16)
    }
}
