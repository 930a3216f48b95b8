// The public entry point: seeded, parallel, reproducible generation of labelled faces.
import FacetRandom
import FacetVision
import Foundation

/// The built-in renderer of labelled synthetic faces (see docs/synthetic.md).
public enum SyntheticFaces {
    /// Renders `count` faces from `seed`.
    ///
    /// Face `i` depends only on (`seed`, `i`, `size`, `preset`, `scenes`, options), never on
    /// threads or batch size, so the same call gives the same bytes on the same machine.
    /// - Parameters:
    ///   - size: side of the aligned crops in pixels (8...512); eyes sit at `CanonicalEyes`.
    ///   - scenes: render whole scenes (face rolled, placed and scaled inside a larger image)
    ///     instead of aligned crops, so the detection and alignment pipeline can be exercised.
    ///   - labelNoise: share of labels (each attribute independently) replaced by another class.
    ///   - progress: called with the number of finished faces, from any thread.
    /// ```
    /// let batch = try SyntheticFaces.generate(count: 1000, seed: 7)
    /// let emotions = batch.labels[.emotion]!        // [Int32], FER2013 order
    /// ```
    /// The side of each rendered image: the crop size, or a scene's side (4 × size, at least 160).
    public static func side(size: Int, scenes: Bool, options: SyntheticOptions = SyntheticOptions()) -> Int {
        scenes ? (options.sceneSize > 0 ? options.sceneSize : max(160, 4 * size)) : size
    }

    /// Bytes `generate` and the data set made of its result need (`imageSetBytes`), to compare
    /// with the memory limit before rendering: `n: 1e9` is an error, not a failed allocation.
    public static func bytesNeeded(count: Int, size: Int, scenes: Bool, options: SyntheticOptions = SyntheticOptions()) -> Double {
        imageSetBytes(count: count, side: side(size: size, scenes: scenes, options: options))
    }

    public static func generate(count: Int, seed: UInt64, size: Int = 48, preset: SyntheticPreset = .fer,
                                scenes: Bool = false, labelNoise: Double = 0,
                                options: SyntheticOptions = SyntheticOptions(),
                                progress: ((Int) -> Void)? = nil) throws -> SyntheticBatch {
        guard count >= 0 else { throw SyntheticError.invalidArgument("count must be ≥ 0, got \(count)") }
        guard (8...512).contains(size) else { throw SyntheticError.invalidArgument("size must be 8...512 pixels, got \(size)") }
        guard (0...1).contains(labelNoise) else {
            throw SyntheticError.invalidArgument("label noise must be a rate in 0...1, got \(labelNoise)")
        }
        let side = Self.side(size: size, scenes: scenes, options: options)
        guard (32...4096).contains(side) || !scenes else {
            throw SyntheticError.invalidArgument("scene size must be 32...4096 pixels, got \(side)")
        }
        let nT = FaceSpec.targetNames.count, nA = SyntheticAttribute.allCases.count, n = side * side
        let failure = FirstError(), done = Counter()
        let threads = options.threads > 0 ? options.threads : ProcessInfo.processInfo.activeProcessorCount
        let chunks = max(1, min(count, threads * 8))
        // Pixels (the bulk) are rendered straight into the returned array; the small per-face
        // outputs go through `Outputs`. Each face writes only its own slots.
        var pixels = [Float](repeating: 0, count: count * n)
        let out = Outputs(count: count, labels: nA, targets: nT)
        defer { out.free() }
        pixels.withUnsafeMutableBufferPointer { buffer in
            let px = buffer.baseAddress
            let work = { (chunk: Int) in
                var i = chunk * count / chunks
                while i < (chunk + 1) * count / chunks && !failure.isSet {
                    var rng = SeededGenerator.stream(seed: seed, index: i)
                    let spec = FaceSpec.sample(&rng, preset: preset, options: options)
                    do {
                        let truth = try spec.render(width: side, height: side, scene: scenes, options: options,
                                                    into: px! + i * n)
                        for k in 0..<4 { out.eyes[i * 4 + k] = truth.eyes[k]; out.boxes[i * 4 + k] = truth.box[k] }
                    } catch { failure.set(error) }
                    for k in 0..<nA { out.labels[i * nA + k] = spec.labels[k] }
                    for (k, t) in spec.targets.enumerated() { out.targets[i * nT + k] = t }
                    out.intensity[i] = spec.intensity
                    out.ages[i] = spec.ageYears
                    i += 1
                    if let progress { progress(done.add(1)) }
                }
            }
            if threads == 1 { for c in 0..<chunks { work(c) } }
            else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
        }
        let labels = Array(out.labels), targets = Array(out.targets)
        let eyes = Array(out.eyes), boxes = Array(out.boxes), intensity = Array(out.intensity), ages = Array(out.ages)
        if let e = failure.error { throw e }
        var clean: [SyntheticAttribute: [Int32]] = [:]
        for (k, a) in SyntheticAttribute.allCases.enumerated() {
            clean[a] = (0..<count).map { labels[$0 * nA + k] }
        }
        let noisy = applyLabelNoise(clean, rate: labelNoise, seed: seed)
        return SyntheticBatch(count: count, width: side, height: side, scenes: scenes, pixels: pixels, labels: noisy,
                              cleanLabels: clean, intensity: intensity, ageYears: ages, targets: targets,
                              targetNames: FaceSpec.targetNames, eyes: eyes, faceBoxes: boxes)
    }

    /// Replaces each label with probability `rate` by a different class, from its own stream so
    /// the images do not change with the rate.
    static func applyLabelNoise(_ labels: [SyntheticAttribute: [Int32]], rate: Double, seed: UInt64)
        -> [SyntheticAttribute: [Int32]] {
        guard rate > 0 else { return labels }
        var out = labels
        for (k, a) in SyntheticAttribute.allCases.enumerated() {
            let classes = a.classNames.count
            var rng = SeededGenerator.stream(seed: seed, index: k, salt: 0x4C4E)   // "LN"
            out[a] = labels[a]!.map { y in
                guard rng.chance(Float(rate)) else { return y }
                let other = Int32(rng.below(classes - 1))
                return other >= y ? other + 1 : other
            }
        }
        return out
    }
}

// MARK: - Small thread-safe helpers

private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stored != nil }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ e: Error) { lock.lock(); if stored == nil { stored = e }; lock.unlock() }
}

/// Per-face outputs written by the workers, each face to its own disjoint slots.
private struct Outputs: @unchecked Sendable {
    let labels: UnsafeMutableBufferPointer<Int32>, targets: UnsafeMutableBufferPointer<Float>
    let eyes: UnsafeMutableBufferPointer<Float>, boxes: UnsafeMutableBufferPointer<Float>
    let intensity: UnsafeMutableBufferPointer<Float>, ages: UnsafeMutableBufferPointer<Float>

    init(count: Int, labels nA: Int, targets nT: Int) {
        func make<T: Numeric>(_ k: Int) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: k)
            b.initialize(repeating: 0)
            return b
        }
        labels = make(count * nA); targets = make(count * nT)
        eyes = make(count * 4); boxes = make(count * 4); intensity = make(count); ages = make(count)
    }

    func free() {
        labels.deallocate()
        for b in [targets, eyes, boxes, intensity, ages] { b.deallocate() }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add(_ k: Int) -> Int { lock.lock(); defer { lock.unlock() }; value += k; return value }
}
