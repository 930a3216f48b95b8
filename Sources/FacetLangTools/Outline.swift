import FacetLang
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
        let checked = checkDefinitions(program, in: file)
        outline.diagnostics = checked.diagnostics
        for (i, stmt) in program.enumerated() {
            switch stmt.kind {
            case let .net(decl):
                outline.nets.append(Outline.Net(name: decl.name, nameRange: decl.nameRange, range: stmt.range,
                                                parameters: decl.parameters.map(\.name), built: checked.builtNets[i]))
            case let .letBinding(name, nameRange, _):
                outline.lets.append(Outline.Let(name: name, nameRange: nameRange, range: stmt.range))
            case let .importFile(path, pathRange):
                outline.imports.append((path, pathRange))
            default:
                break
            }
        }
        return outline
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
