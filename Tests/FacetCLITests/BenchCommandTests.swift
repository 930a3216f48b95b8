import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// `facet bench --check-kernels`, including the re-exec that selects OpenBLAS kernels.
final class BenchCommandTests: XCTestCase {
    func testLoadedKernelsAgreeWithNaiveProduct() throws {
        let r = try FacetCLI.run(["bench", "--check-kernels"], environment: ["FACET_BLAS_CORETYPE": "keep"])
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("agree"), r.stdout)
    }

    func testForcedCoreTypeReexecutesWithItAndStillAgrees() throws {
        // FACET_BLAS_CORETYPE forces the same path the automatic fallback fix takes: the process
        // re-executes itself with OPENBLAS_CORETYPE set before OpenBLAS loads.
        let r = try FacetCLI.run(["bench", "--check-kernels"], environment: ["FACET_BLAS_CORETYPE": "Haswell"],
                                 removing: ["OPENBLAS_CORETYPE", "FACET_BLAS_REEXEC"])
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("kernels: Haswell (OpenBLAS chose"), r.stdout)
        XCTAssertTrue(r.stdout.contains("agree"), r.stdout)
    }
}

/// `facet bench --net` and `--compare`: which net is measured, and the JSON they print. Tiny nets
/// at batch 2 keep these quick; no figure is checked (speed goals live in benchmarks, not tests).
final class BenchNetTests: XCTestCase {
    func testNetFileNameAndArgumentsGiveOneJSONObjectWithPerLayerLimits() throws {
        let r = try FacetCLI.run(["bench", "--net", "stdlib/paper.facet", "ferc_size", "depth=1", "width=4", "fc=8",
                                  "--batch", "2", "--iterations", "1", "--min-seconds", "0", "--json"], cwd: Self.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(object["net"] as? String, "ferc_size(depth: 1, width: 4, classes: 7, fc: 8)")
        for key in ["trainImagesPerSecond", "inferenceImagesPerSecond", "latencyBatch1Milliseconds", "latencyFloorMilliseconds",
                    "latencyOverFloor", "peakResidentMB", "limitMilliseconds", "limitRatio", "limitRatioProfiled", "ratio", "ratioBestSgemm",
                    "onednnSgemmGFLOPS", "memoryBandwidthGBps", "limitRatioCapped"] {
            XCTAssertNotNil(object[key] as? Double, key)
        }
        // Capping each part's limit at its own time can only lower the ratio.
        XCTAssertLessThanOrEqual(try XCTUnwrap(object["limitRatioCapped"] as? Double), try XCTUnwrap(object["limitRatio"] as? Double))
        XCTAssertTrue(["primitive", "im2col"].contains(object["convAlgorithm"] as? String ?? ""), "\(object["convAlgorithm"] ?? "none")")
        XCTAssertNotNil(object["primitiveConvs"] as? [String])
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        // conv, relu, lcn, maxpool, dense, relu, dropout, then the heads
        XCTAssertEqual(layers.map { $0["layer"] as? String }, ["conv 4 5x5", "relu", "lcn 9", "maxpool 3x3 stride 2",
                                                               "dense 8", "relu", "dropout 0.2", "heads"])
        XCTAssertEqual((object["latencyLayersMilliseconds"] as? [Double])?.count, layers.count)
        for row in layers {
            let limit = try XCTUnwrap(row["limit"] as? [String: Any], "\(row)")
            XCTAssertNotNil(row["percentOfLimit"] as? Double, "\(row)")
            XCTAssertNotNil(limit["milliseconds"] as? Double)
            XCTAssertTrue(["gemm", "memory"].contains(limit["bound"] as? String ?? ""), "\(limit)")
        }
        // The conv's limit is its own GEMMs, one per image: forward (K + 1 = 26: the thin conv's bias
        // column) and dW; the first conv computes no dx.
        let conv = try XCTUnwrap((layers[0]["limit"] as? [String: Any])?["gemms"] as? [[String: Any]])
        let shapes = conv.compactMap { $0["shape"] as? [String: Any] }
        XCTAssertEqual(shapes.map { $0["product"] as? String }, ["fwd", "dW"])
        XCTAssertEqual(shapes.map { [$0["m"], $0["n"], $0["k"], $0["count"]] as? [Int] }, [[4, 1936, 26, 2], [4, 25, 1936, 2]])
        XCTAssertEqual((layers[1]["limit"] as? [String: Any])?["bound"] as? String, "memory")
    }

    func testNetExpressionAndCompareTable() throws {
        let one = try FacetCLI.run(["bench", "--net", "ferc_size(depth: 1, width: 4, fc: 8)", "--batch", "2", "--iterations", "1", "--min-seconds", "0", "--layers"],
                                   cwd: Self.root)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("net: ferc_size(depth: 1, width: 4, classes: 7, fc: 8)"), one.stdout)
        XCTAssertTrue(one.stdout.contains("% limit"), one.stdout)
        XCTAssertTrue(one.stdout.contains("of the limit"), one.stdout)
        let two = try FacetCLI.run(["bench", "--compare", "ferc_size(depth: 1, width: 4, fc: 8)", "ferc(size: 24, width: 4, fc: 8)",
                                    "--batch", "2", "--iterations", "1", "--min-seconds", "0", "--json"], cwd: Self.root)
        XCTAssertEqual(two.status, 0, two.stderr)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [[String: Any]], two.stdout)
        XCTAssertEqual(array.count, 2)
        XCTAssertEqual(array[1]["net"] as? String, "ferc(classes: 7, size: 24, width: 4, fc: 8, drop: 0.2)")
    }

    func testBadNetArgumentsAreErrorsBeforeAnythingRuns() throws {
        let cases: [([String], String)] = [
            (["--net", "stdlib/paper.facet"], "needs the net's name after the file"),
            (["--net", "stdlib/paper.facet", "ferc", "fc"], "argument `fc` is not name=value"),
            (["--net", "ferc", "fc=256"], "--net takes a .facet file"),
            (["--net", "ferc", "--compare", "ferc"], "cannot be used together"),
            (["--net", "1 + 2"], "is a number, not a net"),
            (["--net", "ferc_trunk()"], "has no head"),
            (["--net", "nosuch(fc: 1)"], "unknown name `nosuch`"),
        ]
        for (args, message) in cases {
            let r = try FacetCLI.run(["bench"] + args, cwd: Self.root)
            // 64: a usage error caught while parsing the command line; 1: the net does not evaluate.
            XCTAssertTrue([1, 64].contains(r.status), "\(args): status \(r.status) \(r.stdout)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
