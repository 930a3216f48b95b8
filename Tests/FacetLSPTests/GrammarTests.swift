import FacetNotebook
import FacetSession
import Foundation
import XCTest
@testable import FacetLang

/// The TextMate grammars in editors/vscode/syntaxes name the language's words in lists; these
/// tests fail when a list drifts from the lexer, the layer catalog or the builtin registry (a new
/// keyword, layer or builtin must be added to the grammar too). Tests/editors/test_grammar.py
/// tokenises sample files with the grammars.
final class GrammarTests: XCTestCase {
    static let syntaxes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../editors/vscode/syntaxes").standardizedFileURL

    func grammar(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let url = Self.syntaxes.appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], "\(url.path) is not a JSON object",
                             file: file, line: line)
    }

    /// Every `match`/`begin` pattern under a repository entry, nested patterns included.
    func patterns(_ rule: Any) -> [String] {
        guard let d = rule as? [String: Any] else { return [] }
        var out = ["match", "begin"].compactMap { d[$0] as? String }
        for p in d["patterns"] as? [Any] ?? [] { out += patterns(p) }
        return out
    }

    /// The words of the `(?:a|b|c)` groups in a repository entry's patterns.
    func words(_ entry: String, in grammar: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws -> Set<String> {
        let repository = try XCTUnwrap(grammar["repository"] as? [String: Any], file: file, line: line)
        let rule = try XCTUnwrap(repository[entry], "the grammar has no repository entry `\(entry)`", file: file, line: line)
        let group = try NSRegularExpression(pattern: #"\(\?:([A-Za-z0-9_|]+)\)"#)
        var words: [String] = []
        for p in patterns(rule) {
            for m in group.matches(in: p, range: NSRange(p.startIndex..., in: p)) {
                words += (p as NSString).substring(with: m.range(at: 1)).split(separator: "|").map(String.init)
            }
        }
        XCTAssertEqual(words.count, Set(words).count, "`\(entry)` names a word twice: \(words.sorted())", file: file, line: line)
        return Set(words)
    }

    func assertSame(_ grammarWords: Set<String>, _ language: some Sequence<String>, _ what: String,
                    file: StaticString = #filePath, line: UInt = #line) {
        let lang = Set(language)
        XCTAssertEqual(grammarWords, lang, """
            the grammar's \(what) differ from the language's: missing \(lang.subtracting(grammarWords).sorted()), \
            not in the language \(grammarWords.subtracting(lang).sorted()); edit editors/vscode/syntaxes/facet.tmLanguage.json
            """, file: file, line: line)
    }

    func testWordListsMatchTheLanguage() throws {
        let g = try grammar("facet.tmLanguage.json")
        XCTAssertEqual(g["scopeName"] as? String, "source.facet")
        assertSame(try words("keywords", in: g), Keyword.allCases.map(\.rawValue), "keywords")
        assertSame(try words("layer-keywords", in: g), layerKeywords, "layer keywords")
        assertSame(try words("head-keywords", in: g), headKeywords, "head keywords")
        assertSame(try words("layer-options", in: g), layerOptionWords, "layer option words")
        // The builtins of a whole `facet` session: the language's, the weights' and the kernel's.
        let session = try Session(progress: .quiet, loadStdlib: false)
        assertSame(try words("builtins", in: g), session.interpreter.registry.names, "builtins")
    }

    func testNotebookGrammarKnowsTheFrontMatterKeysAndEmbedsFacet() throws {
        let g = try grammar("facet-notebook.tmLanguage.json")
        let repository = try XCTUnwrap(g["repository"] as? [String: Any])
        let keyPattern = try NSRegularExpression(pattern: #"^\^\\s\*\(([a-z]+)\)"#)
        let keys = patterns(try XCTUnwrap(repository["front-matter"])).compactMap { p -> String? in
            keyPattern.firstMatch(in: p, range: NSRange(p.startIndex..., in: p)).map { (p as NSString).substring(with: $0.range(at: 1)) }
        }
        XCTAssertEqual(Set(keys), Set(Notebook.frontMatterKeys))
        let cell = try XCTUnwrap(repository["facet-cell"] as? [String: Any])
        XCTAssertTrue((cell["begin"] as? String)?.contains("(facet)") == true, "code cells are ```facet fences")
        XCTAssertTrue(patterns(cell).isEmpty == false)
        let data = try JSONSerialization.data(withJSONObject: cell)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"include\":\"source.facet\""), "cells embed source.facet")
    }
}
