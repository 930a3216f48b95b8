import FacetEngine
import Foundation

/// What an editor needs to know about one source without running it (the language server): the
/// same diagnostics as `facet check`, every net and `let` the file defines, and each net built
/// with its defaults so its layers' shapes are known.
public struct Outline {
    /// A `net` the file declares, and the net its defaults build (nil when a parameter has no
    /// default or the net does not check).
    public struct Net {
        public var name: String
        public var nameRange: SourceRange
        public var range: SourceRange
        public var parameters: [String]
        public var built: NetValue?
    }

    /// A top-level `let`.
    public struct Let {
        public var name: String
        public var nameRange: SourceRange
        public var range: SourceRange
    }

    public var diagnostics: [Diagnostic]
    public var nets: [Net]
    public var lets: [Let]
    /// Top-level `import "…"` paths and their ranges.
    public var imports: [(path: String, range: SourceRange)]
    /// The parsed program (empty when it did not parse).
    public var program: [Stmt]
}

extension Interpreter {
    /// Checks `file` as `check` does (in a scratch copy of the globals, following imports) and
    /// keeps what checking learnt of its definitions. Never runs anything.
    public func outline(_ file: SourceFile) -> Outline {
        var outline = Outline(diagnostics: [], nets: [], lets: [], imports: [], program: [])
        let program: [Stmt]
        do { program = try parse(file) } catch let e as DiagnosticError {
            outline.diagnostics = e.diagnostics
            return outline
        } catch {
            outline.diagnostics = [Diagnostic(SourceRange(file: file, start: 0, end: 0), "\(error)")]
            return outline
        }
        outline.program = program
        let scratch = globals.scratchCopy()
        do {
            let modules = try importedModules(of: program, in: file)
            outline.diagnostics = checkProgram(program, in: scratch, modules: modules)
        } catch let e as DiagnosticError {
            outline.diagnostics = e.diagnostics
        } catch {
            outline.diagnostics = [Diagnostic(SourceRange(file: file, start: 0, end: 0), "\(error)")]
        }
        let saved = mode
        mode = .check; steps = 0
        defer { mode = saved }
        for stmt in program {
            switch stmt.kind {
            case let .net(decl):
                var net = Outline.Net(name: decl.name, nameRange: decl.nameRange, range: stmt.range,
                                      parameters: decl.parameters.map(\.name), built: nil)
                if decl.parameters.allSatisfy({ $0.defaultValue != nil }),
                   case let .netDefinition(def)? = scratch.lookup(decl.name),
                   case let .net(value)? = try? instantiate(def, positional: [], named: [], at: decl.nameRange) {
                    net.built = value
                }
                outline.nets.append(net)
            case let .letBinding(name, nameRange, _):
                outline.lets.append(Outline.Let(name: name, nameRange: nameRange, range: stmt.range))
            case let .importFile(path, pathRange):
                outline.imports.append((path, pathRange))
            default:
                break
            }
        }
        // Everything is built: break the scratch scope's cycles with the nets defined in it.
        scratch.removeAllValues()
        return outline
    }

    /// The file an `import "path"` in `file` loads, as `import` resolves it (next to the file,
    /// then FACET_PATH, then stdlib/); nil when it resolves to nothing.
    public func resolveImport(_ path: String, from file: SourceFile) -> String? {
        importSearch.candidates(for: path, from: file).first { FileManager.default.fileExists(atPath: $0) }
    }
}

extension Interpreter {
    /// A net known to the session (the stdlib's, or one defined earlier) built with its defaults;
    /// nil when there is none by that name or it needs arguments.
    public func netWithDefaults(_ name: String) -> NetValue? {
        guard case let .netDefinition(def)? = globals.lookup(name),
              def.decl.parameters.allSatisfy({ $0.defaultValue != nil }) else { return nil }
        let saved = mode
        mode = .check; steps = 0
        defer { mode = saved }
        if case let .net(value)? = try? instantiate(def, positional: [], named: [], at: def.decl.nameRange) { return value }
        return nil
    }

    /// Where a net known to the session was declared (its name in its file).
    public func netDeclaration(_ name: String) -> SourceRange? {
        if case let .netDefinition(def)? = globals.lookup(name) { return def.decl.nameRange }
        return nil
    }
}

/// Every identifier token of `file` spelt `name` (not inside strings or comments); empty when the
/// file does not lex.
public func identifierRanges(_ file: SourceFile, named name: String) -> [SourceRange] {
    guard let tokens = try? tokenize(file) else { return [] }
    return tokens.compactMap { $0.identifier == name ? $0.range : nil }
}

/// Whether `text` is exactly one name (not a keyword, number or symbol): what a rename may give.
public func isPlainName(_ text: String) -> Bool {
    guard let tokens = try? tokenize(SourceFile(name: "<name>", text: text)) else { return false }
    let real = tokens.filter { $0.kind != .eof && $0.kind != .newline }
    return real.count == 1 && real[0].identifier == text
}
