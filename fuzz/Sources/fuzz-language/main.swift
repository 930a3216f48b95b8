// libFuzzer target: the language front end (lexer → parser → resolver → checker) on any bytes,
// with the stdlib loaded as in a session. Checking runs pure builtins and shape rules, so this
// also covers the layer catalog and NetSpec counts. Any crash, hang or sanitizer report is a bug;
// diagnostics are the expected answer to bad input.
import FacetLang
import Foundation

private let interpreter: Interpreter = {
    let i = Interpreter(output: { _ in })
    try? Stdlib.load(into: i)
    return i
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguage(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = InputStatus(of: text)
    _ = interpreter.check(SourceFile(name: "fuzz.facet", text: text))
    return 0
}
