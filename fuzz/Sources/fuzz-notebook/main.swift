// libFuzzer target: the `.fnb` notebook parser (front matter, prose, fences) and the completeness
// test the REPL and Jupyter use on each cell.
import FacetNotebook
import FacetLang
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let notebook = try? Notebook(text: text, path: "fuzz.fnb") else { return 0 }
    for cell in notebook.cells { _ = InputStatus(of: cell.source) }
    if let params = notebook.params { _ = InputStatus(of: params.text) }
    return 0
}
