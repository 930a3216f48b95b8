import XCTest
import FacetEngine
@testable import FacetLang
import FacetLangTestSupport

/// The paper's networks in stdlib/paper.facet, checked against the paper's numbers.
final class StdlibTests: XCTestCase {
    let h = Harness()

    func net(_ expr: String, file: StaticString = #filePath, line: UInt = #line) -> NetValue {
        guard let n = h.run(expr, file: file, line: line)?.netValue else {
            XCTFail("`\(expr)` is not a net", file: file, line: line)
            return NetValue(name: "", arguments: [], definedAt: SourceRange(file: SourceFile(name: "", text: ""), start: 0, end: 0))
        }
        return n
    }

    func testBestNetFollowsSection411() throws {
        let spec = try XCTUnwrap(net("ferc()").spec)
        // 48 -> conv 5x5 -> 44 -> pool 3x3/2 (ceil) -> 22 -> conv 5x5 -> 18 -> conv 4x4 -> 15 -> 3072 -> 7
        let shapes = try spec.trunkShapes().map(\.description)
        XCTAssertEqual(shapes, ["44x44x64", "44x44x64", "44x44x64", "22x22x64", "18x18x64", "18x18x64",
                                "15x15x128", "15x15x128", "3072", "3072", "3072"])
        XCTAssertEqual(spec.heads, [HeadSpec(name: "out", kind: .softmax(classes: 7))])
        // conv1 1,664 + conv2 102,464 + conv3 131,200 + dense 88,476,672 + softmax 21,511
        XCTAssertEqual(try spec.parameterCount(), 88_733_511)
        XCTAssertEqual(spec.text, """
        input 48x48x1
        conv 64 5x5
        relu
        lcn 9
        maxpool 3x3 stride 2
        conv 64 5x5
        relu
        conv 128 4x4
        relu
        dense 3072
        relu
        dropout 0.2
        softmax 7
        """)
    }

    func testExperimentVariantsContainTheBestNet() {
        let best = net("ferc()")
        XCTAssertEqual(net("ferc_size(depth: 3, width: 64)").spec, best.spec)
        XCTAssertEqual(net("ferc_pool(at: 1)").spec, best.spec)
        XCTAssertEqual(net("ferc_dropout(fc_rate: 0.2)").spec, best.spec)
        XCTAssertEqual(net("ferc_blocks()").spec, best.spec)
    }

    func testSizeGridVariesConvLayersAndMaps() {
        for depth in 1...4 {
            for width in [16, 32, 48, 64] {
                let n = net("ferc_size(depth: \(depth), width: \(width))")
                let convs = n.layers.compactMap { l -> Int? in if case let .conv(m, _, _, _, _) = l { return m } else { return nil } }
                XCTAssertEqual(convs, Array([width, width, 2 * width, 2 * width].prefix(depth)))
            }
        }
        let diagnostics = h.check("let x = ferc_size(depth: 5)")
        XCTAssertEqual(diagnostics.map(\.message), ["index 4 is out of range for a list of 4"])
    }

    func testResolutionSizesAllBuild() {
        XCTAssertEqual(h.run("input_sizes")?.repr, "[24, 32, 40, 48, 60, 72]")
        for size in [24, 32, 40, 48, 60, 72] {
            XCTAssertEqual(net("ferc(size: \(size))").input, FeatureShape(channels: 1, height: size, width: size))
        }
        XCTAssertEqual(h.check("let x = ferc(size: 19)").map(\.message),
                       ["conv 4x4 needs at least 4x4 input, got 3x3 after relu at stdlib/paper.facet:12:18"])
    }

    func testPoolPlacementAndDropoutVariants() {
        XCTAssertFalse(net("ferc_pool(at: 0)").layers.contains { $0.kind == "maxpool" || $0.kind == "lcn" })
        let at3 = net("ferc_pool(at: 3)").layers.map(\.kind)
        XCTAssertEqual(at3, ["conv", "relu", "conv", "relu", "conv", "relu", "lcn", "maxpool", "dense", "relu", "dropout"])
        XCTAssertEqual(net("ferc_pool(at: 2, lcn: false)").layers.filter { $0.kind == "lcn" }.count, 0)
        let conv = net("ferc_dropout(conv_rate: 0.1, fc_rate: 0)").layers
        XCTAssertEqual(conv.filter { $0 == .dropout(rate: 0.1) }.count, 3)
        XCTAssertFalse(conv.contains(.dropout(rate: 0)))
    }

    func testVVHeadSetsJointAndAAM() {
        let expected = ["emotion": 7, "age": 17, "gender": 2, "ethnicity": 5, "glasses": 2, "beard": 3, "moustache": 3]
        for (name, classes) in expected {
            let n = net("vv_\(name)()")
            XCTAssertEqual(n.heads, [HeadSpec(name: name, kind: .softmax(classes: classes))])
            XCTAssertEqual(n.layers, net("ferc_trunk()").layers)
        }
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: net("vv_attributes()").heads.map { ($0.name, $0.kind.outputs) }), expected)
        XCTAssertEqual(net("vv_joint()").heads, [HeadSpec(name: "joint", kind: .sigmoid(labels: 37))])
        XCTAssertEqual(h.run("joint_labels")?.number, 37)
        XCTAssertEqual(net("aam()").heads, [HeadSpec(name: "aam", kind: .regress(outputs: 32))])
        XCTAssertEqual(net("aam(params: 60)").heads.first?.kind, .regress(outputs: 62))
        XCTAssertEqual(net("vv_age(trunk: ferc_trunk(width: 32))").layers.first, .conv(maps: 32, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0))
    }

    /// Every net printed as text parses back into the same net.
    func testCanonicalTextRoundTripsForEveryStdlibNet() throws {
        var checked = 0
        for (name, value) in h.interpreter.globals.values.sorted(by: { $0.key < $1.key }) {
            guard case let .netDefinition(d) = value, d.decl.parameters.allSatisfy({ $0.defaultValue != nil }) else { continue }
            let original = net("\(name)()")
            let fresh = Interpreter(output: { _ in })
            let reparsed = try fresh.run(SourceFile(name: "printed.facet", text: original.text + "\n\(name)()"))
            guard case let .net(copy) = reparsed else { XCTFail("\(name) did not reparse"); continue }
            XCTAssertEqual(copy.input, original.input, name)
            XCTAssertEqual(copy.layers, original.layers, name)
            XCTAssertEqual(copy.heads, original.heads, name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 18)
    }

    func testShapeErrorInsideAStdlibNetPointsThereAndBackToTheCall() throws {
        let d = try XCTUnwrap(h.check("let g = ferc(size: 12)").first)
        XCTAssertEqual(d.range.file.name.split(separator: "/").last, "paper.facet")
        XCTAssertEqual(d.range.text, "conv width 5x5 relu")
        XCTAssertTrue(d.message.hasPrefix("conv 5x5 needs at least 5x5 input, got 4x4 after maxpool at "), d.message)
        XCTAssertTrue(d.hint?.hasSuffix("in ferc(classes: 7, size: 12, width: 64, fc: 3072, drop: 0.2) made at test.facet:1:9") == true,
                      d.hint ?? "no hint")
    }

    func testSummaryTableHasEveryLayerAndTotals() throws {
        let table = try summaryTable(net("ferc()"), at: SourceRange(file: SourceFile(name: "t", text: ""), start: 0, end: 0))
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("ferc(classes: 7, size: 48, width: 64, fc: 3072, drop: 0.2)"))
        XCTAssertTrue(lines.contains { $0.contains("maxpool 3x3 stride 2") && $0.contains("22x22x64") && $0.contains("121.0 KiB") })
        XCTAssertTrue(lines.contains { $0.contains("dense 3072") && $0.contains("88,476,672") && $0.contains("176,947,200") })
        XCTAssertTrue(lines.contains { $0.contains("total") && $0.contains("88,733,511") && $0.contains("314,433,180") })
        XCTAssertEqual(try net("ferc()").spec?.flops(), 314_433_180)
    }
}
