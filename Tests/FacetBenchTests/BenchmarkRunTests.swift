import FacetEngineTestSupport
import XCTest
@testable import FacetBench
@testable import FacetEngine

/// What `facet bench` checks before it measures, and what it reports under ranks (the figures
/// that follow from the net's size, not the timings).
final class BenchmarkRunTests: XCTestCase {
    /// Timing runs at least the batches asked for, and on until the seconds asked for have passed.
    func testTimedRepeatsRunTheIterationsAndFillTheSeconds() {
        var calls = 0
        let exact = Benchmark.timedRepeats(3, minSeconds: 0) { calls += 1 }
        XCTAssertEqual(exact.count, 3)
        XCTAssertEqual(calls, 3)
        calls = 0
        // Each call takes at least 10 ms, so 50 ms need at least 5 calls.
        let filled = Benchmark.timedRepeats(2, minSeconds: 0.05) { calls += 1; usleep(10_000) }
        XCTAssertEqual(filled.count, calls)
        XCTAssertGreaterThanOrEqual(filled.count, 5)
        XCTAssertGreaterThanOrEqual(filled.seconds, 0.05)
    }

    override func tearDown() { MemoryLimit.override = nil }

    func testBenchmarkRefusesAHugeBatchBeforeAllocating() {
        MemoryLimit.override = MemoryLimit(bytes: 0x1p30, source: "test")
        XCTAssertThrowsError(try Benchmark.run(batch: 1_000_000, iterations: 1)) { error in
            guard case .memory = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".hasPrefix("training at batch 1000000 with sgd needs 2.9 TiB"), "\(error)")
        }
    }

    /// `facet bench` under mpirun: what it reports per batch follows from the net's size.
    func testBenchmarkCountsTheGradientBytesOfEachBatch() throws {
        let spec = BenchmarkTableTests.spec
        let results = try ThreadRanks(size: 2).run { rank in
            try Benchmark.runDataParallel(batch: 10, iterations: 3, spec: spec, collective: rank)
        }
        let r = results[0]
        let parameters = try Network(spec: spec, seed: 1).parameters.reduce(0) { $0 + $1.value.count }
        XCTAssertEqual(r.parameters, parameters)
        XCTAssertEqual(r.ranks, 2)
        XCTAssertEqual(r.allreduceBytesPerBatch, 4 * parameters, "one float per parameter per batch")
        XCTAssertEqual(r.ringBytesSentPerBatchPerRank, 4 * parameters, "2·(N−1)/N of it for N = 2")
        XCTAssertGreaterThan(r.imagesPerSecond, 0)
        XCTAssertGreaterThan(r.allreduceShare, 0)
        XCTAssertLessThan(r.allreduceShare, 1)
    }
}
