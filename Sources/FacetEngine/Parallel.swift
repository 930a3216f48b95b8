import Dispatch

/// Runs `body(i)` for every i in 0..<count, spread over the engine's worker threads.
/// Work items must be independent (each writes its own slice), which keeps results deterministic.
@inline(__always)
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 || Engine.threads <= 1 { for i in 0..<count { body(i) }; return }
    let chunks = min(count, Engine.threads)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        for i in lo..<hi { body(i) }
    }
}
