import XCTest
@testable import FacetEngine

final class ShapeTests: XCTestCase {
    /// The paper's best network, §4.1.1.
    static let paperNet = NetSpec.paper

    func testPaperNetworkShapesMatchThePaper() throws {
        let shapes = try Self.paperNet.trunkShapes()
        // 48 → conv5 → 44 → pool 3/2 (ceil) → 22 → conv5 → 18 → conv4 → 15 → 3072
        XCTAssertEqual(shapes.map(\.description),
                       ["44x44x64", "44x44x64", "44x44x64", "22x22x64", "18x18x64", "18x18x64",
                        "15x15x128", "15x15x128", "3072", "3072", "3072"])
        let params = 64 * 26 + 64 * (64 * 25 + 1) + 128 * (64 * 16 + 1) + 3072 * (15 * 15 * 128 + 1) + 7 * 3073
        XCTAssertEqual(try Self.paperNet.parameterCount(), params)
    }

    func testPoolingExtents() {
        XCTAssertEqual(poolExtent(44, 3, 2, true), 22)
        XCTAssertEqual(poolExtent(44, 3, 2, false), 21)
        XCTAssertEqual(poolExtent(5, 2, 2, true), 3)
        XCTAssertEqual(poolExtent(4, 2, 2, true), 2, "no window may start past the input")
        XCTAssertEqual(poolExtent(6, 3, 3, true), 2)
    }

    func testImpossibleShapesNameTheSizes() {
        XCTAssertThrowsError(try LayerSpec.conv(maps: 4, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0)
            .outputShape(FeatureShape(channels: 1, height: 3, width: 3))) {
            XCTAssertEqual("\($0)", "conv 5x5 needs at least 5x5 input, got 3x3")
        }
        let spec = NetSpec(input: FeatureShape(channels: 1, height: 8, width: 8),
                           layers: [.maxpool(size: 3, stride: 2, ceil: true), .conv(maps: 2, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0)],
                           heads: [])
        XCTAssertThrowsError(try spec.trunkShapes()) { error in
            XCTAssertEqual((error as? LayerShapeError)?.layerIndex, 1)
        }
    }

    func testRowsAreTheOnePlaceTotalsComeFrom() throws {
        let rows = try Self.paperNet.rows()
        XCTAssertEqual(rows.map(\.part), [.input] + (0..<11).map { .layer($0) } + [.head(0)])
        XCTAssertEqual(rows.reduce(0) { $0 + $1.counts.parameters }, try Self.paperNet.parameterCount())
        XCTAssertEqual(rows.reduce(0) { $0 + $1.counts.flops }, try Self.paperNet.flops())
        XCTAssertEqual(rows.last?.counts, LayerCounts(output: FeatureShape(channels: 7, height: 1, width: 1),
                                                      parameters: 7 * 3073, flops: 2 * 7 * 3072 + 4 * 7))
        XCTAssertEqual(try Self.paperNet.activationMemory(), rows.reduce(0) { $0 + 4 * $1.counts.output.count })
    }

    func testCountsTooLargeForIntSaturateInsteadOfTrapping() throws {
        // 2^40 channels times a 2^20 x 2^20 kernel: 2^80 multiply-adds.
        let wide = FeatureShape(channels: 1 << 40, height: 1 << 20, width: 1 << 20)
        let c = try LayerSpec.conv(maps: 1, kernelHeight: 1 << 20, kernelWidth: 1 << 20, stride: 1, padding: 0).counts(wide)
        XCTAssertEqual(c.parameters, Int.max)
        XCTAssertEqual(c.flops, Int.max)
    }

    func testSpecSurvivesJSONRoundTrip() throws {
        let data = try JSONEncoder().encode(Self.paperNet)
        XCTAssertEqual(try JSONDecoder().decode(NetSpec.self, from: data), Self.paperNet)
    }
}
