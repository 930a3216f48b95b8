import FacetEngine
import FacetRandom
import Foundation

/// The references `Benchmark.run` measures beside the engine, in the same process: OpenBLAS and
/// oneDNN sgemm on 1024³, and memory bandwidth (a triad).
extension Benchmark {
    /// sgemm on n×n×n, best of `repeats` after one warm-up call.
    public static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 5) -> Double {
        var unused = 0.0
        return sgemmGFLOPS(n: n, repeats: repeats, cpuRate: &unused)
    }

    /// As `sgemmGFLOPS(n:repeats:)`; also gives GFLOP per CPU-second of all threads for the
    /// call with the least CPU time, in `cpuRate`.
    static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 5, cpuRate: inout Double) -> Double {
        var rng = SeededGenerator(seed: 1)
        let a = (0..<(n * n)).map { _ in rng.unit() }, b = (0..<(n * n)).map { _ in rng.unit() }
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity, bestCPU = Double.infinity
        // OpenBLAS threading itself over Engine.threads (not the engine's split wrapper): the
        // reference is what a plain OpenBLAS caller gets.
        Engine.withBLASThreads(Engine.threads) {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            for r in 0...repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds, c0 = Profiling.processCPUSeconds()
                Profiling.sgemm(.openblas, .one, transA: false, transB: false, m: n, n: n, k: n, a: pa.baseAddress!, lda: n,
                                b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
                let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                if r > 0 { best = min(best, s); bestCPU = min(bestCPU, Profiling.processCPUSeconds() - c0) }
            }
        } } }
        }
        cpuRate = 2 * Double(n * n * n) / bestCPU / 1e9
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Memory bandwidth in GB/s: a[i] = b[i] + s·c[i] over three arrays of `count` floats (128 MB
    /// each by default, far past any cache), split over the engine's threads as the optimizer
    /// step is. Counts 12 bytes per element as STREAM does; best of `repeats` after a warm-up.
    public static func triadGBps(count: Int = 1 << 25, repeats: Int = 5) -> Double {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        Profiling.parallelRanges(count) { lo, hi in
            for i in lo..<hi { a[i] = 0; b[i] = 1; c[i] = 2 }
        }
        var best = Double.infinity
        for r in 0...repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            Profiling.parallelRanges(count) { lo, hi in
                for i in lo..<hi { a[i] = b[i] + 0.5 * c[i] }
            }
            let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            if r > 0 { best = min(best, s) }
        }
        return 12 * Double(count) / best / 1e9
    }

    /// oneDNN's sgemm on n×n×n on Engine.threads OpenMP threads, best of `repeats` after a warm-up.
    static func onednnGFLOPS(n: Int = 1024, repeats: Int = 5) -> Double {
        var rng = SeededGenerator(seed: 1)
        let a = (0..<(n * n)).map { _ in rng.unit() }, b = (0..<(n * n)).map { _ in rng.unit() }
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            for r in 0...repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                Profiling.sgemm(.onednn, .own(Engine.threads), transA: false, transB: false, m: n, n: n, k: n,
                                a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
                if r > 0 { best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9) }
            }
        } } }
        return 2 * Double(n * n * n) / best / 1e9
    }
}
