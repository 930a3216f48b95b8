import Foundation
import XCTest
import FacetEngine
import FacetWeights
@testable import FacetLang
import FacetLangTestSupport

/// A stand-in for a module's own value kind (a dataset from the notebook kernel).
final class FakeDataset: ForeignValue {
    let size: Int
    init(size: Int) { self.size = size }
    var typeName: String { "dataset" }
    var description: String { "dataset of \(size) faces" }
    func member(_ name: String) -> Value? { name == "size" ? .number(Double(size)) : nil }
    var memberNames: [String] { ["size"] }
}

final class InterpreterTests: XCTestCase {
    /// Another module registers builtins returning foreign values; checking validates their
    /// arguments from the same table but does not call them.
    func testRegistryExtensionForeignValuesAndCheckingWithoutRunning() throws {
        let registry = BuiltinRegistry.core()
        var loads = 0
        registry.register("faces", [BuiltinParameter("n", .integer, default: .number(100))], doc: "Synthetic faces.") { args, _ in
            loads += 1
            return .foreign(FakeDataset(size: args.int("n")))
        }
        registry.register("train", [BuiltinParameter("net", .net), BuiltinParameter("data", .foreign("dataset")),
                                    BuiltinParameter("epochs", .integer, default: .number(50))],
                          doc: "Trains a net.") { args, _ in
            .string("trained \(args.net("net")!.name) for \(args.int("epochs")) epochs on \(args["data"])")
        }
        var out: [String] = []
        let interpreter = Interpreter(registry: registry, output: { out.append($0) })
        let file = SourceFile(name: "nb.facet", text: """
        let d = faces(n: 12)
        print d, d.size
        let r = small | train(d, epochs: 3)
        print r
        net small { input 4; dense 3; softmax 2 }
        """)
        XCTAssertEqual(interpreter.check(file), [])
        XCTAssertEqual(loads, 0, "checking must not run builtins with effects")
        try interpreter.run(file)
        XCTAssertEqual(loads, 1)
        XCTAssertEqual(out, ["dataset of 12 faces 12", "trained small for 3 epochs on dataset of 12 faces"])

        let bad = interpreter.check(SourceFile(name: "bad.facet", text: """
        let a = train(small, 3)
        let b = train(small, faces(), epoch: 2)
        let c = faces(n: 2.5)
        let e = faces().sise
        """))
        XCTAssertEqual(bad.map(\.description), [
            "bad.facet:1:22: error: argument `data` of `train` must be a dataset, got number 3",
            "bad.facet:2:31: error: `train` has no parameter `epoch`",
            "bad.facet:3:18: error: argument `n` of `faces` must be a whole number, got number 2.5",
        ])
        XCTAssertEqual(bad[1].hint, "did you mean `epochs`?")
        XCTAssertEqual(loads, 1)
        XCTAssertEqual(registry["train"]?.signature, "train(net: net, data: dataset, epochs: whole number = 50)")
    }

    func testShowHandsValuesToTheDisplayHookWhenSet() throws {
        var shown: [Value] = []
        let interpreter = Interpreter(output: { _ in XCTFail("show wrote text despite the hook") })
        interpreter.display = { shown.append($0) }
        try interpreter.run("net n { input 2; sigmoid 1 }\nshow n\nshow {a: 1}", name: "d.facet")
        XCTAssertEqual(shown.count, 2)
        XCTAssertEqual(shown[0].asNet?.heads.first?.kind, .sigmoid(labels: 1))
        XCTAssertEqual(shown[1].asRecord?["a"]?.asNumber, 1)
    }

    func testSessionKeepsGlobalsAcrossInputsAndReturnsTheLastValue() throws {
        let h = Harness(stdlib: false)
        h.run("let a = 2")
        XCTAssertEqual(h.run("a * 3")?.number, 6)
        h.run("net n(k = 3) { input 8x8x1; conv 2 k; sigmoid 1 }")
        XCTAssertEqual(h.run("params(n(k: 1))")?.number, Double(2 * 2 + 1 * (2 * 64 + 1)))
        // Redefining in a later input replaces the earlier definition, as a REPL expects.
        h.run("net n { input 2; sigmoid 1 }")
        XCTAssertEqual(h.run("params(n)")?.number, 3)
    }

    func testNothingRunsWhenCheckingFails() {
        let h = Harness(stdlib: false)
        XCTAssertThrowsError(try h.interpreter.run("print \"before\"\nlet x = [1][3]", name: "t.facet")) { error in
            XCTAssertEqual((error as? DiagnosticError)?.diagnostics.map(\.description),
                           ["t.facet:2:13: error: index 3 is out of range for a list of 1"])
        }
        XCTAssertEqual(h.lines, [])
    }

    func testCycleOfNetsIsAnErrorNotACrash() {
        let diagnostics = Harness(stdlib: false).check("net a { use b }\nnet b { use a }")
        XCTAssertEqual(diagnostics.first?.message, "nets use each other more than 40 deep")
    }

    func testHugeNumbersAreErrors() {
        let h = Harness(stdlib: false)
        XCTAssertEqual(h.check("net n { input 60000x60000x3; sigmoid 1 }").map(\.message), ["input 60000x60000x3 is too large"])
        XCTAssertEqual(h.check("net n { input 2000x1000x1000 }").map(\.message), ["input 2000x1000x1000 is too large"])
        XCTAssertEqual(h.check("net n { input 30000x30000x1; conv 65536 3 }").map(\.message),
                       ["conv output 29998x29998x65536 is too large (58974535942144 values per sample)"])
        XCTAssertEqual(h.check("for i in 1..99999999999 { }").map(\.message),
                       ["range 1..99999999999 is too long (more than 1000000 numbers)"])
    }

    /// Numbers that do not fit (`1e309`, `1e308 * 10`) are errors where they are written, as
    /// division by zero is; they used to become `inf` silently (and `inf - inf` NaN).
    func testNonFiniteNumbersAreErrorsAtTheExpression() {
        let h = Harness(stdlib: false)
        let literal = h.check("let a = 1\nlet x = 1e309")
        XCTAssertEqual(literal.map(\.message), ["number `1e309` is too large (numbers go up to about 1.8e308)"])
        XCTAssertEqual(literal.first?.range.start, 18, "at the literal")
        let product = h.check("let x = 1e308 * 10\nlet y = x - x")
        XCTAssertEqual(product.map(\.message), ["1e+308 * 10 overflows (numbers go up to about 1.8e308)"])
        XCTAssertEqual(product.first?.range.start, 8, "at the expression")
        XCTAssertEqual(h.check("let z = -1e308 - 1e308").map(\.message), ["-1e+308 - 1e+308 overflows (numbers go up to about 1.8e308)"])
        XCTAssertEqual(h.run("1e308 * 1.5")?.number, 1.5e308)
    }

    func testPathologicallyDeepInputIsAnErrorNotAStackOverflow() {
        let h = Harness(stdlib: false)
        let parens = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        XCTAssertEqual(h.check("let a = " + parens).map(\.message), ["nested more than 100 levels deep"])
        let chain = "let b = 1" + String(repeating: " + 1", count: 100_000)
        XCTAssertEqual(h.check(chain).map(\.message), ["expression is too long or deep (more than 200 levels)"])
        let minus = "let c = " + String(repeating: "-", count: 100_000) + "1"
        XCTAssertEqual(h.check(minus).map(\.message), ["nested more than 100 levels deep"])
        let blocks = String(repeating: "if true {\n", count: 5_000) + String(repeating: "}\n", count: 5_000)
        XCTAssertEqual(h.check(blocks).first?.message, "nested more than 100 levels deep")
        XCTAssertEqual(h.run("1" + String(repeating: " + 1", count: 150))?.number, 151)
    }

    /// The deepest accepted expression still evaluates on a thread with a 4 MiB stack, even in a
    /// debug build (whose frames are large: about 10 KiB per expression level).
    func testDeepestAcceptedExpressionFitsASmallThreadStack() {
        let text = "1" + String(repeating: " + 1", count: Parser.maxExprDepth - 2)
        var result: Value?
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result = try? Interpreter(output: { _ in }).run(text, name: "deep.facet")
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        done.wait()
        XCTAssertEqual(result?.number, Double(Parser.maxExprDepth - 1))
    }

    func testSummaryShowAndHelpWriteToTheOutput() {
        let h = Harness(stdlib: false)
        h.run("net tiny { input 4x4x1; conv 2 3x3 relu; softmax 2 }\nsummary tiny\nhelp \"params\"\nshow tiny")
        XCTAssertEqual(h.lines[0], "tiny()  test.facet:1:5")
        XCTAssertTrue(h.lines.contains { $0.hasPrefix("1  conv 2 3x3") && $0.contains("2x2x2") && $0.contains(" 20 ") }, h.lines.joined(separator: "\n"))
        XCTAssertTrue(h.lines.contains("params(net: net)"))
        XCTAssertEqual(Array(h.lines.suffix(6)), ["net tiny {", "  input 4x4x1", "  conv 2 3x3", "  relu", "  softmax 2", "}"])
    }

    func testSaveAndLoadWeightsThroughSafetensors() throws {
        let h = Harness(stdlib: false)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facet-lang-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        h.run("""
        net tiny(maps = 3) {
          input 6x6x1
          conv maps 3x3 relu
          heads { a: softmax 2  b: regress 3 }
        }
        let w = instantiate(tiny(maps: 2), seed: 7)
        save(w, "\(path)")
        let back = load("\(path)")
        print type(back), back.params == w.params, back.net == w.net
        """)
        XCTAssertEqual(h.lines.last, "network true true")
        let (network, metadata) = try Network.load(from: URL(fileURLWithPath: path))
        XCTAssertEqual(metadata[ModelMetadataKey.model]?.hasPrefix("net tiny {"), true)
        let original = try XCTUnwrap(h.run("w"))
        guard case let .foreign(f) = original, let value = f as? NetworkValue else { return XCTFail("not a network") }
        XCTAssertEqual(network.parameters.map(\.value), value.network.parameters.map(\.value))

        XCTAssertThrowsError(try h.interpreter.run("load(\"/nonexistent/x.safetensors\")", name: "l.facet")) { error in
            let d = (error as? DiagnosticError)?.diagnostics.first
            XCTAssertEqual(d?.range.description, "l.facet:1:1")
            XCTAssertTrue(d?.message.hasPrefix("load: ") == true, d?.message ?? "")
        }
    }
}
