import XCTest
@testable import FacetBench
@testable import FacetEngine

/// The arithmetic behind `facet bench --layers` (timings themselves are not tested: speed figures
/// come from the benchmark, not from tests).
final class BenchmarkTableTests: XCTestCase {
    /// 1×6×6 → conv 2 3×3 (4×4×2 outputs, 9 MACs each: 2·32·9 = 576 FLOPs forward) → relu (32)
    /// → conv 3 2×2 (3×3×3 outputs, 2·4 MACs each: 2·27·8 = 432) → softmax 2.
    static let spec = NetSpec(
        input: FeatureShape(channels: 1, height: 6, width: 6),
        layers: [.conv(maps: 2, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), .relu,
                 .conv(maps: 3, kernelHeight: 2, kernelWidth: 2, stride: 1, padding: 0)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])

    func testLayerRowsByHand() throws {
        let net = try Network(spec: Self.spec, seed: 1)
        // every part 2 ms forward and 4 ms backward, wall; CPU time twice that (two threads busy)
        let parts = [Benchmark.PartSeconds](repeating: .init(forward: 0.002, backward: 0.004, forwardCPU: 0.004, backwardCPU: 0.008),
                                            count: 4)
        let rows = try Benchmark.layerTimings(net, parts: parts, batch: 1000, sgemm: 0.1, sgemmCPU: 0.05)
        XCTAssertEqual(rows.map(\.layer), ["conv 2 3x3", "relu", "conv 3 2x2", "heads"])
        XCTAssertEqual(rows.map(\.index), [0, 1, 2, nil])
        // The first conv computes no input gradient: backward = 1× forward; the second 2×.
        XCTAssertEqual(rows[0].forwardGFLOP, 576e-6, accuracy: 1e-12)
        XCTAssertEqual(rows[0].backwardGFLOP, 576e-6, accuracy: 1e-12)
        XCTAssertEqual(rows[1].backwardGFLOP, 32e-6, accuracy: 1e-12)
        XCTAssertEqual(rows[2].backwardGFLOP, 864e-6, accuracy: 1e-12)
        // heads: forward, loss and backward timed together, 3 × the head row's FLOPs a sample
        let head = try Self.spec.rows().last!.counts.flops
        XCTAssertEqual(rows[3].forwardGFLOP, 3 * Double(head) * 1000 / 1e9, accuracy: 1e-12)
        XCTAssertEqual(rows[3].backwardGFLOP, 0)
        // conv 3 2x2: 432e-6 GFLOP in 2 ms = 0.216 GFLOP/s; 1296e-6 in 6 ms = 0.216 → 216 % of 0.1
        XCTAssertEqual(rows[2].forwardGFLOPS, 0.216, accuracy: 1e-9)
        XCTAssertEqual(rows[2].percentOfSgemm, 216, accuracy: 1e-6)
        // on CPU time: 1296e-6 in 12 CPU-ms = 0.108 per CPU-second, against 0.05 → 216 %
        XCTAssertEqual(rows[2].percentOfSgemmCPU, 216, accuracy: 1e-6)
    }

    func testOptimizerBytesPerStepByHand() throws {
        let net = try Network(spec: Self.spec, seed: 1)
        // weights 18 + 24 + head 54 = 96 folded (w, v read; w written); biases 2 + 3 + 2 = 7 plain
        // (w, v, g read and written)
        XCTAssertEqual(Optimizer(.paperSGD).bytesPerStep(net.parameters), Double(4 * (3 * 96 + 6 * 7)))
        let plain = Optimizer(.paperSGD); plain.foldsIntoBackward = false
        XCTAssertEqual(plain.bytesPerStep(net.parameters), Double(4 * 6 * 103))
        XCTAssertEqual(Optimizer(.defaultAdam).bytesPerStep(net.parameters), Double(4 * 8 * 103))
    }

    /// Each GEMM limit names how the engine runs that product, with that variant's own time, so
    /// `--layers` can say what the library choice costs; the slower-library total is the sum of
    /// (engine's time − best time) over the products where they differ.
    func testLimitsNameTheEnginesLibraryAndWhatTheSlowerOneCosts() throws {
        let saved = Engine.threads, algorithm = ConvAlgorithm.current
        defer { Engine.threads = saved; ConvAlgorithm.current = algorithm }
        Engine.threads = 2
        let net = try Network(spec: Self.spec, seed: 1)
        // A conv on oneDNN's convolution primitive makes no GEMM calls: its products have no engine
        // variant, and the bench lists it apart.
        ConvAlgorithm.current = .primitive
        let onPrimitive = Benchmark.partLimits(net, batch: 10, bandwidth: 10)
        let primitiveConvs = Benchmark.primitiveConvolutions(net, batch: 10)
        for (i, limit) in onPrimitive.dropLast().enumerated() where !limit.gemms.isEmpty {
            let runsOnPrimitive = primitiveConvs.contains { $0.hasPrefix("\(i) ") }
            XCTAssertEqual(limit.gemms.allSatisfy { $0.engine == nil }, runsOnPrimitive, "layer \(i): \(primitiveConvs)")
        }
        ConvAlgorithm.current = .im2col
        XCTAssertEqual(Benchmark.primitiveConvolutions(net, batch: 10), [])
        let limits = Benchmark.partLimits(net, batch: 10, bandwidth: 10)  // over the streaming batch (8)
        let gemms = limits.flatMap(\.gemms)
        XCTAssertEqual(gemms.count, 2 + 3 + 3, "conv 1 (fwd, dW), conv 2 (fwd, dW, dx), head (fwd, dW, dx)")
        for g in gemms {
            let engine = try XCTUnwrap(g.engine, "\(g.shape)")
            XCTAssertEqual(Set(g.variants.keys).isSuperset(of: [engine, g.best]), true, "\(engine) \(g.variants)")
            XCTAssertEqual(g.engineMilliseconds, g.variants[engine])
            XCTAssertEqual(g.milliseconds, g.variants.values.min()!, accuracy: 1e-12, "best is the fastest variant")
        }
        // conv's products run per image over the workers; the head's split over the threads
        XCTAssertTrue(limits[0].gemms.allSatisfy { $0.engine!.hasSuffix("/images") })
        XCTAssertTrue(limits.last!.gemms.allSatisfy { $0.engine!.hasSuffix("/split") })

        // By hand: one product 1 ms slower on the engine's library, one on the best already.
        func timing(_ product: String, best: String, engine: String, _ variants: [String: Double]) -> Benchmark.GEMMTiming {
            let shape = Benchmark.GEMMShape(product: product, transA: false, transB: false, m: 2, n: 2, k: 2, count: 1, perImage: true)
            return Benchmark.GEMMTiming(shape: shape, best: best, milliseconds: variants[best]!, gflops: 1, variants: variants,
                                        engine: engine, engineMilliseconds: variants[engine])
        }
        let parts = [Benchmark.PartSeconds](repeating: .init(forward: 0.002, backward: 0.004, forwardCPU: 0.004, backwardCPU: 0.008),
                                            count: 4)
        var rows = try Benchmark.layerTimings(net, parts: parts, batch: 4, sgemm: 0.1, sgemmCPU: 0.05)
        rows[0].limit = Benchmark.PartLimit(bound: "gemm", milliseconds: 3, gemms: [
            timing("fwd", best: "onednn/images", engine: "openblas/images", ["onednn/images": 2, "openblas/images": 3]),
            timing("dW", best: "openblas/images", engine: "openblas/images", ["onednn/images": 2, "openblas/images": 1]),
        ], gigabytes: nil)
        let slower = Benchmark.slowerLibraryProducts(rows)
        XCTAssertEqual(slower.products, ["0 conv 2 3x3 fwd"])
        XCTAssertEqual(slower.milliseconds, 1, accuracy: 1e-12)
    }
}
