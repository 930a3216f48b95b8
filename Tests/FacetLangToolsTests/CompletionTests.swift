@testable import FacetLang
import FacetLangTestSupport
import Foundation
import XCTest
@testable import FacetLangTools

/// `Interpreter.complete`: the one completion rule of the REPL, the Jupyter kernel and any later
/// front end, by hand-made inputs.
final class CompletionTests: XCTestCase {
    func testNamesAtTheCursor() {
        let h = Harness(stdlib: true)
        XCTAssertEqual(h.interpreter.complete("let n = summ"), Completion(start: 8, matches: ["summary"]))
        XCTAssertEqual(h.interpreter.complete("maxp"), Completion(start: 0, matches: ["maxpool"]))
        // The cursor, not the end of the text, decides.
        XCTAssertEqual(h.interpreter.complete("summ + 1", cursor: 4), Completion(start: 0, matches: ["summary"]))
        // Keywords being typed complete too.
        XCTAssertTrue(h.interpreter.complete("le").matches.contains("let"))
    }

    func testMembersAfterADot() {
        let h = Harness(stdlib: true)
        h.run("let faces = {train: 1, test: 2, valid: 3}\nlet nested = {inner: {alpha: 1, beta: 2}}\nlet m = ferc()")
        XCTAssertEqual(h.interpreter.complete("faces.te"), Completion(start: 6, matches: ["test"]))
        XCTAssertEqual(h.interpreter.complete("print(faces."), Completion(start: 12, matches: ["test", "train", "valid"]))
        XCTAssertEqual(h.interpreter.complete("nested.inner.al"), Completion(start: 13, matches: ["alpha"]))
        XCTAssertEqual(h.interpreter.complete("m.pa").matches, ["params"])
        // Unknown owners and values without members offer nothing (not every name).
        XCTAssertEqual(h.interpreter.complete("nope.te").matches, [])
        XCTAssertEqual(h.interpreter.complete("faces.test.x").matches, [])
    }

    func testParameterLabelsOfTheCallFirst() {
        let h = Harness(stdlib: true)
        // A builtin's parameters as labels, then names that also fit.
        XCTAssertEqual(h.interpreter.complete("help(na").matches, ["name:"])
        let ferc = h.interpreter.complete("let m = ferc(classes: 7, wi")
        XCTAssertEqual(ferc.matches.first, "width:", "a net definition's parameters: \(ferc)")
        XCTAssertEqual(ferc.start, 25)
        // Inside a nested bracket the labels are not offered; after a complete call neither.
        XCTAssertFalse(h.interpreter.complete("help([na").matches.contains("name:"))
        XCTAssertFalse(h.interpreter.complete("help(1) + na").matches.contains("name:"))
        // Not at the start of an argument (after an operator) — a value, not a label.
        XCTAssertFalse(h.interpreter.complete("help(1 + na").matches.contains("name:"))
    }

    func testPathsInsideStringsWhereAPathGoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("models/best.safetensors"))
        try Data().write(to: folder.appendingPathComponent("mine.facet"))
        try Data().write(to: folder.appendingPathComponent(".hidden"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(folder.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }

        let h = Harness(stdlib: false)
        h.run("let r = {a: 1}")
        XCTAssertEqual(h.interpreter.complete("let w = load(\"m"), Completion(start: 14, matches: ["mine.facet", "models/"]))
        XCTAssertEqual(h.interpreter.complete("load(\"models/b"), Completion(start: 13, matches: ["best.safetensors"]))
        XCTAssertEqual(h.interpreter.complete("import \"mi"), Completion(start: 8, matches: ["mine.facet"]))
        XCTAssertEqual(h.interpreter.complete("load(path: \"mo").matches, ["models/"])
        XCTAssertEqual(h.interpreter.complete("save(r, \"mo").matches, ["models/"], "the second parameter is the path")
        XCTAssertEqual(h.interpreter.complete("load(\"").matches, ["mine.facet", "models/"], "no hidden files")
        // A string that is not a path, a closed string, a comment: nothing.
        XCTAssertEqual(h.interpreter.complete("print(\"m").matches, [])
        XCTAssertEqual(h.interpreter.complete("save(r, \"mo").matches.count, 1)
        XCTAssertEqual(h.interpreter.complete("save(\"mo").matches, [], "the first parameter is not a path")
        XCTAssertEqual(h.interpreter.complete("load(\"m\") + su").matches, ["summary"], "after the string: names")
        XCTAssertEqual(h.interpreter.complete("let x = 1  # su").matches, [])
    }

    func testCursorCountsUnicodeScalars() {
        let h = Harness(stdlib: false)
        h.run("let rec = {thee: 1}")
        XCTAssertEqual(h.interpreter.complete("print(\"é\", rec.t"), Completion(start: 15, matches: ["thee"]))
        XCTAssertEqual(h.interpreter.complete("print(\"é\", rec.t) + 1", cursor: 16), Completion(start: 15, matches: ["thee"]))
    }

    func testCompletionsComeFromSessionRegistryAndKeywords() {
        let h = Harness(stdlib: true)
        XCTAssertEqual(h.interpreter.completions("fer"), ["ferc", "ferc_blocks", "ferc_dropout", "ferc_pool", "ferc_size", "ferc_trunk"])
        XCTAssertEqual(h.interpreter.completions("sum"), ["summary"])
        XCTAssertEqual(h.interpreter.completions("ma"), ["maxpool"])
    }

    func testCompletionOffersEveryLayerHeadAndOptionWord() {
        let words = Set(Harness(stdlib: false).interpreter.completions(""))
        XCTAssertTrue(Set(layerKeywords + headKeywords + layerOptionWords).isSubset(of: words))
    }
}
