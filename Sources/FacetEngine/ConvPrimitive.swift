import CConvolution
import Foundation

/// How the convolutions run: oneDNN's convolution primitive on its blocked layouts, with
/// reorders at the edges (`ConvPrimitive`), or the engine's im2col and GEMMs (`Conv2D`).
public enum ConvAlgorithm: String, Sendable {
    case primitive, im2col

    /// On a CPU with AVX-512 the primitive: at the study's conv shapes its jit kernels did a
    /// layer's forward and backward 1.2–2.8× faster than the engine's im2col and GEMMs
    /// (`bench/engine/conv_primitive.sh`; docs/engine.md, "Seventh round"). Without AVX-512 (not
    /// measured) im2col. FACET_CONV=im2col or =primitive overrides. A shape oneDNN would not run on
    /// a jit kernel, and a batch smaller than the thread count, run on im2col (`Conv2D.primitive`),
    /// so the choice is a pure function of the shape, the batch, the machine and the setting:
    /// results still repeat bit for bit. Process-wide; tests that work out memory by hand pin it.
    nonisolated(unsafe) public static var current: ConvAlgorithm = {
        if let value = ProcessInfo.processInfo.environment["FACET_CONV"] {
            if let forced = ConvAlgorithm(rawValue: value) { return forced }
            FileHandle.standardError.write(Data("facet: FACET_CONV: ignoring \(value) (known: primitive, im2col)\n".utf8))
        }
        return oneDNNRunsAVX512 ? .primitive : .im2col
    }()
}

/// oneDNN's convolution primitive for one conv at one batch size and thread count (CConvolution's
/// `facet_conv`). The batch is cut into contiguous ranges of images ("parts"), each run by its own
/// single-threaded primitive, the parts dealt round-robin to one pool thread per engine thread, as
/// the im2col path splits images:
/// - single-threaded: oneDNN on a team of OpenMP threads left libgomp's idle worker spinning on a
///   core for a while after each call, against the engine's own threads (LCN, pooling) that came
///   next, and a training step of a narrow net took 31 ms instead of 26 (`GOMP_SPINCOUNT`, read
///   only when libgomp loads, confirmed it);
/// - parts of at most `scratchBudget` bytes of scratch (the output or its gradient, and the input,
///   in the primitive's layouts): the paper's first conv at batch 100 would otherwise take 50 MB
///   of it at once, on top of the activations.
/// Each part's weight and bias gradients are added in part order, so results repeat bit for bit
/// for a thread count. The layer keeps its NCHW input for backward, which reorders it again: a
/// copy in the primitive's layout kept between the passes is memory on top of the activations
/// (12 MB for the paper's second conv; with it the paper net's peak in `facet bench` read 1,159 MB,
/// over the 1,150 MB target).
final class ConvPrimitive {
    private struct Part {
        let handle: OpaquePointer
        let images: Range<Int>
        /// Floats of scratch a forward and a backward need.
        let scratch: (forward: Int, backward: Int)
    }
    private let parts: [Part]
    /// How many parts the batch was cut into (tests check the scratch budget's cut).
    var partCount: Int { parts.count }
    private let workers: Int
    private let inPer: Int, outPer: Int, outPerMaps: Int
    /// The most scratch one part may need, in bytes (tests lower it to cut a small batch into many parts).
    nonisolated(unsafe) static var scratchBudget = 8 << 20

    /// nil when oneDNN would not run the shape on a jit kernel (the engine's im2col path runs it).
    init?(input: FeatureShape, output: FeatureShape, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int,
          batch: Int, threads: Int) {
        let shape = facet_conv_shape(channels: Int32(input.channels), height: Int32(input.height), width: Int32(input.width),
                                     maps: Int32(output.channels), kernel_height: Int32(kernelHeight),
                                     kernel_width: Int32(kernelWidth), stride: Int32(stride), padding: Int32(padding),
                                     out_height: Int32(output.height), out_width: Int32(output.width))
        workers = max(1, min(threads, batch))
        let count = ConvPrimitive.partCount(input: input, output: output, batch: batch, threads: threads)
        var parts: [Part] = []
        for w in 0..<count {
            let images = (batch * w / count)..<(batch * (w + 1) / count)
            guard let made = facet_conv_create(shape, Int32(images.count), 1, nil) else {
                parts.forEach { facet_conv_destroy($0.handle) }
                return nil
            }
            parts.append(Part(handle: made, images: images,
                              scratch: (facet_conv_forward_scratch_floats(made), facet_conv_backward_scratch_floats(made))))
        }
        self.parts = parts
        inPer = input.count; outPer = output.count; outPerMaps = output.channels
    }

    deinit { parts.forEach { facet_conv_destroy($0.handle) } }

    /// Floats of an image's scratch, at most: its output (or output gradient) and input in the
    /// primitive's layouts, and its input gradient where that cannot take the input's place, with
    /// the channels padded to the 16-wide blocks of the AVX-512 layouts.
    static func scratchPerImage(input: FeatureShape, output: FeatureShape) -> Int {
        func padded(_ c: Int) -> Int { (c + 15) / 16 * 16 }
        return padded(output.channels) * output.height * output.width + 2 * padded(input.channels) * input.height * input.width
    }

    /// How many parts a batch is cut into: enough that each part's scratch fits `scratchBudget`, a
    /// multiple of the workers (so each takes as many), never more than the images.
    static func partCount(input: FeatureShape, output: FeatureShape, batch: Int, threads: Int) -> Int {
        let workers = max(1, min(threads, batch))
        let perPart = max(1, scratchBudget / (4 * scratchPerImage(input: input, output: output)))
        let chunks = (batch + perPart - 1) / perPart
        return min(batch, max(workers, (chunks + workers - 1) / workers * workers))
    }

    /// Floats of scratch a pass at `batch` maps at most (`ConvScratch`): each worker's largest part.
    static func scratchFloats(input: FeatureShape, output: FeatureShape, batch: Int, threads: Int) -> Int {
        let parts = partCount(input: input, output: output, batch: batch, threads: threads)
        let workers = max(1, min(threads, batch)), largestPart = (batch + parts - 1) / parts
        return workers * largestPart * scratchPerImage(input: input, output: output)
    }

    /// oneDNN's name for the forward kernel ("jit:avx512_core").
    var implementation: String { String(cString: facet_conv_impl(parts[0].handle)) }

    /// Runs `body(index, part, scratch)` for every part, worker w taking parts w, w + workers, …
    /// in turn on a pool thread (one worker: inline), each worker with the scratch `size` says the
    /// pass needs for its largest part.
    private func eachPart(scratch size: (Part) -> Int, _ body: (Int, Part, UnsafeMutablePointer<Float>) -> Void) {
        let parts = self.parts, workers = self.workers
        let each = max(1, parts.map(size).max() ?? 0)
        ConvScratch.shared.with(workers * each) { base in
            func run(_ w: Int) {
                for i in stride(from: w, to: parts.count, by: workers) { body(i, parts[i], base + w * each) }
            }
            if workers == 1 { run(0) } else { parallelOnPool(workers) { run($0) } }
        }
    }

    /// y = conv(x, w) + b, all in the engine's layouts.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        eachPart(scratch: { $0.scratch.forward }) { _, part, scratch in
            let status = facet_conv_forward(part.handle, x + part.images.lowerBound * inPer, weight, bias, scratch,
                                            y + part.images.lowerBound * outPer)
            // Only invalid arguments fail, which the layer's shape checks rule out: a bug, not an input error.
            precondition(status == 0, "oneDNN convolution forward failed with status \(status)")
        }
    }

    /// Each part's weight and bias gradients, written (not added) at `sums + i · (weightCount +
    /// maps)` for part i, weights first (the layer adds them in part order), and, unless `dx` is
    /// nil, dx, from x and dy.
    func backward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, sums: UnsafeMutablePointer<Float>, weightCount: Int) {
        let per = weightCount + outPerMaps
        eachPart(scratch: { $0.scratch.backward }) { i, part, scratch in
            let status = facet_conv_backward(part.handle, x + part.images.lowerBound * inPer, dy + part.images.lowerBound * outPer,
                                             weight, scratch, dx.map { $0 + part.images.lowerBound * inPer },
                                             sums + i * per, sums + i * per + weightCount)
            precondition(status == 0, "oneDNN convolution backward failed with status \(status)")
        }
    }
}

/// Floats mapped outside the malloc heap, unmapped when released: the convs' scratch. Allocated
/// from the heap between the layers' activations (up to 16 MB a pass), it split the free blocks
/// the next batch's activations would have reused, and the paper net's peak in `facet bench` rose
/// by 48 MB (1,185 MB against im2col's 1,112).
final class MappedFloats {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { fatalError("facet: out of memory: could not map \(bytes) bytes for a convolution") }
        pointer = p.assumingMemoryBound(to: Float.self)
    }

    deinit { munmap(pointer, max(1, count) * MemoryLayout<Float>.stride) }
}

/// The convs' scratch: one mapped buffer, kept and grown as needed, used by every conv pass in
/// turn (the layers run one after another). A pass that finds it in use (two nets training at
/// once) maps a buffer of its own for the call.
final class ConvScratch: @unchecked Sendable {
    static let shared = ConvScratch()
    private let lock = NSLock()
    private var buffer: MappedFloats?

    func with(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        guard lock.try() else { let own = MappedFloats(count: count); body(own.pointer); return }
        defer { lock.unlock() }
        if (buffer?.count ?? -1) < count { buffer = nil; buffer = MappedFloats(count: count) }
        body(buffer!.pointer)
    }
}
