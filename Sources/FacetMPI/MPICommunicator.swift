import CMPI
import FacetEngine
import Foundation

/// The Open MPI world of a `facet` started by `mpirun` (or `srun`): `Collective` over
/// MPI_COMM_WORLD, plus a duplicate communicator for `agree`, so a rank that failed alone can ask
/// the others without its question being matched against a gradient allreduce they wait in.
public final class MPICommunicator: Collective, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let world: MPI_Comm
    private let status: MPI_Comm

    /// Environment variables a launcher sets in every rank (Open MPI's mpirun, PMIx, Slurm's srun
    /// with PMI). MPI is initialised only when one is present: Open MPI's "singleton" init would
    /// otherwise start a daemon in every plain `facet` run.
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"]

    /// Whether this process was started by an MPI launcher (then `start()` initialises MPI).
    public static var launched: Bool {
        let env = ProcessInfo.processInfo.environment
        return launcherVariables.contains { env[$0] != nil }
    }

    nonisolated(unsafe) private static var started: MPICommunicator?

    /// Initialises MPI when a launcher started this process and returns the world, whose rank
    /// and size come from MPI itself; nil without a launcher (MPI is then never touched).
    /// MPI_Finalize runs at exit. Only the calling (main) thread may use MPI afterwards.
    public static func start() -> MPICommunicator? {
        if let started { return started }
        guard launched else { return nil }
        var provided: Int32 = 0
        // FUNNELED: the engine has worker threads, but only the main thread calls MPI.
        guard MPI_Init_thread(nil, nil, facet_mpi_thread_funneled(), &provided) == MPI_SUCCESS else {
            FileHandle.standardError.write(Data("facet: MPI_Init_thread failed\n".utf8))
            exit(1)
        }
        let world = MPICommunicator()
        started = world
        atexit { MPI_Finalize() }
        return world
    }

    private init() {
        world = facet_mpi_comm_world()
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(world, &r)
        MPI_Comm_size(world, &s)
        rank = Int(r); size = Int(s)
        var dup: MPI_Comm? = nil
        MPI_Comm_dup(world, &dup)
        status = dup ?? world
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress, values.count > 0 else { return }
        // Large buffers go in pieces below Int32.max elements (MPI counts are C ints).
        var offset = 0
        while offset < values.count {
            let n = min(values.count - offset, 1 << 30)
            MPI_Allreduce(facet_mpi_in_place(), base + offset, Int32(n), facet_mpi_float(), facet_mpi_sum(), world)
            offset += n
        }
    }

    public func allreduceSum(_ values: inout [Double]) {
        let n = Int32(values.count)
        values.withUnsafeMutableBufferPointer { p in
            _ = MPI_Allreduce(facet_mpi_in_place(), p.baseAddress, n, facet_mpi_double(), facet_mpi_sum(), world)
        }
    }

    public func broadcast(_ bytes: inout [UInt8], from root: Int) {
        var count = [Double(bytes.count)]
        count.withUnsafeMutableBufferPointer { p in _ = MPI_Bcast(p.baseAddress, 1, facet_mpi_double(), Int32(root), world) }
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(count[0])) }
        var offset = 0
        bytes.withUnsafeMutableBufferPointer { p in
            while offset < p.count {
                let n = min(p.count - offset, 1 << 30)
                MPI_Bcast(p.baseAddress! + offset, Int32(n), facet_mpi_byte(), Int32(root), world)
                offset += n
            }
        }
    }

    public func allgather(_ values: [Double]) -> [[Double]] {
        var all = [Double](repeating: 0, count: values.count * size)
        let n = Int32(values.count)
        values.withUnsafeBufferPointer { send in all.withUnsafeMutableBufferPointer { recv in
            _ = MPI_Allgather(send.baseAddress, n, facet_mpi_double(), recv.baseAddress, n, facet_mpi_double(), world)
        } }
        return (0..<size).map { Array(all[($0 * values.count)..<(($0 + 1) * values.count)]) }
    }

    public func agree(_ ok: Bool, within seconds: Double) -> [Bool]? {
        // Heap buffers: on a timeout the request stays pending (the caller aborts the job next),
        // so they are left allocated rather than freed under it.
        let mine = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
        let all = UnsafeMutablePointer<Int64>.allocate(capacity: size)
        mine.pointee = ok ? 1 : 0
        var request: MPI_Request? = facet_mpi_request_null()
        var done: Int32 = 0
        let deadline = Date().addingTimeInterval(seconds)
        MPI_Iallgather(mine, 1, facet_mpi_long(), all, 1, facet_mpi_long(), status, &request)
        while done == 0 {
            MPI_Test(&request, &done, facet_mpi_status_ignore())
            if done == 0 {
                if Date() > deadline { return nil }
                usleep(1000)
            }
        }
        let answers = (0..<size).map { all[$0] != 0 }
        mine.deallocate(); all.deallocate()
        return answers
    }

    public func abort(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        MPI_Abort(world, 1)
        exit(1)
    }
}
