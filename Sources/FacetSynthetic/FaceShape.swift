// The parametric 3-D face: a mean shape of 92 landmarks in inter-ocular units.
// Axes: x to the image right, y down, z towards the camera; pupils at (±0.5, 0, 0.1).

/// Landmark indices shared with the C renderer (see CVisionRender.h).
enum Landmark {
    static let jaw = 0, browRight = 17, browLeft = 22, noseBridge = 27, noseBase = 31
    static let eyeRight = 36, eyeLeft = 42, lipOuter = 48, lipInner = 60
    static let pupilRight = 68, pupilLeft = 69, skull = 70, hairline = 79, earRight = 86, earLeft = 89
    static let count = 92
}

enum FaceShape {
    /// Mean adult face. "Right" parts are the subject's right, drawn on the image left (x < 0).
    static let mean: [SIMD3<Float>] = {
        var p = [SIMD3<Float>](repeating: .zero, count: Landmark.count)
        func set(_ i: Int, _ x: Float, _ y: Float, _ z: Float, mirror j: Int? = nil) {
            p[i] = SIMD3(x, y, z)
            if let j { p[j] = SIMD3(-x, y, z) }
        }
        // Jaw, temple to chin (0...8) mirrored to 16...9.
        let jaw: [(Float, Float, Float)] = [(-1.08, -0.05, -0.55), (-1.06, 0.28, -0.55), (-1.02, 0.6, -0.5),
                                            (-0.96, 0.9, -0.45), (-0.88, 1.17, -0.35), (-0.75, 1.4, -0.2),
                                            (-0.57, 1.58, -0.02), (-0.32, 1.71, 0.12)]
        for (i, q) in jaw.enumerated() { set(i, q.0, q.1, q.2, mirror: 16 - i) }
        set(8, 0, 1.76, 0.18)
        // Brows, outer → inner on the image left; inner → outer on the right.
        let brow: [(Float, Float, Float)] = [(-0.9, -0.3, 0.0), (-0.72, -0.42, 0.1), (-0.52, -0.46, 0.15),
                                             (-0.32, -0.42, 0.18), (-0.14, -0.36, 0.2)]
        for (i, q) in brow.enumerated() { set(17 + i, q.0, q.1, q.2, mirror: 26 - i) }
        // Nose bridge top → tip, base wing → subnasale → wing.
        set(27, 0, -0.22, 0.25); set(28, 0, 0.05, 0.35); set(29, 0, 0.33, 0.47); set(30, 0, 0.6, 0.6)
        set(31, -0.2, 0.66, 0.3, mirror: 35); set(32, -0.1, 0.71, 0.38, mirror: 34); set(33, 0, 0.73, 0.42)
        // Eyes: image-left 36 outer, 37/38 upper lid, 39 inner, 40/41 lower lid; image-right mirrored.
        set(36, -0.74, 0.02, 0.0, mirror: 45); set(37, -0.59, -0.075, 0.07, mirror: 44)
        set(38, -0.41, -0.075, 0.08, mirror: 43); set(39, -0.26, 0.03, 0.05, mirror: 42)
        set(40, -0.41, 0.07, 0.07, mirror: 47); set(41, -0.59, 0.065, 0.06, mirror: 46)
        // Outer lips: 48 corner, 49...53 upper, 54 corner, 55...59 lower.
        set(48, -0.4, 1.0, 0.2, mirror: 54); set(49, -0.25, 0.92, 0.3, mirror: 53)
        set(50, -0.1, 0.875, 0.37, mirror: 52); set(51, 0, 0.895, 0.38)
        set(59, -0.25, 1.1, 0.3, mirror: 55); set(58, -0.12, 1.14, 0.34, mirror: 56); set(57, 0, 1.15, 0.35)
        // Inner lips: 60 corner, 61...63 upper, 64 corner, 65...67 lower (right → left).
        set(60, -0.34, 1.0, 0.22, mirror: 64); set(61, -0.12, 0.99, 0.32, mirror: 63); set(62, 0, 0.99, 0.33)
        set(67, -0.12, 1.0, 0.32, mirror: 65); set(66, 0, 1.0, 0.33)
        set(68, -0.5, 0, 0.1, mirror: 69)
        // Skull outline over the crown, hairline over the forehead.
        let skull: [(Float, Float, Float)] = [(-1.08, -0.02, -0.6), (-1.14, -0.85, -0.6), (-1.0, -1.4, -0.5),
                                              (-0.6, -1.78, -0.35)]
        for (i, q) in skull.enumerated() { set(70 + i, q.0, q.1, q.2, mirror: 78 - i) }
        set(74, 0, -1.92, -0.25)
        let line: [(Float, Float, Float)] = [(-1.03, 0.02, -0.5), (-0.95, -0.85, -0.2), (-0.6, -1.22, 0.0)]
        for (i, q) in line.enumerated() { set(79 + i, q.0, q.1, q.2, mirror: 85 - i) }
        set(82, 0, -1.33, 0.1)
        // Ears: top, outer middle, lobe.
        set(86, -1.2, -0.3, -1.0, mirror: 89); set(87, -1.3, 0.15, -1.05, mirror: 90)
        set(88, -1.17, 0.62, -0.9, mirror: 91)
        return p
    }()
}
