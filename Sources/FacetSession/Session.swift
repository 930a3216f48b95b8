import FacetCache
import FacetRandom
import FacetEngine
import FacetLang
import FacetResults
import Foundation

/// One interpreter with the kernel's builtins, a seed, and where output goes. A notebook run and a
/// REPL are each one session; both send every input through `run(_:name:firstLine:)`.
public final class Session {
    public let interpreter: Interpreter
    /// The session's seed: data generation, initialisation, shuffling and dropout derive from it.
    public private(set) var seed: UInt64
    public var progressStyle: ProgressBar.Style
    /// Where each progress bar draws, when not on stderr: called once per bar, it returns that
    /// bar's writer (the Jupyter kernel: one display updated in place per bar).
    public var progressDisplay: (() -> (String) -> Void)?
    /// Called for each output item as it is produced (the REPL prints; a notebook collects).
    public var sink: (OutputItem) -> Void = { _ in }
    /// Data sets loaded in this session: description → fingerprint (for the report footer).
    public private(set) var dataFingerprints: [(name: String, fingerprint: String)] = []
    /// Where results are cached and whether they are reused (`.off`: compute everything, write nothing).
    public var cachePolicy = CachePolicy.off
    /// What each `train` call did with the cache, in order (`:cache` and the report footer).
    public internal(set) var cacheEvents: [CacheEvent] = []
    /// Where the input now running comes from beyond its file name ("cell 3"), for cache listings.
    public var origin: String?
    /// The MPI ranks this session runs as one of (nil: a single process). Set by `facet` under
    /// mpirun; see `Session+Ranks.swift`.
    public var collective: (any Collective)? {
        didSet { interpreter.writesFiles = output.writes }
    }
    /// Also print warnings on stderr (a notebook run, whose report is read later).
    public var warningsToStderr = false
    /// Where figures of this session are numbered from.
    var figureCounter = 0
    var randomStreams: UInt64 = 0
    /// Runs trained by `train(..., seeds:)`; the report footer then says what a seed varies.
    public internal(set) var seedRunsTrained = 0
    /// Runs, estimates, comparisons and findings of this session, for a report's results.json.
    public let results = ResultsLog()

    public init(seed: UInt64 = 1, progress: ProgressBar.Style = ProgressBar.defaultStyle, loadStdlib: Bool = true) throws {
        self.seed = seed
        self.progressStyle = progress
        let registry = BuiltinRegistry.core()
        interpreter = Interpreter(registry: registry)
        interpreter.output = { [weak self] text in self?.sink(.text(text)) }
        interpreter.shouldStop = { Interrupt.requested }
        let core = registry.builtins
        registerKernelBuiltins(registry)
        ownBuiltins = registry.builtins.filter { name, b in core[name] !== b }.map(\.key)
        if loadStdlib { try Stdlib.load(into: interpreter) }
        builtinNames = interpreter.globals.allNames
    }

    /// The builtins this session registered: they reach back into it (`[unowned self]`).
    private var ownBuiltins: [String] = []

    /// No builtin outlives its session: a caller may still hold the interpreter (and values that
    /// hold builtins), so each builtin that reaches back here becomes an error saying so.
    deinit {
        interpreter.registry.retire(ownBuiltins, reason: "this builtin's session has ended; run it in a live session")
    }

    /// Names present before any user input (stdlib nets), hidden from `:vars`.
    private var builtinNames: Set<String> = []

    /// Variables and nets the user defined, sorted.
    public var userNames: [String] { interpreter.globals.allNames.subtracting(builtinNames).sorted() }

    /// Checks and runs source text in this session. Throws `DiagnosticError` (rendered with
    /// `file:line:col` and a caret) or `KernelError`.
    @discardableResult
    public func run(_ text: String, name: String, firstLine: Int = 1) throws -> Value {
        try interpreter.run(SourceFile(name: name, text: text, firstLine: firstLine))
    }

    /// Diagnostics for source text without running it, with this session's builtins and names:
    /// what `facet check`, the notebook checker and the REPL all mean by "checks".
    public func check(_ file: SourceFile) -> [Diagnostic] { interpreter.check(file) }

    /// Emits an output item.
    public func emit(_ item: OutputItem) { sink(item) }

    /// A seed for the next random consumer (a data set, a net's initialisation, a training run),
    /// distinct per use and fixed by the session seed and the order of calls.
    public func nextSeed() -> UInt64 {
        randomStreams += 1
        var g = SeededGenerator(seed: seed &+ randomStreams &* 0x9E37_79B9_7F4A_7C15)
        return g.next()
    }

    /// The weights (stream 1) or trainer (stream 2) seed of replicate `seed`, mixed with the
    /// session's seed so `--seed` gives another set of replicates; the session's own stream is
    /// not advanced, so adding seeds to one call leaves every other number of a notebook alone.
    func replicateSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: self.seed ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    /// Resets the random streams (`--seed` and `:reset`).
    public func reseed(_ seed: UInt64) { self.seed = seed; randomStreams = 0 }

    /// A progress bar for long work, drawn where this session's progress goes.
    func progressBar(label: String, total: Int) -> ProgressBar {
        guard let display = progressDisplay else { return ProgressBar(label: label, total: total, style: progressStyle) }
        return ProgressBar(label: label, total: total, style: .interactive, write: display())
    }

    /// Records a data set for the report footer.
    public func noteData(_ name: String, fingerprint: String) {
        if !dataFingerprints.contains(where: { $0.name == name }) { dataFingerprints.append((name, fingerprint)) }
    }

    /// A unique stem for the next figure: `fig-3`.
    public func nextFigureName(_ kind: String) -> String {
        figureCounter += 1
        return "fig\(figureCounter)-\(kind)"
    }
}

/// Errors of the kernel that are not located in source (files, data, training).
public struct KernelError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
