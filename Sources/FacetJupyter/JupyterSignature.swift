import CCrypto
import Foundation

/// HMAC-SHA256 over a message's four JSON frames (header, parent header, metadata, content), as
/// the Jupyter wire protocol signs them; an empty key means unsigned messages (signature "").
public struct JupyterSignature: Sendable {
    public let key: [UInt8]

    public init(key: String) { self.key = Array(key.utf8) }

    /// The lowercase hex HMAC-SHA256 of the frames, in order.
    public func sign(_ frames: [Data]) -> String {
        guard !key.isEmpty else { return "" }
        var joined = Data()
        for f in frames { joined.append(f) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = key.withUnsafeBytes { k in
            joined.withUnsafeBytes { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(key.count),
                     d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count, &digest, &length) != nil
            }
        }
        precondition(ok, "OpenSSL could not compute an HMAC")   // only out of memory
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the frames' signature, compared in constant time.
    public func verify(_ signature: String, _ frames: [Data]) -> Bool {
        let expected = Array(sign(frames).utf8), given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(expected, given) { diff |= a ^ b }
        return diff == 0
    }
}
