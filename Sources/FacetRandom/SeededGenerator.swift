#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facet's one seeded random generator: SplitMix64 (Steele, Lea & Flood 2014).
///
/// Every source of randomness — synthetic faces, splits, weight initialisation, dropout masks,
/// batch order, random baselines — draws from this type, so one seed fixes a whole study and
/// the same seed gives the same numbers on every platform and Swift version. SplitMix64 passes
/// BigCrush, is as fast as xoshiro here, and its whole state is one word, so a checkpoint can
/// save and restore it exactly (`state`).
///
///     var g = SeededGenerator(seed: 7)
///     let w = g.normal()            // a weight
///     g.shuffle(&order)             // a batch order
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The whole state: restoring it resumes the stream exactly.
    public var state: UInt64

    /// Starts the sequence at `seed`.
    @inlinable
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator `draws` calls of `next()` ahead, in one step: SplitMix64's state is a counter
    /// (every draw adds one constant), so the stream can be cut into ranges drawn in parallel that
    /// together give exactly the serial draws (dropout's masks; `skip`).
    @inlinable
    public func advanced(by draws: Int) -> SeededGenerator {
        precondition(draws >= 0, "advanced(by: \(draws)): cannot go back")
        return SeededGenerator(seed: state &+ UInt64(draws) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// An independent stream for item `index` of a job seeded with `seed`: order-free, so items
    /// can be drawn in parallel and still match a serial run. `salt` separates uses of one seed.
    public static func stream(seed: UInt64, index: Int, salt: UInt64 = 0) -> SeededGenerator {
        var mixer = SeededGenerator(seed: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        let base = mixer.next()
        // Hash the index so that streams are not shifted copies of one sequence.
        var h = SeededGenerator(seed: UInt64(truncatingIfNeeded: index) ^ 0x5851_F42D_4C95_7F2D)
        return SeededGenerator(seed: base ^ h.next())
    }

    /// A new generator seeded from this one (for a sub-task such as one layer's dropout).
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }
}

// MARK: - Draws

extension SeededGenerator {
    /// Uniform in [0, 1) with 24 bits, the resolution of Float (exactly representable).
    @inlinable @inline(__always)
    public mutating func unit() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in the open interval (0, 1) with 53 bits, for Double arithmetic.
    @inlinable
    public mutating func unitDouble() -> Double { (Double(next() >> 11) + 0.5) * (1.0 / 9_007_199_254_740_992.0) }

    /// Uniform in [a, b).
    @inlinable
    public mutating func uniform(_ a: Float, _ b: Float) -> Float { a + (b - a) * unit() }

    /// Standard normal (Box–Muller, one value per call so the stream stays simple).
    @inlinable
    public mutating func normal() -> Float {
        let u1 = max(unit(), 1e-7), u2 = unit()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }

    /// Normal with mean `m` and deviation `s`, clipped to ±`clip` deviations.
    public mutating func normal(_ m: Float, _ s: Float, clip: Float = 2.5) -> Float {
        m + s * min(max(normal(), -clip), clip)
    }

    /// True with probability `p`.
    @inlinable
    public mutating func chance(_ p: Float) -> Bool { unit() < p }

    /// An index drawn with probability proportional to `weights` (which must not all be zero).
    public mutating func pick(_ weights: [Float]) -> Int {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// Uniform integer in 0..<bound (bound > 0), by rejection so there is no modulo bias.
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(\(bound)): bound must be positive")
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        var x = next()
        while x >= limit { x = next() }
        return Int(x % b)
    }

    /// Fisher–Yates, written out because the standard library's shuffle algorithm may change.
    /// Facet's one shuffle: splits and batch order both use it.
    @inlinable
    public mutating func shuffle<Element>(_ values: inout [Element]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, below(i + 1))
        }
    }
}
