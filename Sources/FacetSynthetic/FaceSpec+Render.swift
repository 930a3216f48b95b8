// Turning a sampled face into pixels: shape → pose → placement in the image → C renderer.
import CVision
import FacetVision

/// Where the face sits in the output image, and the ground truth that follows from it.
struct FaceTruth {
    /// Pupils in output pixels (pixel centres at integers): image-left eye, then image-right eye.
    var eyes: SIMD4<Float>
    /// Axis-aligned box around jaw, brows and hairline: x, y, width, height in output pixels.
    var box: SIMD4<Float>
}

/// The canonical eye positions of an aligned crop, as fractions of its side: the same framing as
/// the default `FacePipeline` (eye midpoint centred, `eyeDistance` apart, on row `eyeRow`), so a
/// synthetic crop looks like a detected-and-aligned real face.
public enum CanonicalEyes {
    /// Image-left eye x, image-right eye x, and the common eye height, as fractions of the crop side.
    public static let leftX = Float(0.5 - FacePipeline().eyeDistance / 2)
    public static let rightX = Float(0.5 + FacePipeline().eyeDistance / 2)
    public static let y = Float(FacePipeline().eyeRow)
}

extension FaceSpec {
    /// Renders into `out` (width*height grey floats 0...255). Crops are level and eye-aligned;
    /// scenes place the rolled face at a random position and scale.
    func render(width: Int, height: Int, scene: Bool, options o: SyntheticOptions,
                into out: UnsafeMutablePointer<Float>) throws -> FaceTruth {
        let radians: Float = .pi / 180
        let shape3 = FaceShape.pose(FaceShape.build(shape: shape, expression: expression),
                                    yaw: yaw * radians, pitch: pitch * radians)
        let a = SIMD2(shape3[Landmark.pupilRight].x, shape3[Landmark.pupilRight].y)
        let b = SIMD2(shape3[Landmark.pupilLeft].x, shape3[Landmark.pupilLeft].y)
        // Target pupil positions in output pixels.
        let W = Float(width), H = Float(height)
        var ta: SIMD2<Float>, tb: SIMD2<Float>
        if scene {
            let side = min(W, H), iod = side * sceneScale, mid = SIMD2(W * sceneX, H * sceneY)
            let half = SIMD2(cosf(roll * radians), sinf(roll * radians)) * (iod / 2)
            ta = mid - half; tb = mid + half
        } else {
            let j = o.alignmentJitter * W
            ta = SIMD2(CanonicalEyes.leftX * W + j * jitter.x, CanonicalEyes.y * H + j * jitter.y)
            tb = SIMD2(CanonicalEyes.rightX * W + j * jitter.z, CanonicalEyes.y * H + j * jitter.w)
        }
        // Similarity transform taking the projected pupils a, b onto ta, tb.
        let v = b - a, w = tb - ta
        let scale = (w * w).sum().squareRoot() / max((v * v).sum().squareRoot(), 1e-6)
        let angle = atan2f(w.y, w.x) - atan2f(v.y, v.x)
        let c = cosf(angle) * scale, s = sinf(angle) * scale
        func place(_ p: SIMD3<Float>) -> SIMD2<Float> {
            let d = SIMD2(p.x, p.y) - a
            return ta + SIMD2(c * d.x - s * d.y, s * d.x + c * d.y)
        }
        var face = cFace(scene: scene)
        var lo = SIMD2<Float>(repeating: .infinity), hi = -lo
        withUnsafeMutableBytes(of: &face.x) { xs in
            withUnsafeMutableBytes(of: &face.y) { ys in
                withUnsafeMutableBytes(of: &face.z) { zs in
                    let x = xs.bindMemory(to: Float.self), y = ys.bindMemory(to: Float.self), z = zs.bindMemory(to: Float.self)
                    for i in 0..<Landmark.count {
                        let q = place(shape3[i])
                        x[i] = q.x; y[i] = q.y; z[i] = shape3[i].z
                        if i <= 26 || (Landmark.hairline..<Landmark.hairline + 7).contains(i) {
                            lo = pointwiseMin(lo, q); hi = pointwiseMax(hi, q)
                        }
                    }
                }
            }
        }
        let ss: Int32 = scene ? 2 : (max(width, height) <= 64 ? 3 : 2)
        var err = [CChar](repeating: 0, count: 512)
        let status = cvr_render_face(&face, Int32(width), Int32(height), ss, out, &err, Int32(err.count))
        if status != 0 {
            throw SyntheticError.renderFailed(String(cString: err))
        }
        let pa = place(shape3[Landmark.pupilRight]), pb = place(shape3[Landmark.pupilLeft])
        return FaceTruth(eyes: SIMD4(pa.x, pa.y, pb.x, pb.y), box: SIMD4(lo.x, lo.y, hi.x - lo.x, hi.y - lo.y))
    }

    /// The renderer's parameter block, without landmarks.
    private func cFace(scene: Bool) -> CVRFace {
        var f = CVRFace()
        let ap = appearance
        func A(_ k: AppearanceCoefficient) -> Float { ap[k.rawValue] }
        f.yaw = yaw * .pi / 180; f.pitch = pitch * .pi / 180
        f.skin = A(.skin); f.texture = A(.texture); f.wrinkles = A(.wrinkles)
        f.browDark = A(.browDark); f.lipDark = A(.lipDark); f.irisDark = A(.irisDark)
        f.hairDark = A(.hairDark); f.hairLength = A(.hairLength); f.hairVolume = A(.hairVolume); f.fringe = A(.fringe)
        f.glasses = glassesStyle; f.beard = beard; f.moustache = moustache
        f.smile = max(0, expression[ExpressionUnit.mouthCorners.rawValue])
        f.noseWrinkle = expression[ExpressionUnit.noseWrinkle.rawValue]
        f.browKnit = expression[ExpressionUnit.browLower.rawValue]
        f.lightX = lightX; f.lightY = lightY; f.ambient = ambient
        f.contrast = contrast; f.brightness = brightness; f.background = background
        f.clutter = scene ? clutter * 2 : clutter
        f.body = 1
        f.noise = noise; f.blur = blur
        f.occluder = occluder; f.occluderAmount = occluderAmount
        f.seed = renderSeed
        return f
    }
}

/// Why synthetic generation failed.
public enum SyntheticError: Error, CustomStringConvertible, Equatable {
    case invalidArgument(String)
    case renderFailed(String)
    case writeFailed(String)

    /// A one-line message naming what went wrong.
    public var description: String {
        switch self {
        case .invalidArgument(let m): return "synthetic faces: \(m)"
        case .renderFailed(let m): return "synthetic faces: renderer failed: \(m)"
        case .writeFailed(let m): return "synthetic faces: \(m)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
