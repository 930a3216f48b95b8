import FacetEngine
import Foundation

/// `size` ranks as threads of this process: what `FacetMPI` does across processes, so the
/// data-parallel trainer can be checked against a single process without MPI. Sums run in rank
/// order on every rank, so all ranks get bit-identical results, as with MPI.
public final class ThreadRanks: @unchecked Sendable {
    public let size: Int
    private let condition = NSCondition()
    private var arrived = 0, generation = 0
    private var slots: [[Double]]
    public init(size: Int) { self.size = size; slots = Array(repeating: [], count: size) }

    /// Puts `values` in `rank`'s slot, waits for all, and returns every slot (rank order).
    public func exchange(_ values: [Double], rank: Int) -> [[Double]] {
        condition.lock(); defer { condition.unlock() }
        slots[rank] = values
        let gen = generation
        arrived += 1
        if arrived == size { arrived = 0; generation += 1; condition.broadcast() } else { while gen == generation { condition.wait() } }
        let all = slots
        // A second barrier so no rank overwrites its slot before every rank has read this round.
        let gen2 = generation
        arrived += 1
        if arrived == size { arrived = 0; generation += 1; condition.broadcast() } else { while gen2 == generation { condition.wait() } }
        return all
    }

    public final class Rank: Collective, @unchecked Sendable {
        public let group: ThreadRanks, rank: Int
        public var size: Int { group.size }
        init(_ group: ThreadRanks, _ rank: Int) { self.group = group; self.rank = rank }
        public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
            let all = group.exchange(values.map(Double.init), rank: rank)
            for i in values.indices {
                var s = Float(all[0][i])
                for r in 1..<size { s += Float(all[r][i]) }
                values[i] = s
            }
        }
        public func allreduceSum(_ values: inout [Double]) {
            let all = group.exchange(values, rank: rank)
            values = values.indices.map { i in all.dropFirst().reduce(all[0][i]) { $0 + $1[i] } }
        }
        public func broadcast(_ bytes: inout [UInt8], from root: Int) {
            bytes = group.exchange(bytes.map(Double.init), rank: rank)[root].map { UInt8($0) }
        }
        public func allgather(_ values: [Double]) -> [[Double]] { group.exchange(values, rank: rank) }
        public func agree(_ ok: Bool, within seconds: Double) -> [Bool]? { group.exchange([ok ? 1 : 0], rank: rank).map { $0[0] != 0 } }
        public func abort(_ message: String) -> Never { fatalError(message) }
    }

    /// Runs `body(rank)` on `size` threads at once and returns their results in rank order.
    public func run<T>(_ body: @escaping @Sendable (Rank) throws -> T) throws -> [T] {
        var results = [Result<T, Error>?](repeating: nil, count: size)
        let lock = NSLock(), done = DispatchGroup()
        for r in 0..<size {
            done.enter()
            let thread = Thread { [self] in
                let result = Result { try body(Rank(self, r)) }
                lock.lock(); results[r] = result; lock.unlock()
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        done.wait()
        return try results.map { try $0!.get() }
    }
}
