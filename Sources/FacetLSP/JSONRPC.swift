import Foundation

/// JSON-RPC 2.0 over the Language Server Protocol's framing: each message is a header block
/// (`Content-Length: N`, optionally `Content-Type`, each line ending in CRLF), a blank line, then N
/// bytes of UTF-8 JSON.
///
/// `FrameParser` takes bytes as they arrive and hands back whole message bodies; it never trusts
/// a length it cannot hold and never throws away bytes it has not understood without saying so.
public struct FrameParser {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// A header block without a usable Content-Length; the block is skipped.
        case badHeader(String)
        /// A Content-Length above ``maxBody``; the bytes it announces are skipped.
        case tooLarge(Int)

        public var description: String {
            switch self {
            case let .badHeader(h): return "a message header without a usable Content-Length: \(h.debugDescription)"
            case let .tooLarge(n): return "a message of \(n) bytes, more than this server reads"
            }
        }
    }

    /// The largest body accepted by default: 64 MiB (a 1 MB file, escaped, is far below it).
    public static let maxBody = 64 << 20
    public let maxBody: Int
    /// A header block longer than this has no end in sight: it is dropped.
    static let maxHeader = 8192

    private var buffer: [UInt8] = []
    private var skipping = 0

    public init(maxBody: Int = FrameParser.maxBody) { self.maxBody = maxBody }

    public mutating func append(_ bytes: [UInt8]) {
        if skipping > 0 {
            let n = min(skipping, bytes.count)
            skipping -= n
            buffer.append(contentsOf: bytes[n...])
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// True while bytes are buffered that may still form a message.
    public var hasPending: Bool { !buffer.isEmpty }

    /// The next whole message body; nil when more bytes are needed. A malformed header throws
    /// once and is skipped, so the caller can answer the error and go on reading.
    public mutating func next() throws -> [UInt8]? {
        guard let end = headerEnd() else {
            if buffer.count > Self.maxHeader {
                let dropped = String(decoding: buffer.prefix(64), as: UTF8.self)
                buffer.removeAll()
                throw Problem.badHeader(dropped)
            }
            return nil
        }
        let header = String(decoding: buffer[..<end.start], as: UTF8.self)
        var length: Int?
        for line in header.split(whereSeparator: \.isNewline) {  // "\r\n" is one Character
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let length, length >= 0 else {
            // Resynchronise at the next header that names a length, or after this block.
            buffer.removeSubrange(..<(nextHeaderStart(after: 0) ?? end.bodyStart))
            throw Problem.badHeader(header)
        }
        guard length <= maxBody else {
            buffer.removeSubrange(..<end.bodyStart)
            let n = min(length, buffer.count)
            buffer.removeSubrange(..<n)
            skipping = length - n
            throw Problem.tooLarge(length)
        }
        guard buffer.count - end.bodyStart >= length else { return nil }
        let body = Array(buffer[end.bodyStart..<(end.bodyStart + length)])
        buffer.removeSubrange(..<(end.bodyStart + length))
        return body
    }

    /// Where a `Content-Length` header starts after `index` (any case), if anywhere.
    private func nextHeaderStart(after index: Int) -> Int? {
        let key = Array("content-length".utf8)
        guard buffer.count >= key.count else { return nil }
        var i = index + 1
        while i + key.count <= buffer.count {
            var match = true
            for j in 0..<key.count where (buffer[i + j] | 0x20) != key[j] && !(key[j] == 45 && buffer[i + j] == 45) { match = false; break }
            if match { return i }
            i += 1
        }
        return nil
    }

    /// Where the header block ends (CRLF CRLF; a bare LF LF is accepted too).
    private func headerEnd() -> (start: Int, bodyStart: Int)? {
        var i = 0
        while i < buffer.count {
            if buffer[i] == 10 {
                if i + 1 < buffer.count, buffer[i + 1] == 10 { return (i, i + 2) }
                if i + 2 < buffer.count, buffer[i + 1] == 13, buffer[i + 2] == 10 { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    /// A body framed for sending.
    public static func frame(_ body: Data) -> Data {
        var out = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        out.append(body)
        return out
    }
}

/// JSON-RPC error codes this server answers with.
public enum RPCError: Int {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestFailed = -32803
}
