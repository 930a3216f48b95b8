import FacetFiles
import Foundation

/// Reads and writes the safetensors format (what Python's `safetensors` package reads):
///
///     [8 bytes: header length n, little-endian u64][n bytes: JSON header][raw tensor bytes]
///
/// The header maps tensor names to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets
/// into the byte buffer after the header) and may hold `"__metadata__"`: a string→string map.
/// Facet writes F32, little-endian, with sorted names, and pads the header with spaces to a
/// multiple of 8 bytes. It reads F32, F64 and F16 (converted to Float32).
public enum Safetensors {
    public struct Entry: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]
        public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
    }

    public struct FileError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    // MARK: write

    /// Serialises tensors and metadata to bytes.
    public static func encode(_ tensors: [String: Entry], metadata: [String: String] = [:]) -> Data {
        var out = Data()
        encode(tensors, metadata: metadata) { out.append(contentsOf: $0) }
        return out
    }

    /// Serialises tensors and metadata piece by piece into `sink` — the header, then each tensor's
    /// bytes straight from its array — so a checkpoint of a large net is written without a copy
    /// of it in memory.
    public static func encode(_ tensors: [String: Entry], metadata: [String: String] = [:],
                              into sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var parts: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(m.joined(separator: ","))}")
        }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let e = tensors[name]!
            precondition(e.shape.reduce(1, *) == e.values.count, "tensor \(name): shape \(e.shape) vs \(e.values.count) values")
            let bytes = e.values.count * 4
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var headerBytes = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        try withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { try sink($0) }
        try headerBytes.withUnsafeBytes { try sink($0) }
        for name in names {
            // x86-64 and arm64 are little-endian, the format's byte order.
            try tensors[name]!.values.withUnsafeBytes { try sink($0) }
        }
    }

    /// Writes atomically: a temporary file in the same folder, then a rename.
    public static func write(_ tensors: [String: Entry], metadata: [String: String] = [:], to url: URL) throws {
        do {
            try encode(tensors, metadata: metadata).write(to: url, options: .atomic)
        } catch {
            throw FileError(path: url.path, message: "cannot write: \(FileFailure.reason(error))")
        }
    }

    // MARK: read

    /// One tensor as a header declares it; `bytes` lies inside the file (checked).
    public struct Declared: Equatable, Sendable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range in the whole file.
        public var bytes: Range<Int>
        /// Values the tensor holds.
        public var count: Int
    }

    /// A header: what each tensor declares and the metadata, checked against the file's size
    /// without reading any tensor, so a caller can refuse a file before allocating its contents.
    public static func header(_ data: Data, path: String = "<memory>") throws
        -> (tensors: [String: Declared], metadata: [String: String]) {
        func fail(_ m: String) -> FileError { FileError(path: path, message: m) }
        guard data.count >= 8 else { throw fail("not a safetensors file: \(data.count) bytes, too short for a header") }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | (UInt64($1.element) << (8 * UInt64($1.offset))) }
        guard n >= 2, n <= UInt64(data.count - 8) else {
            throw fail("not a safetensors file or truncated: header length \(n) but the file has \(data.count) bytes")
        }
        let headerData = data.subdata(in: 8..<(8 + Int(n)))
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let header = json as? [String: Any] else {
            throw fail("not a safetensors file: the header is not a JSON object")
        }
        let base = 8 + Int(n)
        var metadata: [String: String] = [:]
        var tensors: [String: Declared] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("metadata '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            tensors[name] = try declared(name, value, base: base, available: data.count - base, fail)
        }
        let ranges = tensors.map { ($0.value.bytes, $0.key) }.sorted { $0.0.lowerBound < $1.0.lowerBound }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.0.lowerBound < a.0.upperBound {
            throw fail("tensors '\(a.1)' and '\(b.1)' overlap")
        }
        return (tensors, metadata)
    }

    /// One header entry, its size computed without overflow and checked against the data present.
    private static func declared(_ name: String, _ value: Any, base: Int, available: Int,
                                 _ fail: (String) -> FileError) throws -> Declared {
        guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
              let shapeAny = info["shape"] as? [Any], let offsAny = info["data_offsets"] as? [Any], offsAny.count == 2
        else { throw fail("tensor '\(name)': needs dtype, shape and data_offsets") }
        let shape = try shapeAny.map { v -> Int in
            guard let i = (v as? NSNumber)?.intValue, i >= 0 else { throw fail("tensor '\(name)': bad shape \(shapeAny)") }
            return i
        }
        let offs = try offsAny.map { v -> Int in
            guard let i = (v as? NSNumber)?.intValue, i >= 0 else { throw fail("tensor '\(name)': bad data_offsets") }
            return i
        }
        let widths = ["F32": 4, "F64": 8, "F16": 2]
        guard let width = widths[dtype] else { throw fail("tensor '\(name)': dtype \(dtype) is not supported (F32, F64, F16)") }
        // A crafted shape must not overflow into a small, plausible size.
        var count = 1, overflow = false
        for d in shape + [width] where !overflow { (count, overflow) = count.multipliedReportingOverflow(by: d) }
        guard !overflow, count <= available else {
            throw fail("tensor '\(name)': shape \(shape) of \(dtype) declares more bytes than the file's \(available) bytes of data")
        }
        guard offs[1] >= offs[0], offs[1] - offs[0] == count else {
            throw fail("tensor '\(name)': data_offsets \(offs) hold \(offs[1] - offs[0]) bytes, shape \(shape) of \(dtype) needs \(count)")
        }
        guard offs[1] <= available else {
            throw fail("truncated: tensor '\(name)' ends at byte \(offs[1]) of the data, which has \(available)")
        }
        return Declared(dtype: dtype, shape: shape, bytes: (base + offs[0])..<(base + offs[1]), count: count / width)
    }

    /// The values of tensors a checked header declared, as Float32.
    public static func values(_ tensors: [String: Declared], in data: Data) -> [String: Entry] {
        tensors.mapValues { t in Entry(shape: t.shape, values: convert(data.subdata(in: t.bytes), dtype: t.dtype, count: t.count)) }
    }

    /// Parses bytes; every malformation is a `FileError` naming what is wrong.
    public static func decode(_ data: Data, path: String = "<memory>") throws -> (tensors: [String: Entry], metadata: [String: String]) {
        let (tensors, metadata) = try header(data, path: path)
        return (values(tensors, in: data), metadata)
    }

    /// A file's bytes, mapped when possible; a missing file is a `FileError`.
    public static func bytes(of url: URL) throws -> Data {
        if let why = InputFile.problem(url.path) { throw FileError(path: url.path, message: "cannot read: \(why)") }
        do { return try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw FileError(path: url.path, message: "cannot read: \(FileFailure.reason(error))")
        }
    }

    /// Reads a file; a missing, truncated or malformed file is a `FileError`.
    public static func read(_ url: URL) throws -> (tensors: [String: Entry], metadata: [String: String]) {
        try decode(try bytes(of: url), path: url.path)
    }

    private static func convert(_ bytes: Data, dtype: String, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw -> [Float] in
            switch dtype {
            case "F32": return (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            case "F64": return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) }
            default: return (0..<count).map { Float(Float16Bits(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))) }
            }
        }
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// IEEE half → Float, without relying on the platform's Float16 availability.
private func Float16Bits(_ h: UInt16) -> Float {
    let sign: Float = (h & 0x8000) != 0 ? -1 : 1
    let exp = Int((h >> 10) & 0x1F), frac = Float(h & 0x3FF)
    if exp == 0 { return sign * frac * pow(2, -24) }
    if exp == 31 { return frac == 0 ? sign * .infinity : .nan }
    return sign * (1 + frac / 1024) * pow(2, Float(exp - 15))
}
