import FacetEngine
import FacetLang
import FacetSynthetic
import FacetVision

/// Memory before allocation for data: every builtin that allocates in proportion to its
/// arguments (a synthetic set, an aligned or resized copy, a tensor of every sample) compares
/// `imageSetBytes` with `MemoryLimit.current` first and fails at the argument that set the size,
/// as `train` does for a net (`TrainingMemory.swift`). `facet check` runs the same check when the
/// sizes are literals (the builtins' `check:` hooks).
enum DataMemory {
    /// Refuses `count` images of `side`×`side` (`what` names them) that do not fit the limit.
    static func checkImageMemory(count: Int, side: Int, _ what: String, at range: SourceRange, hint: String) throws {
        let limit = MemoryLimit.current
        if let problem = limit.problem(bytes: imageSetBytes(count: count, side: side), for: what) {
            throw Diagnostic(range, problem, hint: "\(hint); \(MemoryLimit.variable) sets the limit")
        }
    }

    /// `synthetic(n:, size:, scene:)` and `dataset(kind: "synthetic", …)`: at `n` (the usual
    /// culprit), before any face is rendered. Skipped (nil) while checking when a size is not known.
    static func checkSyntheticMemory(_ args: BoundArguments) throws {
        guard case let .number(n) = args["n"], n >= 1, n == n.rounded(), n <= BoundArguments.largestExactInteger,
              case let .number(size) = args["size"], DataBuiltins.cropSizes.contains(size), size == size.rounded() else { return }
        let scenes: Bool
        switch args["scene"] { case let .bool(b): scenes = b; case .none: scenes = false; default: return }
        let side = SyntheticFaces.side(size: Int(size), scenes: scenes)
        try checkImageMemory(count: Int(n), side: side,
                             "\(Int(n)) synthetic \(scenes ? "scenes" : "faces") of \(side)×\(side)",
                             at: args.range("n"), hint: "lower `n:` or `size:`")
    }
}
