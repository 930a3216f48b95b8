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

/// Splits 0..<count into contiguous ranges spread over the worker threads, for elementwise
/// passes over large buffers. Each index is written by one range only, so results do not depend
/// on the split. Small counts run inline (a dispatch costs more than the work).
@inline(__always)
func parallelRanges(_ count: Int, _ body: (Int, Int) -> Void) {
    guard count >= 1 << 16, Engine.threads > 1 else { if count > 0 { body(0, count) }; return }
    let parts = 16 * Engine.threads
    parallelFor(parts) { c in body(count * c / parts, count * (c + 1) / parts) }
}

/// Runs `body(p)` for p in 0..<parts, each on a pool thread, never on the calling thread, and
/// waits. For GEMMs that may run on oneDNN: it mallocs packing buffers (a few MB) on the thread
/// that calls it, and on the main thread they landed among the batch's tens-of-MB activations in
/// the main heap, which is never trimmed (`Engine.allocatorConfigured`): peak memory then varied by
/// ~50 MB run to run. Pool threads have heaps of their own.
func parallelOnPool(_ parts: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        let group = DispatchGroup()
        for p in 0..<parts { DispatchQueue.global().async(group: group) { body(p) } }
        group.wait()
    }
}
