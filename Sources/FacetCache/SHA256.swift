import CCrypto
import Foundation

/// SHA-256 from OpenSSL's libcrypto (EVP interface), fed incrementally: the result cache hashes
/// training inputs of hundreds of megabytes without copying them into one buffer.
///
///     var h = SHA256()
///     h.update("facet-train-key/1")
///     h.update(floats)
///     let key = h.hexDigest()
public struct SHA256 {
    /// The EVP context lives in a class so that copies of the struct cannot free it twice.
    private final class Context {
        let pointer: OpaquePointer
        init() {
            guard let p = EVP_MD_CTX_new(), EVP_DigestInit_ex(p, EVP_sha256(), nil) == 1 else {
                fatalError("OpenSSL could not start a SHA-256 digest")   // only out of memory
            }
            pointer = p
        }
        deinit { EVP_MD_CTX_free(pointer) }
    }
    private let context = Context()

    public init() {}

    /// Adds raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context.pointer, base, bytes.count)
    }

    /// Adds bytes of a `Data`.
    public mutating func update(_ data: Data) { data.withUnsafeBytes { update($0) } }

    /// Adds a string's UTF-8 and its length, so ("ab", "c") and ("a", "bc") differ.
    public mutating func update(_ text: String) {
        var copy = text
        update(UInt64(copy.utf8.count))
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Adds a number as 8 little-endian bytes.
    public mutating func update(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { update($0) }
    }

    /// Adds Float32 values as their bit patterns (exact: -0 and NaN payloads count) with their count.
    public mutating func update(_ values: [Float]) {
        update(UInt64(values.count))
        values.withUnsafeBytes { update($0) }   // little-endian on every platform Facet runs on
    }

    /// The digest as 64 lowercase hex digits; the hasher cannot be fed afterwards.
    public func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context.pointer, &digest, &length)
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of one buffer (or a slice of one, without copying it), as hex.
    public static func hex(_ data: Data) -> String {
        var h = SHA256()
        h.update(data)
        return h.hexDigest()
    }
}
