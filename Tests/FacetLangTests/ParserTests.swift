import XCTest
@testable import FacetLang
import FacetLangTestSupport
@testable import FacetLangTools

/// Parser output compared as S-expressions carrying every node's `line:col-line:col` range.
final class ParserTests: XCTestCase {
    func assertAST(_ source: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let program = try parse(SourceFile(name: "t.facet", text: source))
            XCTAssertEqual(dump(program), expected, file: file, line: line)
        } catch {
            XCTFail("parse failed: \(error)", file: file, line: line)
        }
    }

    func testLetWithPrecedenceAndRanges() {
        assertAST("let x = 1 + 2 * -y",
                  "(let x@1:5-1:6 (+ (number 1)@1:9-1:10 (* (number 2)@1:13-1:14 (- (name y)@1:18-1:19)@1:17-1:19)@1:13-1:19)@1:9-1:19)@1:1-1:19")
    }

    func testCallsNamedArgumentsPipelineAndCommand() {
        assertAST("faces | split(0.8, seed: 7)\nsummary m",
                  "(expr (| (name faces)@1:1-1:6 (call (name split)@1:9-1:14 (number 0.8)@1:15-1:18 seed: (number 7)@1:26-1:27)@1:9-1:28)@1:1-1:28)@1:1-1:28\n"
                  + "(expr (call (name summary)@2:1-2:8 (name m)@2:9-2:10)@2:1-2:10)@2:1-2:10")
    }

    func testSpaceDecidesCallVersusCommandArgument() {
        // `f(x)` calls f; `print (x)` passes the parenthesised expression to print.
        assertAST("print (1) + 2",
                  "(expr (call (name print)@1:1-1:6 (+ (number 1)@1:7-1:10 (number 2)@1:13-1:14)@1:7-1:14)@1:1-1:14)@1:1-1:14")
    }

    func testListsRecordsRangesMembersAndIndex() {
        assertAST("let r = {a: [1, 2][0], b: 1..<n}.a",
                  "(let r@1:5-1:6 (member (record (a@1:10-1:11 (index (list (number 1)@1:14-1:15 (number 2)@1:17-1:18)@1:13-1:19 (number 0)@1:20-1:21)@1:13-1:22) (b@1:24-1:25 (..< (number 1)@1:27-1:28 (name n)@1:31-1:32)@1:27-1:32))@1:9-1:33 a)@1:9-1:35)@1:1-1:35")
    }

    func testNetWithLayersSizesOptionsAndHeads() {
        let source = """
        net f(w = 64, k) {
          input 48x48x1
          conv 2*w k x k stride 2 relu
          heads { a: softmax 7  b: regress k + 2 }
        }
        """
        assertAST(source, """
        (net f@1:5-1:6 (params (w@1:7-1:8 (number 64)@1:11-1:13) (k@1:15-1:16)) (body \
        (layer input@2:3-2:8 (size (number 48)@2:9-2:11 (number 48)@2:12-2:14 (number 1)@2:15-2:16)@2:9-2:16)@2:3-2:16 \
        (layer conv@3:3-3:7 (* (number 2)@3:8-3:9 (name w)@3:10-3:11)@3:8-3:11 (size (name k)@3:12-3:13 (name k)@3:16-3:17)@3:12-3:17 (stride (number 2)@3:25-3:26)@3:18-3:26 (relu)@3:27-3:31)@3:3-3:31 \
        (heads (a: softmax (number 7)@4:22-4:23) (b: regress (+ (name k)@4:36-4:37 (number 2)@4:40-4:41)@4:36-4:41))@4:3-4:43))@1:1-5:2
        """)
    }

    func testForIfElseAndUseInsideNet() {
        let source = "net g {\n  use t(d: 1)\n  for i in 1..2 { if i == 1 { relu } else { flatten } }\n}"
        assertAST(source, """
        (net g@1:5-1:6 (params) (body \
        (use (call (name t)@2:7-2:8 d: (number 1)@2:12-2:13)@2:7-2:14)@2:3-2:14 \
        (for i@3:7-3:8 (.. (number 1)@3:12-3:13 (number 2)@3:15-3:16)@3:12-3:16 (body \
        (if (== (name i)@3:22-3:23 (number 1)@3:27-3:28)@3:22-3:28 (then (layer relu@3:31-3:35)@3:31-3:35) \
        (else (layer flatten@3:45-3:52)@3:45-3:52))@3:19-3:54))@3:3-3:56))@1:1-4:2
        """)
    }

    func testMultilinePipelineAndArguments() {
        assertAST("let d = faces\n  | align\n  | split(\n    0.8,\n    0.1)",
                  "(let d@1:5-1:6 (| (| (name faces)@1:9-1:14 (name align)@2:5-2:10)@1:9-2:10 (call (name split)@3:5-3:10 (number 0.8)@4:5-4:8 (number 0.1)@5:5-5:8)@3:5-5:9)@1:9-5:9)@1:1-5:9")
    }

    func testSyntaxErrorsAreReportedOncePerStatementWithCarets() {
        let file = SourceFile(name: "e.facet", text: "let a = \nlet b = 2\nlet = 3\nnet n {\n  conv 64 5x5 pad\n}\n")
        XCTAssertThrowsError(try parse(file)) { error in
            let diagnostics = (error as? DiagnosticError)?.diagnostics ?? []
            XCTAssertEqual(diagnostics.map(\.description), [
                "e.facet:1:9: error: expected an expression, found end of line",
                "e.facet:3:5: error: expected a name after `let`, found `=`",
                "e.facet:5:18: error: expected a value after `pad`, found end of line",
            ])
            XCTAssertEqual(diagnostics.last?.rendered, """
            e.facet:5:18: error: expected a value after `pad`, found end of line
                  conv 64 5x5 pad
                                 ^
            """)
        }
    }

    func testRenderedDiagnosticUnderlinesTheRange() throws {
        let file = SourceFile(name: "x.facet", text: "let v = fercc(2)\n")
        let range = SourceRange(file: file, start: 8, end: 13)
        XCTAssertEqual(Diagnostic(range, "unknown name `fercc`", hint: "did you mean `ferc`?").rendered, """
        x.facet:1:9: error: unknown name `fercc`
            let v = fercc(2)
                    ^~~~~
            hint: did you mean `ferc`?
        """)
    }

    func testNotebookCellsReportTheirFileLineNumbers() {
        let cell = SourceFile(name: "x.fnb", text: "let a = 1\nlet b = (", firstLine: 13)
        let d = Harness(stdlib: false).interpreter.check(cell)
        XCTAssertEqual(d.map(\.rendered), ["x.fnb:14:10: error: expected an expression, found end of input\n    let b = (\n             ^"])
    }

    func testLexerSplitsSizesAndKeepsColumnsInCharacters() throws {
        let tokens = try tokenize(SourceFile(name: "t", text: "# café\ninput 48x48x1"))
        XCTAssertEqual(tokens.compactMap { t -> String? in
            switch t.kind {
            case let .identifier(s): return s
            case let .number(v): return formatNumberForDump(v)
            default: return nil
            }
        }, ["input", "48", "x", "48", "x", "1"])
        let file = SourceFile(name: "u", text: "\"é\" + x")
        XCTAssertEqual(file.location(of: 5).column, 5)   // `+` after the 2-byte é, columns count characters
    }
}
