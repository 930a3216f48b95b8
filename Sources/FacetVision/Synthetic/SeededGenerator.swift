// A small, fast, seedable generator so synthetic faces are reproducible on every platform.

/// SplitMix64 (Steele, Lea & Flood 2014), seeded: the same seed gives the same sequence everywhere.
public struct SyntheticRNG: RandomNumberGenerator {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream for item `index` of a run seeded with `seed` (order-free, so parallel-safe).
    public static func stream(seed: UInt64, index: Int, salt: UInt64 = 0) -> SyntheticRNG {
        var mixer = SyntheticRNG(seed: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        let base = mixer.next()
        // Hash the index so that streams are not shifted copies of one sequence.
        var h = SyntheticRNG(seed: UInt64(truncatingIfNeeded: index) ^ 0x5851_F42D_4C95_7F2D)
        return SyntheticRNG(seed: base ^ h.next())
    }
}

// MARK: - Draws used by the face sampler

extension SyntheticRNG {
    /// Uniform in [0, 1) with 24 bits of precision (exactly representable as Float).
    mutating func unit() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [a, b).
    mutating func uniform(_ a: Float, _ b: Float) -> Float { a + (b - a) * unit() }

    /// Standard normal (Box–Muller; one value per call keeps the stream simple).
    mutating func normal() -> Float {
        let u1 = max(unit(), 1e-7), u2 = unit()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }

    /// Normal with mean `m` and deviation `s`, clipped to ±`clip` deviations.
    mutating func normal(_ m: Float, _ s: Float, clip: Float = 2.5) -> Float {
        m + s * min(max(normal(), -clip), clip)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Float) -> Bool { unit() < p }

    /// An index drawn with probability proportional to `weights` (which must not all be zero).
    mutating func pick(_ weights: [Float]) -> Int {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// Uniform integer in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
