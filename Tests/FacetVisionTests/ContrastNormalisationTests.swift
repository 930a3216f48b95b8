import Foundation
import FacetRandom
import XCTest
@testable import FacetVision

final class ContrastNormalisationTests: XCTestCase {
    /// 3×3 crops with varied content; splits set by hand.
    private func dataset(_ images: [[UInt8]], splits: [Split]) -> FaceDataset {
        let bytes = images.flatMap { $0 }
        let store = bytes.withUnsafeBufferPointer { CropStore(count: images.count, size: 3, copying: $0) }
        var d = FaceDataset(crops: store, attributes: [], labels: [:], classes: [:], targetNames: [], targets: [],
                            sourceSplits: splits, sources: images.indices.map { "image \($0)" },
                            summary: PipelineSummary())
        d.splits = splits
        return d
    }

    private func randomImages(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<9).map { _ in UInt8(generator.below(256)) } }
    }

    func testPerImageStepGivesZeroMeanAndNorm100() throws {
        let d = try dataset(randomImages(5, seed: 1), splits: Array(repeating: .train, count: 5))
            .normalised(ContrastNormalisation(perImage: true, perPixel: false))
        for i in 0..<5 {
            let x = d.pixels([i])
            XCTAssertEqual(x.reduce(0, +) / 9, 0, accuracy: 1e-4)
            XCTAssertEqual(x.map { $0 * $0 }.reduce(0, +).squareRoot(), 100, accuracy: 1e-3)
        }
    }

    /// `scale`: raw pixels times the factor (1/255 → [0, 1]) and nothing else.
    func testScaleStepMapsPixelsIntoTheUnitInterval() throws {
        let d = try dataset([[0, 51, 102, 153, 204, 255, 255, 0, 1]], splits: [.train])
            .normalised(ContrastNormalisation(perImage: false, perPixel: false, scale: 1 / 255))
        let x = d.pixels([0])
        XCTAssertEqual(x[0], 0)
        XCTAssertEqual(x[1], 0.2, accuracy: 1e-7)
        XCTAssertEqual(x[5], 1, accuracy: 1e-7)
        XCTAssertTrue(x.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// Saved models and cache keys from before `scale` keep their JSON: it is written only when
    /// it is not 1, and read as 1 when absent.
    func testScaleIsWrittenOnlyWhenNotOne() throws {
        let plain = String(decoding: try JSONEncoder().encode(ContrastNormalisation()), as: UTF8.self)
        XCTAssertFalse(plain.contains("scale"), plain)
        let old = #"{"perImage":true,"norm":100,"perPixel":true}"#
        XCTAssertEqual(try JSONDecoder().decode(ContrastNormalisation.self, from: Data(old.utf8)), ContrastNormalisation())
        let scaled = ContrastNormalisation(perImage: false, perPixel: false, scale: 1 / 255)
        let text = try JSONEncoder().encode(scaled)
        XCTAssertTrue(String(decoding: text, as: UTF8.self).contains("scale"))
        XCTAssertEqual(try JSONDecoder().decode(ContrastNormalisation.self, from: text), scaled)
    }

    func testFlatImageStaysZeroInsteadOfNaN() throws {
        let d = try dataset([[7, 7, 7, 7, 7, 7, 7, 7, 7]], splits: [.train])
            .normalised(ContrastNormalisation(perImage: true, perPixel: false))
        XCTAssertEqual(d.pixels([0]), [Float](repeating: 0, count: 9))
    }

    func testPerPixelStatisticsComeFromTrainingSplitOnly() throws {
        let images = randomImages(40, seed: 2)
        let splits: [Split] = (0..<40).map { $0 < 30 ? .train : ($0 < 35 ? .valid : .test) }
        let d = try dataset(images, splits: splits).normalised(ContrastNormalisation())

        // Train: every pixel position has mean 0 and standard deviation 1.
        let train = d.pixels(in: .train)
        for j in 0..<9 {
            let column = stride(from: j, to: train.count, by: 9).map { Double(train[$0]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-4)
            XCTAssertEqual(variance.squareRoot(), 1, accuracy: 1e-3)
        }
        // Valid/test use the training statistics unchanged: recompute by hand.
        let stats = try XCTUnwrap(d.statistics)
        XCTAssertEqual(stats.samples, 30)
        let perImage = try dataset(images, splits: splits).normalised(ContrastNormalisation(perImage: true, perPixel: false))
        for i in 30..<40 {
            let step1 = perImage.pixels([i]), full = d.pixels([i])
            for j in 0..<9 {
                XCTAssertEqual(full[j], (step1[j] - stats.mean[j]) / stats.std[j], accuracy: 1e-4)
            }
        }
        // And they are not re-fitted on valid: its own statistics differ from 0/1.
        let valid = d.pixels(in: .valid)
        let validMean = valid.enumerated().filter { $0.offset % 9 == 0 }.map { Double($0.element) }.reduce(0, +) / 5
        XCTAssertGreaterThan(abs(validMean), 1e-3)
    }

    func testNoTrainingSamplesIsAClearError() throws {
        let d = dataset(randomImages(2, seed: 3), splits: [.valid, .test])
        assertThrows(["training split is empty"]) { try d.normalised(ContrastNormalisation()) }
    }

    func testSwitchedOffGivesRawBytes() throws {
        let d = try dataset([[0, 1, 2, 3, 4, 5, 6, 7, 255]], splits: [.train]).normalised(.none)
        XCTAssertEqual(d.pixels, [0, 1, 2, 3, 4, 5, 6, 7, 255])
    }
}

final class FaceDatasetBuildingTests: XCTestCase {
    func testBuildFromCropsValidatesShapes() throws {
        let pixels = [UInt8](repeating: 9, count: 2 * 4)
        let d = try FaceDataset(size: 2, pixels: pixels, attributes: ["glasses"], labels: ["glasses": [0, -1]],
                                classes: ["glasses": ["no", "yes"]], targetNames: ["yaw"], targets: [1, .nan])
        XCTAssertEqual(d.count, 2)
        XCTAssertEqual(d.splits, [.train, .train])
        assertThrows(["label 2 outside -1..<2"]) {
            try FaceDataset(size: 2, pixels: pixels, attributes: ["glasses"], labels: ["glasses": [0, 2]],
                            classes: ["glasses": ["no", "yes"]])
        }
        assertThrows(["not a whole number of 2×2 crops"]) {
            try FaceDataset(size: 2, pixels: [1, 2, 3], attributes: [], labels: [:], classes: [:])
        }
        assertThrows(["1 labels for 2 crops"]) {
            try FaceDataset(size: 2, pixels: pixels, attributes: ["a"], labels: ["a": [0]], classes: ["a": ["x"]])
        }
    }

    func testSubsetKeepsTrainingStatistics() throws {
        var generator = SeededGenerator(seed: 9)
        let pixels = (0..<(20 * 4)).map { _ in UInt8(generator.below(256)) }
        let splits: [Split] = (0..<20).map { $0 < 16 ? .train : .test }
        let d = try FaceDataset(size: 2, pixels: pixels, attributes: [], labels: [:], classes: [:], splits: splits)
            .normalised(ContrastNormalisation())
        let test = try d.subset(d.indices(in: .test))
        XCTAssertEqual(test.count, 4)
        XCTAssertEqual(test.statistics, d.statistics)
        XCTAssertEqual(test.pixels, d.pixels(in: .test))
    }
}
