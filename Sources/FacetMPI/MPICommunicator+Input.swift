import Foundation

extension MPICommunicator {
    /// Standard input's lines on every rank: mpirun gives standard input to rank 0 only, which
    /// reads it to the end and sends it to the others (`facet repl < script` under mpirun).
    public func standardInputLines() -> [String] {
        var bytes: [UInt8] = []
        if rank == 0 { while let line = readLine(strippingNewline: false) { bytes += Array(line.utf8) } }
        broadcast(&bytes, from: 0)
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
