import XCTest
@testable import FacetVision

/// Sample selection (which crops a grid shows) and the grid itself (OpenCV decodes it back).
final class SampleGridTests: XCTestCase {
    /// 10 samples of side 8: class labels 0,0,0,1,1,−1,0,1,0,0 of "mood" (happy, sad, calm).
    private func data() throws -> FaceDataset {
        let labels: [Int32] = [0, 0, 0, 1, 1, -1, 0, 1, 0, 0]
        return try FaceDataset(size: 8, pixels: (0..<(10 * 64)).map { UInt8($0 % 251) }, attributes: ["mood"],
                               labels: ["mood": labels], classes: ["mood": ["happy", "sad", "calm"]],
                               targetNames: [], targets: [], sources: (0..<10).map { "s\($0)" }, pipeline: "test")
    }

    func testSelectionByClassTakesItsShareOfEachClassAndSaysWhatIsLeftOut() throws {
        let d = try data()
        let s = try d.sampleSelection(n: 6, by: "mood", seed: 1)
        XCTAssertEqual(s.rows.map(\.label), ["happy", "sad", "calm"])
        XCTAssertEqual(s.rows.map(\.indices.count), [2, 2, 0], "⌈6/3⌉ = 2 per class; calm has none")
        XCTAssertTrue(s.rows[0].indices.allSatisfy { [0, 1, 2, 6, 8, 9].contains($0) })
        XCTAssertEqual(s.rows[1].indices.sorted(), s.rows[1].indices)
        XCTAssertEqual(s.note, "1 sample without a mood label is not shown")
        XCTAssertEqual(try d.sampleSelection(n: 6, by: "mood", seed: 1), s, "same seed, same choice")
        let all = try d.sampleSelection(n: 100, by: "mood", seed: 1)
        XCTAssertEqual(all.rows.map(\.indices), [[0, 1, 2, 6, 8, 9], [3, 4, 7], []])
        XCTAssertEqual(all.note, "n: 100 is more than the 9 samples with a mood label: all are shown; 1 sample without a mood label is not shown")
        assertThrows(["no attribute 'age'", "mood"]) { try d.sampleSelection(n: 3, by: "age", seed: 1) }
    }

    func testSelectionWithoutClassesIsASquareOfRandomSamples() throws {
        let d = try data()
        let s = try d.sampleSelection(n: 4, by: nil, seed: 2)
        XCTAssertEqual(s.columns, 2)
        XCTAssertEqual(s.indices.count, 4)
        XCTAssertEqual(Set(s.indices).count, 4)
        XCTAssertNil(s.note)
        XCTAssertEqual(try d.sampleSelection(n: 20, by: nil, seed: 2).indices, Array(0..<10))
    }

    /// Tiles enlarged by whole pixels at the documented places; white elsewhere in the tile cells.
    func testGridPNGDecodesToTheTilesAtTheirPlaces() throws {
        let d = try data()
        let selection = SampleSelection(rows: [.init(label: "", indices: [3, 7])], columns: 3, note: nil)
        let grid = try d.sampleGrid(selection, captionLines: 1) { "sample \($0)" }
        let image = try GrayImage(encoded: [UInt8](try grid.png()))
        XCTAssertEqual(grid.scale, 15, "8-pixel crops become 120-pixel tiles")
        XCTAssertEqual([image.width, image.height], [8 + 3 * (120 + 8), 8 + 120 + 14 + 8])
        for (column, index) in [3, 7].enumerated() {
            let crop = Array(d.crops.crop(index)), o = grid.origin(row: 0, column: column)
            XCTAssertEqual(o.x, 8 + column * 128)
            for y in 0..<120 {
                for x in 0..<120 where image.pixels[(o.y + y) * image.width + o.x + x] != crop[(y / 15) * 8 + x / 15] {
                    return XCTFail("tile \(column) differs at \(x), \(y)")
                }
            }
        }
        let empty = grid.origin(row: 0, column: 2)
        XCTAssertTrue((0..<120).allSatisfy { image.pixels[(empty.y + $0) * image.width + empty.x + $0] == 255 }, "no third tile")
        XCTAssertThrowsError(try SampleGrid(side: 8, rows: 1, columns: 1, tiles: [.init(pixels: [0], row: 0, column: 0, caption: "")]))
    }

    func testDisplayPixelsStretchNormalisedCropsToTheFullRange() throws {
        let d = try data().normalised(ContrastNormalisation(perImage: true, norm: 100, perPixel: false))
        let shown = d.displayPixels(4)
        XCTAssertEqual(shown.min(), 0)
        XCTAssertEqual(shown.max(), 255)
        XCTAssertEqual(try data().displayPixels(4), Array(try data().crops.crop(4)))
    }
}
