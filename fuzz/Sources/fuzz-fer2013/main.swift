// libFuzzer target: the byte-level FER2013 CSV parser (`emotion,pixels,Usage`), serial and with
// the parallel chunking it uses on large files.
@testable import FacetVision
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFER2013(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    for workers in [1, 3] {
        if let table = try? FER2013Parser(name: "fuzz.csv", bytes: bytes, workers: workers).parse() {
            // A parsed table is consistent: one label, one line and side² pixels per row.
            precondition(table.pixels.count == table.count * table.side * table.side)
            precondition(table.lines.count == table.count && (table.usage?.count ?? table.count) == table.count)
        }
    }
    return 0
}
