// Everything that defines one synthetic face: labels, the generating vector and the nuisances.

/// Nuisance settings: what varies besides the face itself. All on by default.
public struct SyntheticOptions: Sendable {
    /// Standard deviation of yaw and pitch in degrees (clipped at 2.5 deviations).
    public var yawSD: Float = 12, pitchSD: Float = 8
    /// Standard deviation of in-plane roll in degrees (scenes only; crops are level).
    public var rollSD: Float = 10
    /// Share of faces with a hand, a lock of hair or a scarf over part of the face.
    public var occlusionRate: Float = 0.12
    /// Maximum sensor noise sigma in grey levels.
    public var maxNoise: Float = 5
    /// Share of faces blurred (sigma 0.3...0.8 output pixels).
    public var blurRate: Float = 0.3
    /// Residual alignment error in crops: eye positions jitter by this share of the crop size.
    public var alignmentJitter: Float = 0.012
    /// Scene side in pixels when rendering scenes (0: four times the crop size, at least 160).
    public var sceneSize: Int = 0
    /// Worker threads (0: all cores). Output does not depend on it.
    public var threads: Int = 0

    /// The defaults described above.
    public init() {}

    /// No pose, lighting, occlusion, noise or blur variation: for tests and inspection.
    public static var clean: SyntheticOptions {
        var o = SyntheticOptions()
        o.yawSD = 0; o.pitchSD = 0; o.rollSD = 0; o.occlusionRate = 0; o.maxNoise = 0; o.blurRate = 0
        o.alignmentJitter = 0
        return o
    }
}

/// The appearance ("texture") coefficients, in target-vector order; each 0...1.
public enum AppearanceCoefficient: Int, CaseIterable, Sendable {
    case skin, texture, wrinkles, browDark, lipDark, irisDark, hairDark, hairLength, hairVolume, fringe
}

/// One sampled face before rendering.
struct FaceSpec {
    var labels = [Int32](repeating: 0, count: SyntheticAttribute.allCases.count)
    var intensity: Float = 0
    var ageYears: Float = 0
    var shape = [Float](repeating: 0, count: ShapeMode.allCases.count)
    var expression = [Float](repeating: 0, count: ExpressionUnit.allCases.count)
    var appearance = [Float](repeating: 0, count: AppearanceCoefficient.allCases.count)
    var yaw: Float = 0, pitch: Float = 0, roll: Float = 0   // degrees
    var glassesStyle: Int32 = 0                              // 0 none, 1 thin, 2 thick, 3 sunglasses
    var beard: Float = 0, moustache: Float = 0               // drawn density 0...1
    // Light and camera.
    var lightX: Float = 0, lightY: Float = -0.3, ambient: Float = 0.55
    var contrast: Float = 1, brightness: Float = 0, background: Float = 0.5
    var clutter: Int32 = 3, noise: Float = 0, blur: Float = 0
    var occluder: Int32 = 0, occluderAmount: Float = 0
    // Placement: crop alignment jitter (4 unit normals), scene scale and eye-midpoint position.
    var jitter = SIMD4<Float>(repeating: 0)
    var sceneScale: Float = 0.17, sceneX: Float = 0.5, sceneY: Float = 0.42
    var renderSeed: UInt64 = 1

    subscript(_ a: SyntheticAttribute) -> Int32 {
        get { labels[SyntheticAttribute.allCases.firstIndex(of: a)!] }
        set { labels[SyntheticAttribute.allCases.firstIndex(of: a)!] = newValue }
    }

    /// Regression targets: shape, expression and appearance coefficients, then yaw and pitch (degrees).
    var targets: [Float] { shape + expression + appearance + [yaw, pitch] }

    /// Names of the `targets` columns.
    static let targetNames: [String] =
        ShapeMode.allCases.map { "shape.\($0)" } + ExpressionUnit.allCases.map { "expression.\($0)" }
        + AppearanceCoefficient.allCases.map { "appearance.\($0)" } + ["yaw", "pitch"]
}
