import CConvolution
import CDNNL
import Foundation

/// How the convolutions run: oneDNN's convolution primitive on its blocked layouts, with
/// reorders at the edges (`ConvPrimitive`), or the engine's im2col and GEMMs (`Conv2D`).
public enum ConvAlgorithm: String, Sendable {
    case primitive, im2col

    /// On a CPU with AVX-512 the primitive: at the study's conv shapes its jit kernels did a
    /// layer's forward and backward 1.2–2.8× faster than im2col and the best GEMMs
    /// (`bench/engine/conv_primitive.sh`, docs/engine.md, "Seventh round"). Without AVX-512 (not
    /// measured) im2col. FACET_CONV=im2col or =primitive overrides. A shape oneDNN would not run on a
    /// jit kernel falls back to im2col (`ConvPrimitive.init`), so the choice is a pure function of
    /// the shape, the machine and the setting: results still repeat bit for bit.
    nonisolated(unsafe) static var current: ConvAlgorithm = {
        if let value = ProcessInfo.processInfo.environment["FACET_CONV"] {
            if let forced = ConvAlgorithm(rawValue: value) { return forced }
            FileHandle.standardError.write(Data("facet: FACET_CONV: ignoring \(value) (known: primitive, im2col)\n".utf8))
        }
        let avx512 = dnnl_cpu_isa_avx512_core.rawValue
        return dnnl_get_effective_cpu_isa().rawValue & avx512 == avx512 ? .primitive : .im2col
    }()
}

/// oneDNN's convolution primitive for one conv at one batch size and thread count (CConvolution's
/// `facet_conv`). The batch is cut into one contiguous range of images per engine thread, each run
/// by its own single-threaded primitive on a pool thread, as the im2col path splits images: oneDNN
/// on a team of OpenMP threads left libgomp's idle worker spinning on a core for a while after each
/// call, against the engine's own threads (LCN, pooling) that came next, and a training step of a
/// narrow net took 31 ms instead of 26 (`GOMP_SPINCOUNT`, read only when libgomp loads, confirmed
/// it). Each range's weight and bias gradients are added in range order, so results repeat bit
/// for bit for a thread count. Forward writes the input in the primitive's layout into a buffer
/// the layer keeps for backward, instead of the NCHW input.
final class ConvPrimitive {
    private struct Part {
        let handle: OpaquePointer
        let images: Range<Int>
        /// Where this range's input, in the primitive's layout, starts in the saved buffer.
        let savedOffset: Int
        let scratchFloats: Int
    }
    private let parts: [Part]
    private let inPer: Int, outPer: Int
    /// Floats of the input in the primitive's layout, kept from forward to backward.
    let savedFloats: Int

    /// nil when oneDNN would not run the shape on a jit kernel (the engine's im2col path runs it).
    init?(input: FeatureShape, output: FeatureShape, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int,
          batch: Int, threads: Int) {
        let shape = facet_conv_shape(channels: Int32(input.channels), height: Int32(input.height), width: Int32(input.width),
                                     maps: Int32(output.channels), kernel_height: Int32(kernelHeight),
                                     kernel_width: Int32(kernelWidth), stride: Int32(stride), padding: Int32(padding),
                                     out_height: Int32(output.height), out_width: Int32(output.width))
        let count = max(1, min(threads, batch))
        var parts: [Part] = [], saved = 0
        for w in 0..<count {
            let images = (batch * w / count)..<(batch * (w + 1) / count)
            guard let made = facet_conv_create(shape, Int32(images.count), 1, nil) else {
                parts.forEach { facet_conv_destroy($0.handle) }
                return nil
            }
            parts.append(Part(handle: made, images: images, savedOffset: saved, scratchFloats: facet_conv_scratch_floats(made)))
            saved += facet_conv_saved_floats(made)
        }
        self.parts = parts
        savedFloats = saved
        inPer = input.count; outPer = output.count
    }

    deinit { parts.forEach { facet_conv_destroy($0.handle) } }

    /// oneDNN's name for the forward kernel ("jit:avx512_core").
    var implementation: String { String(cString: facet_conv_impl(parts[0].handle)) }

    /// Runs `body(index, part, its scratch)` for every range, each on a pool thread (one range: inline).
    private func eachPart(_ body: (Int, Part, UnsafeMutablePointer<Float>) -> Void) {
        var scratch = uninitializedFloats(parts.reduce(0) { $0 + $1.scratchFloats })
        scratch.withUnsafeMutableBufferPointer { s in
            var offsets = [0]
            for p in parts { offsets.append(offsets.last! + p.scratchFloats) }
            if parts.count == 1 { body(0, parts[0], s.baseAddress!); return }
            parallelOnPool(parts.count) { w in body(w, parts[w], s.baseAddress! + offsets[w]) }
        }
    }

    /// y = conv(x, w) + b, all in the engine's layouts; `saved` (training) receives x in the
    /// primitive's layout.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 saved: UnsafeMutablePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        eachPart { _, part, scratch in
            let status = facet_conv_forward(part.handle, x + part.images.lowerBound * inPer, weight, bias,
                                            saved.map { $0 + part.savedOffset }, scratch, y + part.images.lowerBound * outPer)
            // Only invalid arguments fail, which the layer's shape checks rule out: a bug, not an input error.
            precondition(status == 0, "oneDNN convolution forward failed with status \(status)")
        }
    }

    /// The weight and bias gradients over the whole batch (written, not added: each range's, added
    /// in range order) and, unless `dx` is nil, dx, from dy and the forward's `saved`.
    func backward(saved: UnsafePointer<Float>, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>, weightCount: Int,
                  db: UnsafeMutablePointer<Float>, biasCount: Int) {
        let per = weightCount + biasCount
        var sums = uninitializedFloats(parts.count * per)
        sums.withUnsafeMutableBufferPointer { g in
            let base = g.baseAddress!
            eachPart { w, part, scratch in
                let status = facet_conv_backward(part.handle, saved + part.savedOffset, dy + part.images.lowerBound * outPer,
                                                 weight, scratch, dx.map { $0 + part.images.lowerBound * inPer },
                                                 base + w * per, base + w * per + weightCount)
                precondition(status == 0, "oneDNN convolution backward failed with status \(status)")
            }
            for j in 0..<weightCount {
                var total = base[j]
                for w in 1..<parts.count { total += base[w * per + j] }
                dw[j] = total
            }
            for j in 0..<biasCount {
                var total = base[weightCount + j]
                for w in 1..<parts.count { total += base[w * per + weightCount + j] }
                db[j] = total
            }
        }
    }
}
