import Foundation
import XCTest
@testable import FacetReport
final class ZZScratchRender: XCTestCase {
    func testWriteScratch() throws {
        let crowded = try SVG.barChart(categories: (1...16).map { "attribute \($0)" },
            series: [Series(name: "accuracy", values: (0..<16).map { 0.4 + Double($0) * 0.03 })], title: "Crowded")
        try crowded.write(toFile: "/tmp/render/crowded.svg", atomically: true, encoding: .utf8)
        let two = try FilterBank.random(filters: 8, channels: 2, height: 3, width: 3, seed: 4)
        try SVG.filterGrid(two).write(toFile: "/tmp/render/filters2.svg", atomically: true, encoding: .utf8)
        let big = try FilterBank.random(filters: 64, channels: 3, height: 5, width: 5, seed: 1)
        try SVG.filterGrid(big).write(toFile: "/tmp/render/filters64.svg", atomically: true, encoding: .utf8)
        let curves = try Metrics.roc(scores: [[0.9, 0.1, 0], [0.2, 0.8, 0], [0.6, 0.4, 0]], labels: [0, 1, 1])
        try SVG.rocCurves(curves, classes: ["a", "b", "c"]).write(toFile: "/tmp/render/rocnil.svg", atomically: true, encoding: .utf8)
        try SVG.lineChart([Series(name: "a", values: [3]), Series(name: "b", values: [1, 2, .nan, 4, 5])], title: "lines").write(toFile: "/tmp/render/lines.svg", atomically: true, encoding: .utf8)
    }
}
