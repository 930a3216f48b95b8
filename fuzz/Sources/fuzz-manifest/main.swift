// libFuzzer target: manifest CSVs (`path,<attribute>...`): the RFC 4180 reader, then the column
// interpretation (path and split columns, labels and regression targets, missing cells).
@testable import FacetVision
import Foundation

private let path = "/dev/shm/facet-fuzz-\(getpid())-manifest.csv"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    if let table = try? CSVTable(bytes, name: "fuzz.csv") { precondition(table.rows.count == table.lines.count) }
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
    _ = try? ManifestSource(path: path, options: ManifestOptions(targetColumns: ["aam"])).samples()
    return 0
}
