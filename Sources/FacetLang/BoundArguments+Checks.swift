import FacetEngine

/// The range of numbers an argument accepts, written the way its error message says it
/// ("> 0", "≥ 0", "in [0, 1)", "from 8 to 512"). Non-finite numbers are never accepted.
public struct Accepted: Sendable, Equatable {
    public var lower: Double?
    public var lowerIncluded: Bool
    public var upper: Double?
    public var upperIncluded: Bool

    public init(lower: Double?, lowerIncluded: Bool = true, upper: Double? = nil, upperIncluded: Bool = true) {
        (self.lower, self.lowerIncluded, self.upper, self.upperIncluded) = (lower, lowerIncluded, upper, upperIncluded)
    }

    /// x > 0 (learning rates, scales).
    public static let positive = Accepted(lower: 0, lowerIncluded: false)
    /// x ≥ 0 (weight decay, tolerances).
    public static let nonNegative = Accepted(lower: 0)
    /// 0 ≤ x ≤ 1 (rates, split fractions).
    public static let fraction = Accepted(lower: 0, upper: 1)
    /// x ≥ `lower`.
    public static func atLeast(_ lower: Double) -> Accepted { Accepted(lower: lower) }
    /// `lower` ≤ x ≤ `upper`.
    public static func from(_ lower: Double, to upper: Double) -> Accepted { Accepted(lower: lower, upper: upper) }
    /// `lower` ≤ x < `upper` (momentum: 0 ≤ x < 1).
    public static func from(_ lower: Double, below upper: Double) -> Accepted {
        Accepted(lower: lower, upper: upper, upperIncluded: false)
    }

    /// True for finite numbers within the bounds.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if let lower, lowerIncluded ? x < lower : x <= lower { return false }
        if let upper, upperIncluded ? x > upper : x >= upper { return false }
        return true
    }

    /// "> 0", "≥ 1", "in [0, 1)", "from 8 to 512".
    public var description: String {
        switch (lower, upper) {
        case let (l?, u?) where lowerIncluded && upperIncluded: return "from \(formatNumber(l)) to \(formatNumber(u))"
        case let (l?, u?): return "in \(lowerIncluded ? "[" : "(")\(formatNumber(l)), \(formatNumber(u))\(upperIncluded ? "]" : ")")"
        case let (l?, nil): return "\(lowerIncluded ? "≥" : ">") \(formatNumber(l))"
        case let (nil, u?): return "\(upperIncluded ? "≤" : "<") \(formatNumber(u))"
        case (nil, nil): return "finite"
        }
    }
}

/// The one set of argument checks every builtin uses: each returns the value or throws a
/// `Diagnostic` at the argument that names it, says what is accepted and what was given.
extension BoundArguments {
    /// The largest whole number the language's numbers hold exactly (2^53).
    public static let largestExactInteger = 9_007_199_254_740_992.0

    /// A number in `accepted`: "lr must be a number > 0, got -1".
    public func number(_ name: String, _ accepted: Accepted) throws -> Double {
        guard case let .number(x) = self[name], accepted.contains(x) else { throw outOfRange(name, "a number", accepted) }
        return x
    }

    /// A whole number in `accepted`: "epochs must be a whole number ≥ 1, got 0".
    public func integer(_ name: String, _ accepted: Accepted) throws -> Int {
        guard case let .number(x) = self[name], x == x.rounded(), abs(x) <= Self.largestExactInteger,
              accepted.contains(x) else { throw outOfRange(name, "a whole number", accepted) }
        return Int(x)
    }

    /// A whole number ≥ 1 (epochs, batch sizes, counts).
    public func positiveInt(_ name: String) throws -> Int { try integer(name, .atLeast(1)) }

    /// A number from 0 to 1 (rates, fractions).
    public func fraction(_ name: String) throws -> Double { try number(name, .fraction) }

    /// Like `integer` or `number`, but `none` (the argument left out) gives nil.
    public func optionalInteger(_ name: String, _ accepted: Accepted) throws -> Int? {
        if case .none = self[name] { return nil }
        return try integer(name, accepted)
    }

    /// A `seed:` argument: a whole number from 0 to 2^53 (exact in the language's numbers), or nil
    /// when it is left out (the caller then draws one).
    public func seed(_ name: String = "seed") throws -> UInt64? {
        switch self[name] {
        case .none: return nil
        case let .number(s) where s >= 0 && s <= Self.largestExactInteger && s == s.rounded(): return UInt64(s)
        case let v: throw Diagnostic(range(name), "\(name) must be a whole number from 0 to 2^53, got \(v.repr)")
        }
    }

    /// One of the given words: `optimizer must be one of "sgd", "adam", got "sdg"`.
    public func choice(_ name: String, _ choices: [String]) throws -> String {
        let s = string(name)
        guard choices.contains(s) else {
            throw Diagnostic(range(name), "\(name) must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \(self[name].repr)",
                             hint: didYouMean(s, choices))
        }
        return s
    }

    /// The diagnostic for a value outside its range, at the argument.
    public func outOfRange(_ name: String, _ kind: String, _ accepted: Accepted) -> Diagnostic {
        Diagnostic(range(name), "\(name) must be \(kind) \(accepted.description), got \(self[name].repr)")
    }
}
