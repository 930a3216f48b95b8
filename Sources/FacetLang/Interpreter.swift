import FacetFiles
/// Thrown while checking when a value needed to go on is only known at run time.
struct Indeterminate: Error {}

/// Runs Facet source: files, notebook cells and REPL input all go through `run(_:)`, which
/// lexes, parses, resolves names, checks (a dry run that evaluates everything cheap — nets,
/// shapes, arithmetic — and only argument-checks builtins with effects), then executes.
/// Globals persist between calls, so a session is one interpreter.
public final class Interpreter {
    public enum Mode: Sendable { case run, check }

    public let registry: BuiltinRegistry
    /// The session's variables and nets.
    public let globals = Environment()
    /// Where `print`, `show` and `summary` write.
    public var output: (String) -> Void
    /// Where a table that also has a Markdown form goes (`summary`), for a front end that renders
    /// Markdown (Jupyter): its plain text, then its Markdown. Unset: the text goes to `output`.
    public var outputTable: ((_ text: String, _ markdown: String) -> Void)?
    /// Where `show` hands values when set (a notebook renders tables and figures into its
    /// report); otherwise `show` writes the value's text to `output`.
    /// Asked before every statement while running; true stops the input with an error there.
    public var shouldStop: (() -> Bool)?
    /// Whether builtins that write files (`save`) write them: false on a rank that runs the same
    /// program silently, where the output policy's writer writes (set by the session).
    public var writesFiles = true
    public var display: ((Value) -> Void)?
    public internal(set) var mode: Mode = .run

    var depth = 0
    var steps = 0
    /// Whether making a net also checks that it can be trained in memory. Off while the stdlib
    /// loads: it must load on any machine, and its nets are checked where a program makes them.
    var checksMemory = true
    /// Set while the stdlib loads: its names may be redefined by any file without a collision.
    var loadingStdlib = false
    /// Where `import` looks for files (`FACET_PATH`, the stdlib directory).
    public var importSearch = ImportSearch.environment()
    /// Canonical paths of the files loaded (the stdlib's and imported ones): each loads once.
    var loadedFiles: Set<String> = []
    /// Where each top-level name of a loaded file or input was defined (for collisions).
    var definitionSites: [String: DefinitionSite] = [:]
    /// A dry run gives up after this many steps instead of hanging on a huge loop.
    static let checkStepBudget = 200_000
    static let maxDepth = 40

    public init(registry: BuiltinRegistry = .core(), output: @escaping (String) -> Void = { print($0) }) {
        self.registry = registry
        self.output = output
    }

    // MARK: Entry points

    /// Diagnostics for a source without running it; empty when it is clean. Follows `import`s:
    /// the files it imports are checked first, in a scratch copy of the globals.
    public func check(_ file: SourceFile) -> [Diagnostic] {
        do {
            let program = try parse(file)
            return checkProgram(program, modules: try importedModules(of: program, in: file))
        } catch let e as DiagnosticError {
            return e.diagnostics
        } catch {
            return [Diagnostic(SourceRange(file: file, start: 0, end: 0), FileFailure.describe(error))]
        }
    }

    /// Checks, then runs a source in the session: first the files it imports that are not
    /// loaded yet, then the source. Returns the value of the last expression statement (what a
    /// REPL echoes), or `none`. Throws `DiagnosticError`.
    @discardableResult
    public func run(_ file: SourceFile) throws -> Value {
        let program = try parse(file)
        let modules = try importedModules(of: program, in: file)
        let problems = checkProgram(program, modules: modules)
        if !problems.isEmpty { throw DiagnosticError(problems) }
        for module in modules {
            do {
                try execute(module.program, imported: true)
            } catch let d as Diagnostic {
                throw DiagnosticError([d.imported(from: module.chain)])
            }
            loadedFiles.insert(module.key)
        }
        do {
            return try execute(program, imported: false)
        } catch let d as Diagnostic {
            throw DiagnosticError([d])
        }
    }

    /// Runs a checked program in the globals and records where its top-level names are defined.
    private func execute(_ program: [Stmt], imported: Bool) throws -> Value {
        if !loadingStdlib {
            for (name, range) in topLevelDefinitions(program) { definitionSites[name] = DefinitionSite(range: range, imported: imported) }
        }
        hoistNets(program, into: globals)
        var last: Value = .none
        for stmt in program { last = try exec(stmt, globals, nil) ?? .none }
        return last
    }

    /// Runs source text: `try interpreter.run("let a = 1", name: "<repl>")`.
    @discardableResult
    public func run(_ text: String, name: String) throws -> Value {
        try run(SourceFile(name: name, text: text))
    }

    /// Checks a source and keeps what checking computed: its nets and every `let` that needs
    /// nothing from run time (others become `unknown`), its imports' too. For tools that need a
    /// file's definitions without running it (`facet summary`). Throws `DiagnosticError`.
    public func declare(_ file: SourceFile) throws {
        let program = try parse(file)
        let modules = try importedModules(of: program, in: file)
        let problems = checkProgram(program, in: globals, modules: modules)
        if !problems.isEmpty { throw DiagnosticError(problems) }
    }

    /// Checks imported files (`modules`, in load order) and then the program: names defined in
    /// two files, then names, then a dry run in check mode in `env` (a scratch copy of the
    /// globals unless given). Stops after the first file with problems.
    func checkProgram(_ program: [Stmt], in env: Environment? = nil, modules: [ImportedModule] = []) -> [Diagnostic] {
        let collisions = definitionCollisions(modules, program)
        if !collisions.isEmpty { return collisions }
        let scratch = env ?? globals.scratchCopy()
        for module in modules {
            let problems = dryRun(module.program, in: scratch)
            if !problems.isEmpty { return problems.map { $0.imported(from: module.chain) } }
        }
        return dryRun(program, in: scratch)
    }

    /// Resolves names, then dry-runs the program in check mode in `scratch`.
    func dryRun(_ program: [Stmt], in scratch: Environment) -> [Diagnostic] {
        var resolver = Resolver(globals: scratch.allNames.union(registry.names))
        let unresolved = resolver.resolve(program)
        if !unresolved.isEmpty { return unresolved }

        let saved = mode
        mode = .check; steps = 0
        defer { mode = saved }
        hoistNets(program, into: scratch)
        var problems: [Diagnostic] = []
        for stmt in program {
            do {
                _ = try exec(stmt, scratch, nil)
            } catch var d as Diagnostic {
                if d.range.file !== stmt.range.file, d.importedFrom.isEmpty, d.reachedFrom == nil { d.reachedFrom = stmt.range }
                // A net's own check and a call with the same defaults find the same error once.
                if !problems.contains(where: { $0.range == d.range && $0.message == d.message }) { problems.append(d) }
                if case let .letBinding(name, _, _) = stmt.kind { scratch.define(name, .unknown) }
                if d.message.hasPrefix("check gave up") { break }
            } catch let e as DiagnosticError {
                for d in e.diagnostics where !problems.contains(where: { $0.range == d.range && $0.message == d.message }) {
                    problems.append(d)
                }
            } catch {
                // Indeterminate: nothing more can be known before running.
            }
        }
        return problems
    }

    /// Nets are visible to the whole source they are defined in, in any order.
    func hoistNets(_ program: [Stmt], into env: Environment) {
        for stmt in program {
            if case let .net(decl) = stmt.kind { env.define(decl.name, .netDefinition(NetDefinition(decl: decl, closure: env))) }
        }
    }

    func tick(_ range: SourceRange) throws {
        if mode == .run, shouldStop?() == true {
            // A stop request (Ctrl-C, SIGTERM) ends the input here, so a statement after an
            // interrupted `train` (a `save`, say) never acts on a half-trained result.
            throw Diagnostic(range, "interrupted: this statement and the rest of the input did not run")
        }
        guard mode == .check else { return }
        steps += 1
        if steps > Interpreter.checkStepBudget {
            throw Diagnostic(range, "check gave up: more than \(Interpreter.checkStepBudget) steps",
                             hint: "a loop here is too long to check before running")
        }
    }

    // MARK: Statements

    /// Executes one statement; returns the value of an expression statement.
    func exec(_ s: Stmt, _ env: Environment, _ builder: NetBuilder?) throws -> Value? {
        try tick(s.range)
        switch s.kind {
        case let .letBinding(name, _, value):
            env.define(name, try eval(value, env))
            return nil
        case let .net(decl):
            let definition = NetDefinition(decl: decl, closure: env)
            env.define(decl.name, .netDefinition(definition))
            // Checking a file checks every net that can be made from its defaults.
            if mode == .check, decl.parameters.allSatisfy({ $0.defaultValue != nil }) {
                _ = try instantiate(definition, positional: [], named: [], at: decl.nameRange)
            }
            return nil
        case let .forLoop(variable, _, sequence, body):
            let value = try eval(sequence, env)
            if case .unknown = value { return nil }
            guard let items = value.elements else {
                throw Diagnostic(sequence.range, "`for` needs a list, range or record, got \(value.described)")
            }
            for item in items {
                let scope = Environment(parent: env, values: [variable: item])
                for stmt in body { _ = try exec(stmt, scope, builder) }
            }
            return nil
        case let .ifElse(condition, then, otherwise):
            let value = try eval(condition, env)
            let body: [Stmt]
            switch value {
            case .unknown: return nil
            case let .bool(b): body = b ? then : otherwise ?? []
            default: throw Diagnostic(condition.range, "`if` needs a bool, got \(value.described)")
            }
            let scope = Environment(parent: env)
            for stmt in body { _ = try exec(stmt, scope, builder) }
            return nil
        case let .expression(e):
            return try eval(e, env)
        case .importFile:
            return nil   // loaded before the program runs (`importedModules`)
        case let .layer(layer):
            try compileLayer(layer, s.range, env, netBuilder(builder, s))
            return nil
        case let .head(head):
            try compileHead(head, env, netBuilder(builder, s))
            return nil
        case let .heads(heads):
            let b = try netBuilder(builder, s)
            for head in heads { try compileHead(head, env, b) }
            return nil
        case let .use(e):
            try useNet(e, s.range, env, netBuilder(builder, s))
            return nil
        }
    }

    func netBuilder(_ builder: NetBuilder?, _ s: Stmt) throws -> NetBuilder {
        guard let builder else { throw Diagnostic(s.range, "this statement belongs inside a `net` body") }
        return builder
    }
}
