import FacetFiles
import Foundation

/// The processed-data cache: aligned crops and labels in one binary file that is memory-mapped on
/// load, named and keyed by a fingerprint of the source and the pipeline settings.
///
/// Layout (little-endian; see docs/pipeline.md):
///   0   8  magic "FACETDS1"
///   8   8  key (UInt64)
///   16  8  metadata length M
///   24  8  crops offset C (multiple of 64)
///   32  8  sample count
///   40  8  crop side N
///   48  M  metadata JSON (attributes, classes, target names, sources, summary, split presence)
///   C      crops, count·N·N bytes
///   then   labels Int32 per attribute (count each), targets Float32 (count·T), splits UInt8 (count)
struct DatasetCache {
    let directory: URL

    static let magic = Array("FACETDS1".utf8)
    static let fileExtension = "facetds"

    /// The cache file for `key` of a source named `name`.
    func url(name: String, key: UInt64) -> URL {
        let stem = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return directory.appendingPathComponent("\(String(stem.prefix(60)))-\(String(format: "%016llx", key)).\(Self.fileExtension)")
    }

    private struct Metadata: Codable {
        var attributes: [String]
        var classes: [String: [String]]
        var targetNames: [String]
        var sources: [String]
        var summary: PipelineSummary
        var hasSplits: Bool
    }

    // MARK: write

    /// Writes `dataset` atomically (temporary file, then rename).
    func store(_ dataset: FaceDataset, key: UInt64, at url: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var summary = dataset.summary
        summary.fromCache = false
        summary.seconds = 0
        summary.alignSeconds = 0
        let metadata = Metadata(attributes: dataset.attributes, classes: dataset.classes,
                                targetNames: dataset.targetNames, sources: dataset.sources,
                                summary: summary, hasSplits: dataset.sourceSplits != nil)
        let json = try JSONEncoder().encode(metadata)
        let cropsOffset = (48 + json.count + 63) / 64 * 64
        var header = Data(Self.magic)
        for field in [key, UInt64(json.count), UInt64(cropsOffset), UInt64(dataset.count), UInt64(dataset.size)] {
            withUnsafeBytes(of: field.littleEndian) { header.append(contentsOf: $0) }
        }
        header.append(json)
        header.append(Data(count: cropsOffset - header.count))

        let temporary = url.appendingPathExtension("tmp-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: header) else {
            throw VisionError("\(temporary.path): cannot create cache file")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(buffer: dataset.crops.allBytes))
            for attribute in dataset.attributes {
                try dataset.labels[attribute]!.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
            }
            try dataset.targets.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
            if let splits = dataset.sourceSplits { try handle.write(contentsOf: Data(splits.map(\.rawValue))) }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw VisionError("\(url.path): cannot write cache (\(FileFailure.reason(error)))")
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw VisionError("\(url.path): cannot move cache file into place")
        }
    }

    // MARK: read

    /// The cached data set, or nil when the file is absent, from another key, or damaged
    /// (a damaged file is then simply rebuilt).
    func load(key: UInt64, at url: URL) -> FaceDataset? {
        guard FileManager.default.fileExists(atPath: url.path),
              let file = try? MappedFile(path: url.path), file.count >= 48 else { return nil }
        let bytes = file.bytes
        guard Array(bytes[0..<8]) == Self.magic else { return nil }
        func word(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        guard word(8) == key else { return nil }
        // Sizes are bounded by the file length before use, so a damaged header cannot overflow.
        let limit = UInt64(file.count)
        guard word(16) <= limit, word(24) <= limit, word(32) <= limit, word(40) <= 4096 else { return nil }
        let metadataLength = Int(word(16)), cropsOffset = Int(word(24)), count = Int(word(32)), side = Int(word(40))
        guard 48 + metadataLength <= cropsOffset, side > 0,
              let metadata = try? JSONDecoder().decode(Metadata.self, from: Data(bytes[48..<(48 + metadataLength)]))
        else { return nil }
        let a = metadata.attributes.count, t = metadata.targetNames.count
        let cropBytes = count * side * side
        let expected = cropsOffset + cropBytes + a * count * 4 + count * t * 4 + (metadata.hasSplits ? count : 0)
        guard file.count == expected, metadata.sources.count == count else { return nil }

        var offset = cropsOffset + cropBytes
        var labels: [String: [Int32]] = [:]
        for name in metadata.attributes {
            labels[name] = (0..<count).map { bytes.loadUnaligned(fromByteOffset: offset + $0 * 4, as: Int32.self) }
            offset += count * 4
        }
        let targets = (0..<(count * t)).map { bytes.loadUnaligned(fromByteOffset: offset + $0 * 4, as: Float.self) }
        offset += count * t * 4
        var splits: [Split]?
        if metadata.hasSplits {
            let raw = bytes[offset..<(offset + count)].map { Split(rawValue: $0) }
            guard raw.allSatisfy({ $0 != nil }) else { return nil }
            splits = raw.map { $0! }
        }
        var summary = metadata.summary
        summary.fromCache = true
        return FaceDataset(
            crops: CropStore(count: count, size: side, mapping: file, offset: cropsOffset),
            attributes: metadata.attributes, labels: labels, classes: metadata.classes,
            targetNames: metadata.targetNames, targets: targets, sourceSplits: splits,
            sources: metadata.sources, summary: summary)
    }
}
