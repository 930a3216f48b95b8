/// The aligned 8-bit crops of a data set: `count` images of `size`×`size` bytes, row-major, back to back.
/// Either owned in memory or memory-mapped from the processed-data cache; immutable once built.
public final class CropStore: @unchecked Sendable {
    /// Number of crops.
    public let count: Int
    /// Side N of each crop.
    public let size: Int
    /// True when the bytes live in a memory-mapped cache file rather than the heap.
    public let isMemoryMapped: Bool
    private let base: UnsafePointer<UInt8>
    private let owned: UnsafeMutablePointer<UInt8>?
    private let mapping: MappedFile?

    /// Takes ownership of `count * size * size` bytes copied from `bytes`.
    init(count: Int, size: Int, copying bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count >= count * size * size)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, count * size * size))
        if count > 0 { storage.initialize(from: bytes.baseAddress!, count: count * size * size) }
        (self.count, self.size, isMemoryMapped, base, owned, mapping) = (count, size, false, UnsafePointer(storage), storage, nil)
    }

    /// Views `count * size * size` bytes at `offset` of a mapped file (which the store keeps alive).
    init(count: Int, size: Int, mapping: MappedFile, offset: Int) {
        precondition(offset + count * size * size <= mapping.count)
        let start = mapping.base!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
        (self.count, self.size, isMemoryMapped, base, owned, self.mapping) = (count, size, true, start, nil, mapping)
    }

    deinit { owned?.deallocate() }

    /// Crop `index` as `size * size` bytes, valid while the store lives.
    public func crop(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < count, "crop index \(index) out of 0..<\(count)")
        return UnsafeBufferPointer(start: base + index * size * size, count: size * size)
    }

    /// Crop `index` as a GrayImage (copies the bytes).
    public func image(_ index: Int) -> GrayImage {
        GrayImage(width: size, height: size, pixels: Array(crop(index)))
    }

    /// All crop bytes, valid while the store lives.
    var allBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count * size * size) }
}
