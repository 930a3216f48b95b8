// Identity modes and expression displacements of the parametric face, then the head pose.

/// The identity ("shape") coefficients, in the order of the regression target vector.
public enum ShapeMode: Int, CaseIterable, Sendable {
    case faceWidth, faceLength, jawWidth, chinLength, eyeSize, eyeHeight, eyeSlant
    case noseLength, noseWidth, mouthWidth, lipThickness, browHeight, foreheadHeight
}

/// Facial-action-like expression controls (FACS-inspired), in target-vector order.
/// Signed ones run -1...1 (mouthCorners: frown ↔ smile, eyeOpening: squint ↔ wide,
/// lipStretch: press ↔ stretch); the others 0...1.
public enum ExpressionUnit: Int, CaseIterable, Sendable {
    case mouthCorners, upperLipRaise, jawDrop, browRaise, innerBrowRaise, browLower, eyeOpening
    case noseWrinkle, lipStretch
}

extension FaceShape {
    /// Landmarks for identity `shape` (ShapeMode order) and expression `expr` (ExpressionUnit order).
    static func build(shape c: [Float], expression e: [Float]) -> [SIMD3<Float>] {
        var p = mean
        applyIdentity(&p, c)
        applyExpression(&p, e)
        return p
    }

    private static func applyIdentity(_ p: inout [SIMD3<Float>], _ c: [Float]) {
        let outline = Array(0...16) + Array(70...91)
        for i in outline { p[i].x *= 1 + 0.06 * c[0] }
        for i in 0..<Landmark.count where p[i].y > 0.3 { p[i].y = 0.3 + (p[i].y - 0.3) * (1 + 0.06 * c[1]) }
        for i in 3...13 { p[i].x *= 1 + 0.08 * c[2] * (1 - abs(Float(i) - 8) / 6) }
        for i in 5...11 { p[i].y += 0.07 * c[3] * (1 - abs(Float(i) - 8) / 4) }
        for (base, pupil) in [(36, 68), (42, 69)] {
            let centre = p[pupil]
            for i in base..<(base + 6) {
                p[i].x = centre.x + (p[i].x - centre.x) * (1 + 0.1 * c[4])
                p[i].y = centre.y + (p[i].y - centre.y) * (1 + 0.1 * c[4]) * (1 + 0.15 * c[5])
            }
        }
        p[36].y -= 0.03 * c[6]; p[45].y -= 0.03 * c[6]
        for i in 29...35 { p[i].y += 0.05 * c[7] * (i == 29 ? 0.5 : 1); p[i].z += 0.03 * c[7] }
        for i in 31...35 { p[i].x *= 1 + 0.12 * c[8] }
        for i in 48...67 { p[i].x *= 1 + 0.08 * c[9] }
        for i in 49...53 { p[i].y -= 0.03 * c[10] }
        for i in 55...59 { p[i].y += 0.035 * c[10] }
        for i in 17...26 { p[i].y -= 0.04 * c[11] }
        for i in 79...85 { p[i].y -= 0.08 * c[12] * (i == 79 || i == 85 ? 0.4 : 1) }
    }

    private static func applyExpression(_ p: inout [SIMD3<Float>], _ e: [Float]) {
        // Mouth corners: up and out for a smile, down for a frown; neighbours follow half-way.
        let corners = e[0], smile = max(corners, 0)
        for (i, side) in [(48, Float(-1)), (54, 1), (60, -1), (64, 1)] {
            p[i].y -= (corners > 0 ? 0.12 : 0.15) * corners
            p[i].x += side * 0.1 * smile
        }
        for (i, side) in [(49, Float(-1)), (53, 1), (59, -1), (55, 1), (61, -1), (63, 1), (65, 1), (67, -1)] {
            p[i].y -= 0.05 * corners
            p[i].x += side * 0.05 * smile
        }
        // A smile parts the lips into a crescent: the lower lip curves down in the middle and the
        // upper lip stretches over the teeth. A frown does neither.
        for (i, lift) in [(61, Float(0.03)), (62, 0.02), (63, 0.03)] { p[i].y -= lift * smile }
        for (i, drop) in [(65, Float(0.05)), (66, 0.07), (67, 0.05)] { p[i].y += drop * smile }
        for (i, drop) in [(55, Float(0.03)), (56, 0.05), (57, 0.06), (58, 0.05), (59, 0.03)] { p[i].y += drop * smile }
        // Upper lip raise (disgust): the upper lip and nose wings lift.
        for i in 49...53 { p[i].y -= 0.08 * e[1] }
        for i in 61...63 { p[i].y -= 0.07 * e[1] }
        // Jaw drop: lower lip and chin move down, the corners round in.
        let drop = e[2]
        for i in 55...59 { p[i].y += 0.3 * drop }
        for i in 65...67 { p[i].y += 0.28 * drop }
        for i in 3...13 { p[i].y += 0.3 * drop * max(0, 1 - abs(Float(i) - 8) / 5.5) }
        for (i, side) in [(48, Float(-1)), (54, 1), (60, -1), (64, 1)] {
            p[i].y += 0.12 * drop
            p[i].x -= side * 0.04 * drop
        }
        // Brows: raise (all), inner raise (sad/fear), lower and knit (anger).
        for i in 17...26 { p[i].y -= 0.16 * e[3] }
        for i in [37, 38, 43, 44] { p[i].y -= 0.02 * e[3] }
        for (i, w) in [(21, Float(1)), (22, 1), (20, 0.55), (23, 0.55), (17, -0.15), (26, -0.15)] { p[i].y -= 0.15 * w * e[4] }
        for i in 17...26 { p[i].y += 0.1 * e[5] }
        for (i, w) in [(21, Float(1)), (22, -1), (20, 0.5), (23, -0.5)] {
            p[i].x += 0.065 * w * e[5]
            p[i].y += 0.04 * abs(w) * e[5]
        }
        // Eye opening: the upper lid lifts (wide) or drops with the lower lid rising (squint).
        let open = e[6]
        for i in [37, 38, 43, 44] { p[i].y -= 0.05 * open }
        for i in [40, 41, 46, 47] { p[i].y += open > 0 ? 0.015 * open : 0.03 * open }
        // Nose wrinkle: wings and upper lip rise, inner brows drop.
        for (i, side) in [(31, Float(-1)), (35, 1)] {
            p[i].y -= 0.045 * e[7]
            p[i].x += side * 0.02 * e[7]
        }
        for i in 32...34 { p[i].y -= 0.02 * e[7] }
        for i in [20, 21, 22, 23] { p[i].y += 0.035 * e[7] }
        for i in 49...53 { p[i].y -= 0.03 * e[7] }
        // Lip stretch (fear) pulls the corners out and thins the lips; pressing (anger) thins them more.
        let stretch = e[8]
        for (i, side) in [(48, Float(-1)), (54, 1), (60, -1), (64, 1)] {
            p[i].x += side * (stretch > 0 ? 0.08 * stretch : 0.03 * stretch)
            p[i].y += 0.02 * max(stretch, 0)
        }
        let thin: Float = stretch > 0 ? 0.015 * stretch : 0.035 * -stretch
        for i in 49...53 { p[i].y += thin }
        for i in 55...59 { p[i].y -= thin }
    }

    /// Rotates by yaw (about the vertical axis; > 0 turns the face towards the image right) and
    /// pitch (> 0 tilts the chin up), around a point inside the head, in radians.
    static func pose(_ p: [SIMD3<Float>], yaw: Float, pitch: Float) -> [SIMD3<Float>] {
        let centre = SIMD3<Float>(0, 0.3, -1.0)
        let cy = cosf(yaw), sy = sinf(yaw), cp = cosf(pitch), sp = sinf(pitch)
        return p.map { q in
            let d = q - centre
            let x1 = d.x * cy + d.z * sy, z1 = -d.x * sy + d.z * cy
            let y2 = d.y * cp - z1 * sp, z2 = d.y * sp + z1 * cp
            return SIMD3(x1, y2, z2) + centre
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
