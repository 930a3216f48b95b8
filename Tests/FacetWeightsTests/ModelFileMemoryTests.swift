import FacetEngine
import FacetEngineTestSupport
import Foundation
import XCTest
@testable import FacetWeights

/// Model files that describe a net too large for the memory limit, or one that cannot be built,
/// are refused before anything large is allocated (docs/engine.md, "Memory").
final class ModelFileMemoryTests: XCTestCase {
    override func tearDown() { MemoryLimit.override = nil }

    private func limit(_ bytes: Double) { MemoryLimit.override = MemoryLimit(bytes: bytes, source: "test") }

    /// A file whose metadata describe `spec`, holding only a tiny tensor.
    static func craftedModel(_ spec: NetSpec, at url: URL) throws {
        let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        try Safetensors.write(["layers.0.weight": .init(shape: [1], values: [1])],
                              metadata: [ModelMetadataKey.spec: json, ModelMetadataKey.format: "1"], to: url)
    }

    func testModelFileWithAnAbsurdLayerIsRefusedBeforeTheNetIsBuilt() throws {
        limit(0x1p30)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-huge-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.craftedModel(MemoryFixture.huge, at: url)
        XCTAssertThrowsError(try Network.load(from: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(url.path): loading this model needs 1.4 TiB"), "\(error)")
            XCTAssertTrue("\(error)".contains("the largest part is layer 3 `dense 1000000`"), "\(error)")
        }
        var padded = MemoryFixture.huge
        padded.layers[0] = .conv(maps: 1, kernelHeight: 1, kernelWidth: 1, stride: 1, padding: 1 << 62)
        try Self.craftedModel(padded, at: url)
        XCTAssertThrowsError(try Network.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains("layer 1: conv argument 4611686018427387904 is out of range"), "\(error)")
        }
    }

    /// A head's output count comes from the file too: a negative one is refused, never built
    /// (fuzz-safetensors: `sigmoid -7` passed the memory check and built a 2 GB layer).
    func testModelFileWithANegativeHeadIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-head-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        for outputs in [-7, 0, 1 << 40] {
            let spec = NetSpec(input: FeatureShape(channels: 1, height: 4, width: 4), layers: [.dense(units: 3)],
                               heads: [HeadSpec(name: "out", kind: .sigmoid(labels: outputs))])
            XCTAssertThrowsError(try spec.rows())
            try Self.craftedModel(spec, at: url)
            XCTAssertThrowsError(try Network.load(from: url)) { error in
                XCTAssertTrue("\(error)".contains("head `out` has \(outputs) outputs"), "\(error)")
            }
        }
    }

    /// A declared shape whose byte count overflows must not wrap around to a plausible size.
    func testDeclaredTensorSizesAreCheckedAgainstTheFile() {
        var header = Array(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes = Data(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) })
        bytes.append(contentsOf: header)
        bytes.append(Data(count: 16))
        XCTAssertThrowsError(try Safetensors.decode(bytes, path: "x.safetensors")) { error in
            XCTAssertEqual("\(error)", "x.safetensors: tensor 'w': shape [4294967296, 4294967296] of F32 declares more bytes "
                + "than the file's 16 bytes of data")
        }
    }
}
