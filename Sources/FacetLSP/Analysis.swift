import FacetEngine
import FacetNotebook
import FacetLang
import FacetLangTools
import Foundation

/// What the server knows of one document version: `facet check`'s diagnostics and the outline
/// (nets built with their defaults, lets, imports). For a `.fnb` notebook the outline is of its code
/// cells checked as one program on the notebook's own lines, in a session with the front matter's
/// parameters defined (NotebookSessions), so hover and inlay hints work in cells as in `.facet` files.
final class Analysis {
    /// The source the outline is of: the document's text, or a notebook's cells.
    let file: SourceFile?
    let outline: Outline?
    let diagnostics: [Diagnostic]
    /// `file` as a document, for positions; a notebook's line L is this text's line L - lineOffset.
    private let source: TextDocument?
    private let lineOffset: Int

    init(_ doc: TextDocument, interpreter: Interpreter, notebookSessions: NotebookSessions) {
        let name = doc.path.map { Analysis.displayName($0) } ?? doc.uri
        if doc.isNotebook {
            let (diagnostics, cells) = Analysis.notebook(doc, name: name, sessions: notebookSessions)
            self.diagnostics = diagnostics
            file = cells?.file
            outline = cells?.outline
            source = cells.map { TextDocument(uri: doc.uri, text: $0.file.text, version: doc.version) }
            lineOffset = cells?.file.lineOffset ?? 0
            return
        }
        let f = SourceFile(name: name, text: doc.text)
        file = f
        let o = interpreter.outline(f)
        outline = o
        diagnostics = o.diagnostics
        source = doc
        lineOffset = 0
    }

    /// The byte offset in `file` of a position in the document; nil outside it (a notebook's front
    /// matter, or after its last cell). Positions past a line's end are clamped to it.
    func offset(_ p: Position) -> Int? {
        guard let source else { return nil }
        let line = p.line - lineOffset
        guard line >= 0, line < source.lineCount else { return nil }
        return source.offset(of: Position(line: line, character: p.character))
    }

    /// The identifier at a position of the analysed source (never in a notebook's prose).
    func word(at p: Position) -> String? {
        guard let source, let o = offset(p) else { return nil }
        return source.word(at: o)?.0
    }

    /// A path as diagnostics and `import` resolve it: relative to the working folder when under it.
    static func displayName(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    /// The built net and its rows written on `line` (1-based, this file): a line such as
    /// `conv 64 5x5 relu` compiles to two rows (the convolution and its ReLU).
    func rows(onLine line: Int) -> (net: NetValue, parts: [NetSpec.Part])? {
        guard let outline, let file else { return nil }
        for n in outline.nets {
            guard let net = n.built else { continue }
            let parts = Self.sites(net).filter { $0.site.range.file === file && $0.site.usedAt.isEmpty && $0.site.range.line == line }
            if !parts.isEmpty { return (net, parts.map(\.part)) }
        }
        return nil
    }

    /// Every row of a net with where it was written.
    static func sites(_ net: NetValue) -> [(part: NetSpec.Part, site: Site)] {
        var out: [(part: NetSpec.Part, site: Site)] = []
        if let s = net.inputSite { out.append((.input, s)) }
        out += net.layerSites.enumerated().map { (.layer($0.offset), $0.element) }
        out += net.headSites.enumerated().map { (.head($0.offset), $0.element) }
        return out
    }
}

/// Shapes as editors show them: `44×44×64`, or `7` for a vector.
func shapeText(_ s: FeatureShape) -> String { s.description.replacingOccurrences(of: "x", with: "×") }

func countText(_ n: Int) -> String {
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.groupingSeparator = ","
    return f.string(from: NSNumber(value: n)) ?? "\(n)"
}

extension LanguageServer {
    // MARK: hover

    func hover(_ p: [String: Any]) throws -> [String: Any]? {
        let doc = try documentFor(p), pos = try positionFor(p)
        guard let a = analysis(doc.uri) else { return nil }
        let offset = a.offset(pos)
        if let file = a.file, let offset, let (net, parts) = a.rows(onLine: file.location(of: offset).line), let spec = net.spec,
           let all = try? spec.rows() {
            let rows = all.filter { parts.contains($0.part) }
            let labels = rows.map { row -> String in
                switch row.part {
                case .input: return "input \(spec.input)"
                case let .layer(i): return spec.layers[i].text
                case let .head(i): return spec.heads[i].kind.text
                }
            }
            let parameters = rows.reduce(0) { $0 + $1.counts.parameters }, flops = rows.reduce(0) { $0 + $1.counts.flops }
            let memory = Double(rows.reduce(0) { $0 + $1.counts.memory })
            var text = "**\(labels.joined(separator: " → "))** → `\(shapeText(rows.last!.counts.output))`\n\n"
            text += "parameters \(countText(parameters)) · forward FLOPs \(countText(flops)) per sample · "
            text += "activations \(formatBytes(memory)) per sample, \(formatBytes(memory * 100)) at batch 100"
            text += "\n\nin `\(net.call)`"
            return ["contents": ["kind": "markdown", "value": text]]
        }
        guard let word = a.word(at: pos) else { return nil }
        if let net = netNamed(word, a) {
            let md = (try? summaryMarkdown(net, at: net.definedAt)) ?? net.call
            return ["contents": ["kind": "markdown", "value": md]]
        }
        if let b = interpreterRegistry[word] {
            var md = "```\n\(b.signature)\n```\n\n\(b.doc)"
            if let usage = b.usage { md += "\n\n\(usage)" }
            return ["contents": ["kind": "markdown", "value": md]]
        }
        return nil
    }

    /// A net by name: this file's (with its defaults), else the session's (the stdlib's).
    func netNamed(_ name: String, _ a: Analysis) -> NetValue? {
        if let n = a.outline?.nets.first(where: { $0.name == name }) { return n.built }
        return interpreterNet(name)
    }

    // MARK: inlay hints

    func inlayHints(_ p: [String: Any]) throws -> [[String: Any]] {
        let doc = try documentFor(p)
        guard let a = analysis(doc.uri), let outline = a.outline, let file = a.file else { return [] }
        var hints: [[String: Any]] = []
        for n in outline.nets {
            guard let net = n.built, let spec = net.spec, let rows = try? spec.rows() else { continue }
            // One hint per line: the shape after the line's last row (a conv line's ReLU).
            var lastOnLine: [(line: Int, shape: FeatureShape)] = []
            for (row, s) in zip(rows, Analysis.sites(net).map(\.site)) where s.range.file === file && s.usedAt.isEmpty {
                if lastOnLine.last?.line == s.range.line { lastOnLine[lastOnLine.count - 1].shape = row.counts.output }
                else { lastOnLine.append((s.range.line, row.counts.output)) }
            }
            for (line, shape) in lastOnLine {
                hints.append(["position": doc.endOfLine(line - 1).json, "label": "→ \(shapeText(shape))", "kind": 1, "paddingLeft": true])
            }
            let parameters = rows.reduce(0) { $0 + $1.counts.parameters }
            var label = "\(countText(parameters)) parameters"
            if let memory = try? spec.memory(.training(batch: 100, optimizer: .sgd(momentum: 0.9, weightDecay: 0))) {
                label += " · training at batch 100: \(formatBytes(memory.total))"
            }
            let end = lspPosition(file, n.range.end, in: doc)
            hints.append(["position": end.json, "label": label, "kind": 1, "paddingLeft": true])
        }
        return hints
    }

    // MARK: symbols

    func symbols(_ p: [String: Any]) throws -> [[String: Any]] {
        let doc = try documentFor(p)
        guard let a = analysis(doc.uri), let outline = a.outline else { return [] }
        var out: [[String: Any]] = []
        for n in outline.nets {
            var s: [String: Any] = ["name": n.name, "kind": 12, "range": range(n.range, in: doc),
                                    "selectionRange": range(n.nameRange, in: doc)]
            if let built = n.built { s["detail"] = built.call }
            out.append(s)
        }
        for l in outline.lets {
            out.append(["name": l.name, "kind": 13, "range": range(l.range, in: doc), "selectionRange": range(l.nameRange, in: doc)])
        }
        return out
    }

    // MARK: definition and references

    func definition(_ p: [String: Any]) throws -> [String: Any]? {
        let doc = try documentFor(p), pos = try positionFor(p)
        guard let a = analysis(doc.uri), let outline = a.outline, let file = a.file, let offset = a.offset(pos) else { return nil }
        // On an import's path: the file it loads.
        for imp in outline.imports where imp.range.start <= offset && offset <= imp.range.end {
            guard let path = interpreterResolve(imp.path, from: file) else { return nil }
            return location(path: path, range: nil)
        }
        guard let word = a.word(at: pos) else { return nil }
        if let n = outline.nets.first(where: { $0.name == word }) { return ["uri": doc.uri, "range": range(n.nameRange, in: doc)] }
        if let l = outline.lets.first(where: { $0.name == word }) { return ["uri": doc.uri, "range": range(l.nameRange, in: doc)] }
        // In a file this one imports (the nearest definition wins, as in `import`).
        for imp in outline.imports {
            guard let path = interpreterResolve(imp.path, from: file),
                  let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let other = SourceFile(name: path, text: text)
            guard let program = try? parse(other) else { continue }
            for stmt in program {
                switch stmt.kind {
                case let .net(decl) where decl.name == word: return location(path: path, range: decl.nameRange)
                case let .letBinding(name, nameRange, _) where name == word: return location(path: path, range: nameRange)
                default: continue
                }
            }
        }
        if let r = interpreterDeclaration(word) { return location(path: r.file.name, range: r) }
        return nil
    }

    /// A location in a file that may not be open: positions from its own text.
    private func location(path: String, range r: SourceRange?) -> [String: Any] {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let uri = URL(fileURLWithPath: absolute).absoluteString
        guard let r else { return ["uri": uri, "range": ["start": Position(line: 0, character: 0).json, "end": Position(line: 0, character: 0).json]] }
        let doc = documentsByPath(absolute) ?? TextDocument(uri: uri, text: r.file.text, version: 0)
        return ["uri": uri, "range": range(r, in: doc)]
    }

    func references(_ p: [String: Any]) throws -> [[String: Any]] {
        let doc = try documentFor(p), pos = try positionFor(p)
        guard let a = analysis(doc.uri), let file = a.file, let word = a.word(at: pos) else { return [] }
        var out = identifierRanges(file, named: word).map { ["uri": doc.uri, "range": range($0, in: doc)] as [String: Any] }
        // Other open .facet documents that import this one use its names too.
        for other in openDocuments where other.uri != doc.uri && !other.isNotebook {
            guard let oa = analysis(other.uri), let of = oa.file, importsDocument(oa, doc) else { continue }
            out += identifierRanges(of, named: word).map { ["uri": other.uri, "range": range($0, in: other)] as [String: Any] }
        }
        return out
    }

    private func importsDocument(_ a: Analysis, _ doc: TextDocument) -> Bool {
        guard let file = a.file, let outline = a.outline, let target = doc.path else { return false }
        return outline.imports.contains { imp in
            interpreterResolve(imp.path, from: file).map { URL(fileURLWithPath: $0).standardizedFileURL.path } == URL(fileURLWithPath: target).standardizedFileURL.path
        }
    }

    // MARK: rename

    func rename(_ p: [String: Any]) throws -> [String: Any] {
        let doc = try documentFor(p), pos = try positionFor(p)
        guard let newName = p["newName"] as? String else { throw LSPError(.invalidParams, "newName is missing") }
        guard let a = analysis(doc.uri), let outline = a.outline, let word = a.word(at: pos) else {
            throw LSPError(.requestFailed, "nothing to rename here")
        }
        guard outline.nets.contains(where: { $0.name == word }) || outline.lets.contains(where: { $0.name == word }) else {
            throw LSPError(.requestFailed, "only a net or a let defined in this file can be renamed; `\(word)` is not one")
        }
        guard isPlainName(newName) else {
            throw LSPError(.invalidParams, "`\(newName)` is not a name (letters, digits and _, not a keyword)")
        }
        if interpreterRegistry[newName] != nil || outline.nets.contains(where: { $0.name == newName })
            || outline.lets.contains(where: { $0.name == newName }) {
            throw LSPError(.invalidParams, "`\(newName)` is already a name here")
        }
        var changes: [String: [[String: Any]]] = [:]
        for r in try references(p) {
            guard let uri = r["uri"] as? String else { continue }
            changes[uri, default: []].append(["range": r["range"] as Any, "newText": newName])
        }
        return ["changes": changes]
    }

    // MARK: completion and formatting

    func completion(_ p: [String: Any]) throws -> [String: Any] {
        let doc = try documentFor(p), pos = try positionFor(p)
        let offset = doc.offset(of: pos)
        let before = String(decoding: Array(doc.text.utf8)[..<offset], as: UTF8.self)
        var c = interpreterComplete(before)
        // Names this file defines, when completing a plain name.
        let prefix = String(String.UnicodeScalarView(Array(before.unicodeScalars)[c.start...]))
        if let outline = analysis(doc.uri)?.outline, prefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            for name in outline.nets.map(\.name) + outline.lets.map(\.name) where name.hasPrefix(prefix) && !c.matches.contains(name) {
                c.matches.append(name)
            }
        }
        let items = c.matches.map { m -> [String: Any] in
            var item: [String: Any] = ["label": m]
            if let b = interpreterRegistry[m] { item["detail"] = b.signature; item["kind"] = 3 }
            return item
        }
        return ["isIncomplete": false, "items": items]
    }

    /// `facet fmt`'s layout as one edit; no edit when the text is already in it or does not parse
    /// (formatting never changes what a file means, so it refuses rather than guess).
    func formatting(_ p: [String: Any]) throws -> [[String: Any]] {
        let doc = try documentFor(p)
        let name = doc.path ?? doc.uri
        guard let formatted = try? (doc.isNotebook ? Format.notebook(doc.text, name: name) : Format.source(doc.text, name: name)),
              formatted != doc.text else { return [] }
        let end = doc.position(of: Array(doc.text.utf8).count)
        return [["range": ["start": Position(line: 0, character: 0).json, "end": end.json], "newText": formatted]]
    }
}
