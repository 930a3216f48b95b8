import CVision
import Foundation

/// Reports progress of a long load: `done` of `total` images processed. Called from worker
/// threads, one call at a time.
public typealias LoadProgress = @Sendable (_ done: Int, _ total: Int) -> Void

/// The per-sample result of aligning a list of images.
enum SampleOutcome: Equatable {
    case aligned, eyeFallback, noFace, notDetected
    case unreadable(String)
}

/// Aligns many images in parallel, one FaceAligner (cascade pair) per worker: the one home of
/// parallel face alignment, for data sets (each image's main face) and prediction (every face).
public struct BatchAligner: Sendable {
    /// The settings every worker's aligner applies.
    public let pipeline: FacePipeline
    /// Parallel workers (at most one per image).
    public var workers: Int

    /// A batch aligner for `pipeline` with `workers` workers (default: one per core).
    public init(pipeline: FacePipeline, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.pipeline = pipeline
        self.workers = workers
    }

    /// Aligns `count` images fetched by `image(i)`; crops land at `i × N × N` of the returned bytes.
    /// A decode or OpenCV failure of one image is recorded as `.unreadable`, not thrown.
    func align(count: Int, progress: LoadProgress?, image: @escaping @Sendable (Int) throws -> GrayImage)
        throws -> (crops: [UInt8], outcomes: [SampleOutcome])
    {
        let n = pipeline.size * pipeline.size
        var crops = [UInt8](repeating: 0, count: count * n)
        var outcomes = [SampleOutcome](repeating: .notDetected, count: count)
        guard count > 0 else { return (crops, outcomes) }
        try crops.withUnsafeMutableBufferPointer { cropBuffer in
            try outcomes.withUnsafeMutableBufferPointer { outcomeBuffer in
                let cropBase = cropBuffer.baseAddress!, outcomeBase = outcomeBuffer.baseAddress!
                try forEach(count: count, progress: progress) { aligner, i in
                    do {
                        let aligned = try aligner.align(try image(i))
                        aligned.crop.pixels.withUnsafeBufferPointer {
                            (cropBase + i * n).update(from: $0.baseAddress!, count: n)
                        }
                        (outcomeBase + i).pointee = SampleOutcome(aligned.outcome)
                    } catch {
                        (outcomeBase + i).pointee = .unreadable("\(error)")
                    }
                }
            }
        }
        return (crops, outcomes)
    }

    /// Every face of each of `count` images fetched by `image(i)` (see `FaceAligner.alignAll`, and its
    /// `fromDetection`), in index order. Workers take the images in `order` (a permutation of
    /// 0..<count, e.g. largest first so they finish together; nil: index order); the results do not
    /// depend on it. A failure to fetch or align one image is that image's result, not thrown; only
    /// loading the cascades throws.
    public func alignEveryFace(count: Int, order: [Int]? = nil, fromDetection: Bool = false, progress: LoadProgress? = nil,
                               image: @escaping @Sendable (Int) throws -> GrayImage) throws -> [Result<[AlignedFace], any Error>] {
        var results = [Result<[AlignedFace], any Error>](repeating: .success([]), count: count)
        guard count > 0 else { return results }
        try results.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            try forEach(count: count, order: order, progress: progress) { aligner, i in
                (base + i).pointee = Result { try aligner.alignAll(try image(i), fromDetection: fromDetection) }
            }
        }
        return results
    }

    /// Calls `body(aligner, i)` once for every i in 0..<count, taken in `order` (nil: index order)
    /// by the workers as each becomes free, each with its own aligner. `body` must write only what
    /// belongs to index i: calls run concurrently.
    private func forEach(count: Int, order: [Int]? = nil, progress: LoadProgress?, _ body: (FaceAligner, Int) -> Void) throws {
        if let order {
            guard order.count == count, Set(order).count == count, order.allSatisfy({ (0..<count).contains($0) }) else {
                throw VisionError("the work order must list every index in 0..<\(count) once")
            }
        }
        let workerCount = max(1, min(workers, count))
        // Load cascades up front so a bad cascade path fails once, clearly, before any work.
        var aligners: [FaceAligner] = []
        for _ in 0..<workerCount { aligners.append(try FaceAligner(pipeline)) }

        // Our workers already use every core; OpenCV's own pool on top would oversubscribe.
        let previousThreads = workerCount > 1 ? setOpenCVThreads(1) : nil
        defer { if let previousThreads { setOpenCVThreads(previousThreads) } }

        let queue = WorkQueue(order: order ?? Array(0..<count), progress: progress)
        DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            let aligner = aligners[worker]
            while let i = queue.next() {
                body(aligner, i)
                queue.finished()
            }
        }
    }
}

extension SampleOutcome {
    init(_ outcome: AlignmentOutcome) {
        switch outcome {
        case .aligned: self = .aligned
        case .eyeFallback: self = .eyeFallback
        case .noFace: self = .noFace
        case .notDetected: self = .notDetected
        }
    }
}

/// Hands out indices to workers, in a given order, and reports progress under one lock.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0, done = 0
    private let order: [Int]
    private var total: Int { order.count }
    private let progress: LoadProgress?
    private let step: Int

    init(order: [Int], progress: LoadProgress?) {
        self.order = order
        self.progress = progress
        step = max(1, order.count / 200)  // about 200 callbacks per load
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < total else { return nil }
        taken += 1
        return order[taken - 1]
    }

    func finished() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if let progress, done % step == 0 || done == total { progress(done, total) }
    }
}
