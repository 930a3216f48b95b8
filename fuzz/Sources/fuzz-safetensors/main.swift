// libFuzzer target: reading a model file — the safetensors container, then the Facet model it
// describes (net description in the metadata, weights by name and shape), as `load` and
// `facet predict` read it.
import FacetEngine
import Foundation

private let path = "/dev/shm/facet-fuzz-\(getpid()).safetensors"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let (_, metadata) = try? Safetensors.decode(data, path: "fuzz.safetensors") else { return 0 }
    guard metadata[ModelMetadataKey.spec] != nil else { return 0 }
    // The whole model path, from a file as users load it.
    guard FileManager.default.createFile(atPath: path, contents: data) else { return 0 }
    _ = try? Network.load(from: URL(fileURLWithPath: path))
    return 0
}
