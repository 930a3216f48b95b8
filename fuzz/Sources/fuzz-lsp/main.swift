// libFuzzer target: `facet lsp`'s input side. The bytes go through the JSON-RPC framing
// (FrameParser, fed in chunks as a pipe delivers them) and every body it hands back is decoded and
// dispatched to a language server, as `serve` does; or, when the first byte says so, the rest is
// one message body. The server answers into a sink that checks every answer is one framed JSON
// object (and keeps nothing), and each body must get exactly the responses JSON-RPC asks for: one
// for a request or a message that is not one, none for a notification or a response.
import FacetNotebook
import FacetSession
import FacetLSP
import Foundation

/// One session for every input: loading the stdlib once keeps the fuzzer fast. The server never
/// runs code, so the session's globals stay as loaded (it checks in scratch copies).
nonisolated(unsafe) let session: Session = {
    let s = try! Session(progress: .quiet)
    s.sink = { _ in }
    return s
}()

/// Every server shares the sessions that check notebooks' cells, as one server's edits do.
nonisolated(unsafe) let notebookSessions = NotebookSessions()

/// Responses written since the count was last reset.
nonisolated(unsafe) var responses = 0

/// Every answer must be exactly one framed JSON object: the server never writes half a message.
func checkAnswer(_ data: Data) {
    var parser = FrameParser()
    parser.append(Array(data))
    guard let body = try? parser.next(), !parser.hasPending,
          let message = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
        fatalError("facet lsp wrote a malformed message: \(String(decoding: data.prefix(200), as: UTF8.self))")
    }
    if message["method"] == nil { responses += 1 }
}

/// How many responses JSON-RPC asks for after `body`.
func responsesExpected(_ body: [UInt8]) -> Int {
    guard let message = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return 1 }
    if message["method"] is String { return message["id"] == nil ? 0 : 1 }
    if message["id"] != nil, message["result"] != nil || message["error"] != nil { return 0 }   // a client's response
    return 1
}

/// Hands one body to the server and checks the responses it wrote.
func dispatch(_ server: LanguageServer, _ body: [UInt8]) {
    responses = 0
    server.handle(body)
    let expected = responsesExpected(body)
    if responses != expected {
        fatalError("facet lsp wrote \(responses) responses, not \(expected), to \(String(decoding: body.prefix(300), as: UTF8.self))")
    }
}

let initialize = Array(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}"#.utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLSP(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let mode = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    let server = LanguageServer(session: session, notebookSessions: notebookSessions, send: checkAnswer)
    // Bit 0: start initialized, so the mutations reach the requests rather than the -32002 answer.
    if mode & 1 == 1 { dispatch(server, initialize) }
    // Bit 1: the input is one message body, decoded as it is.
    if mode & 2 == 2 {
        dispatch(server, input)
        server.publishDirty()
        return 0
    }
    // Otherwise a framed stream, delivered in chunks of 1 to 64 bytes (the high bits), with the
    // debounce's publish whenever nothing is pending, as `serve` reads a pipe.
    var parser = FrameParser()
    let chunk = Int(mode >> 2) + 1
    var i = 0
    while i < input.count, server.exitCode == nil {
        parser.append(Array(input[i..<min(i + chunk, input.count)]))
        i += chunk
        while server.exitCode == nil {
            do {
                guard let body = try parser.next() else { break }
                dispatch(server, body)
            } catch {
                continue   // a bad header: `serve` answers it and reads on
            }
        }
        if !parser.hasPending { server.publishDirty() }
    }
    return 0
}
