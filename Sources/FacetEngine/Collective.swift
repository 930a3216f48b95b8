/// The collective operations data-parallel training needs from a group of processes ("ranks")
/// that run the same program in lockstep: every rank calls the same operations in the same order.
/// The Open MPI implementation lives in `FacetMPI`; the engine knows only this protocol, so a
/// build and a run without MPI are unchanged (`TrainingOptions.collective` nil).
///
/// Only one thread of a process (the one that trains) calls these.
public protocol Collective: AnyObject, Sendable {
    /// This process's rank, 0..<size; rank 0 is the one that writes.
    var rank: Int { get }
    var size: Int { get }
    /// Element-wise sum over all ranks, in place (every rank ends with the same values).
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>)
    /// Element-wise sum over all ranks of a few doubles, in place.
    func allreduceSum(_ values: inout [Double])
    /// Rank `root`'s bytes on every rank (others' `bytes` are replaced, whatever their length).
    func broadcast(_ bytes: inout [UInt8], from root: Int)
    /// Every rank's `values` (all the same length), in rank order.
    func allgather(_ values: [Double]) -> [[Double]]
    /// Every rank's `ok`, in rank order, or nil when not every rank answered within `seconds`
    /// (a rank stuck elsewhere: the caller then knows it failed alone). Uses a channel of its own,
    /// so it never mixes with a collective another rank is blocked in.
    func agree(_ ok: Bool, within seconds: Double) -> [Bool]?
    /// Ends every rank of the job with exit status 1 after printing `message` on stderr.
    func abort(_ message: String) -> Never
}

extension Collective {
    /// Rank `root`'s floats on every rank, in place (same length on every rank).
    public func broadcast(_ values: inout [Float], from root: Int) {
        var bytes = values.withUnsafeBytes { [UInt8]($0) }
        broadcast(&bytes, from: root)
        values = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
