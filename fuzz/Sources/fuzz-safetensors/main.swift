// libFuzzer target: reading a model file — the safetensors container, then the Facet model it
// describes (net description in the metadata, weights by name and shape), as `load` and
// `facet predict` read it.
import FacetEngine
import FacetWeights
import Foundation

private let path = "/dev/shm/facet-fuzz-\(getpid()).safetensors"

/// `Network.load` refuses a model that does not fit the memory limit, physical memory by default:
/// here it is below libFuzzer's 2 GB, so a model that would fit the machine but not the fuzzer is
/// the refusal under test, not an out-of-memory report.
private let limit = MemoryLimit(bytes: 512 * 1024 * 1024, source: "the fuzz target's 512 MiB")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    MemoryLimit.override = limit
    let data = Data(bytes: start, count: count)
    guard let (_, metadata) = try? Safetensors.decode(data, path: "fuzz.safetensors") else { return 0 }
    guard metadata[ModelMetadataKey.spec] != nil else { return 0 }
    // The whole model path, from a file as users load it.
    guard FileManager.default.createFile(atPath: path, contents: data) else { return 0 }
    _ = try? Network.load(from: URL(fileURLWithPath: path))
    return 0
}
