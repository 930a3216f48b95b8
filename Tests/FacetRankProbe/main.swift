// facet-rank-probe: a test-only program for MPITests, run under mpirun like `facet run`. It runs one
// notebook through NotebookRunner over the real MPI world, optionally through a Collective that
// injects a fault, and afterwards writes what each rank holds, so the tests can check the ranks
// without any test hook in Facet itself.
//
//   facet-rank-probe NOTEBOOK REPORT [--cache DIR] [--weights DIR] [--kill-rank R]
//     --cache DIR     the result cache (default: off)
//     --weights DIR   every rank writes the trained network bound to `run` as DIR/w.rankR.safetensors
//     --kill-rank R   rank R kills itself with SIGKILL at its first allreduce (a rank that dies in
//                     the middle of training, as a crashed node would)
import FacetCache
import FacetEngine
import FacetLang
import FacetMPI
import FacetNotebook
import FacetSession
import FacetWeights
import Foundation

/// The real world's operations, with rank `killRank` dying at its first gradient allreduce.
final class DyingRankCollective: Collective, @unchecked Sendable {
    let world: MPICommunicator
    let killRank: Int?
    init(_ world: MPICommunicator, killRank: Int?) { self.world = world; self.killRank = killRank }
    var rank: Int { world.rank }
    var size: Int { world.size }
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        if killRank == rank { kill(getpid(), SIGKILL) }
        world.allreduceSum(values)
    }
    func allreduceSum(_ values: inout [Double]) { world.allreduceSum(&values) }
    func broadcast(_ bytes: inout [UInt8], from root: Int) { world.broadcast(&bytes, from: root) }
    func allgather(_ values: [Double]) -> [[Double]] { world.allgather(values) }
    func agree(_ ok: Bool, within seconds: Double) -> [Bool]? { world.agree(ok, within: seconds) }
    func abort(_ message: String) -> Never { world.abort(message) }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("facet-rank-probe: \(message)\n".utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    defer { args.removeSubrange(i...(i + 1)) }
    return args[i + 1]
}
let cache = option("--cache"), weights = option("--weights"), killRank = option("--kill-rank").flatMap { Int($0) }
guard args.count == 2 else { fail("usage: facet-rank-probe NOTEBOOK REPORT [--cache DIR] [--weights DIR] [--kill-rank R]") }
guard let world = MPICommunicator.start() else { fail("run me under mpirun") }

var options = NotebookRunner.Options()
options.progress = .quiet
options.cache = CachePolicy(directory: cache.map { URL(fileURLWithPath: $0) })
options.collective = DyingRankCollective(world, killRank: killRank)
do {
    let result = try NotebookRunner(notebook: Notebook(contentsOf: args[0]), options: options)
        .run(writingTo: URL(fileURLWithPath: args[1]))
    if let weights, case let .foreign(f)? = result.session.interpreter.globals.lookup("run"), let run = f as? RunValue {
        try Safetensors.write(run.network.network.weightEntries,
                              to: URL(fileURLWithPath: weights).appendingPathComponent("w.rank\(world.rank).safetensors"))
    }
    exit(result.succeeded ? 0 : 1)
} catch {
    fail("\(error)")
}
