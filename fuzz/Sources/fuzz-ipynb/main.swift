// libFuzzer target: .ipynb ↔ .fnb conversion, both directions. Each input is tried as an .ipynb
// (JSON) and as an .fnb (text). The properties, beyond "no crash":
// - .ipynb → .fnb either refuses or gives a notebook that parses, whose code cells are the
//   notebook's code cells (round trips preserve or refuse);
// - .fnb → .ipynb → .fnb gives the .fnb back byte for byte (line endings read as LF).
import FacetFiles
import FacetJupyter
import FacetNotebook
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIpynb(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)

    // As a Jupyter notebook.
    if let fnb = try? JupyterConversion.fnb(fromIpynb: data, path: "fuzz.ipynb") {
        guard let notebook = try? Notebook(text: fnb, path: "fuzz.fnb") else {
            fatalError("converted .fnb does not parse:\n\(fnb)")
        }
        if let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
           let cells = root["cells"] as? [[String: Any]] {
            let code = cells.filter { $0["cell_type"] as? String == "code" && !isParameters($0) }
                .map { InputFile.normalisingLineEndings(source($0["source"])) }
            let got = notebook.cells.map(\.source)
            if got != code { fatalError("code cells changed:\n\(code)\nbecame\n\(got)") }
        }
        _ = try? JupyterConversion.ipynb(fromFnb: fnb, path: "fuzz.fnb")
    }

    // As a Facet notebook.
    let text = InputFile.normalisingLineEndings(String(decoding: data, as: UTF8.self))
    if let ipynb = try? JupyterConversion.ipynb(fromFnb: text, path: "fuzz.fnb") {
        do {
            let back = try JupyterConversion.fnb(fromIpynb: ipynb, path: "fuzz.ipynb")
            if back != text { fatalError("round trip changed the notebook:\n\(text.debugDescription)\nbecame\n\(back.debugDescription)") }
        } catch {
            fatalError("its own .ipynb does not convert back: \(error)")
        }
    }
    return 0
}

private func source(_ value: Any?) -> String {
    if let s = value as? String { return s }
    return (value as? [String] ?? []).joined()
}

private func isParameters(_ cell: [String: Any]) -> Bool {
    ((cell["metadata"] as? [String: Any])?["tags"] as? [String])?.contains("parameters") == true
}
