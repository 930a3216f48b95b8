import FacetCache
import FacetEngine
import FacetWeights
import Foundation
import XCTest
@testable import FacetSession

/// The training pipeline in one process: the caching and distributed stages around a fake engine
/// stage, the ranks as a scripted fake `Collective`. These check each stage's own concern — what is
/// restored, stored, told to the other ranks and heard from rank 0 — not MPI itself (FacetMPITests
/// runs real ranks under mpirun: a rank that dies, a cell failing on one rank, equal weights).
final class TrainerPipelineTests: XCTestCase {
    // MARK: fakes

    /// A stage that "trains" by recording the call; its history's `seconds` is the job's epochs.
    final class FakeEngine: JobTrainer {
        var calls: [(resume: Bool, options: TrainingOptions)] = []
        var failure: Error?
        func train(_ job: TrainingJob, resume: TrainingState?, starting: (TrainingStart) throws -> Void) throws -> TrainingHistory {
            if let failure { throw failure }
            try starting(resume.map { .resume($0) } ?? .fresh)
            calls.append((resume != nil, job.options))
            var h = TrainingHistory()
            h.seconds = Double(job.options.epochs)   // a mark of who trained it
            return h
        }
        func trainRuns(_ jobs: [TrainingJob]) throws -> [TrainingHistory] { try jobs.map { try train($0) } }
        func lookUp(_ job: TrainingJob) -> (token: String?, history: TrainingHistory?) { (nil, nil) }
        func keep(_ job: TrainingJob, _ history: TrainingHistory, token: String?) {}
    }

    /// One rank of `size`: what it broadcasts is recorded; what it receives from another root is
    /// taken from `inbox`, in order. `agree` answers `answers`; `abort` records its message and
    /// parks the calling thread (it must not return), signalling `aborted`.
    final class ScriptedRanks: Collective, @unchecked Sendable {
        let rank: Int, size: Int
        var sent: [[UInt8]] = []
        var inbox: [[UInt8]] = []
        var answers: [Bool]?
        var abortMessage: String?
        let aborted = DispatchSemaphore(value: 0)
        init(rank: Int, size: Int = 2) { self.rank = rank; self.size = size }
        func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {}
        func allreduceSum(_ values: inout [Double]) {}
        func broadcast(_ bytes: inout [UInt8], from root: Int) {
            if root == rank { sent.append(bytes) } else { bytes = inbox.removeFirst() }
        }
        func allgather(_ values: [Double]) -> [[Double]] { Array(repeating: values, count: size) }
        func agree(_ ok: Bool, within seconds: Double) -> [Bool]? { answers }
        func abort(_ message: String) -> Never {
            abortMessage = message
            aborted.signal()
            while true { DispatchSemaphore(value: 0).wait() }
        }
    }

    static let spec = NetSpec(input: FeatureShape(channels: 1, height: 4, width: 4), layers: [.dense(units: 3)],
                              heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])

    func job(epochs: Int = 2, network: Network? = nil) throws -> TrainingJob {
        var options = TrainingOptions()
        options.epochs = epochs; options.batchSize = 2
        let data = LabeledData(inputs: Tensor(shape: [4, 1, 4, 4], data: (0..<64).map { Float($0) / 64 }),
                               targets: ["out": .classes([0, 1, 0, 1])])
        return TrainingJob(network: try network ?? Network(spec: Self.spec, seed: 1), label: "tiny()", dataName: "d",
                           options: options, train: data, valid: nil, origin: "t, line 1: train(tiny(), d)",
                           failure: { FailureAtCall(message: $0) })
    }

    struct FailureAtCall: Error, Equatable { var message: String }

    func cacheFolder() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-pipeline-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func silent() -> TrainingVoice { TrainingVoice(line: { _ in }, note: { _ in }, warn: { _ in }) }

    // MARK: the caching stage

    func testACachingStageTrainsOnceThenRestoresWithoutItsInnerStage() throws {
        let engine = FakeEngine()
        var events: [CacheEvent.Outcome] = []
        let cached = CachingTrainer(wrapping: engine, policy: CachePolicy(directory: cacheFolder()), voice: silent(),
                                    record: { events.append($0.outcome) })
        var starts: [String] = []
        let first = try cached.train(try job(), resume: nil, starting: { starts.append("\($0)") })
        XCTAssertEqual(first.seconds, 2)
        let again = try cached.train(try job(), resume: nil, starting: { starts.append("\($0)") })
        XCTAssertEqual(again, first, "the stored history comes back")
        XCTAssertEqual(engine.calls.count, 1, "the second training never reached the engine stage")
        XCTAssertEqual(events, [.trained, .hit])
        XCTAssertEqual(starts.count, 2)
        XCTAssertTrue(starts[1].hasPrefix("restored"), starts[1])
    }

    func testACachingStageWithTheCacheOffPassesEverythingThrough() throws {
        let engine = FakeEngine()
        var events: [CacheEvent.Outcome] = []
        let cached = CachingTrainer(wrapping: engine, policy: .off, voice: silent(), record: { events.append($0.outcome) })
        _ = try cached.train(try job())
        _ = try cached.train(try job())
        XCTAssertEqual(engine.calls.count, 2)
        XCTAssertEqual(events, [.uncached, .uncached])
        XCTAssertEqual(cached.lookUp(try job()).token, nil)
    }

    // MARK: the distributed stage

    func testRankZeroTellsTheOthersHowTrainingStartsBeforeTraining() throws {
        let engine = FakeEngine(), ranks = ScriptedRanks(rank: 0)
        let distributed = DistributedTrainer(wrapping: engine, ranks: ranks)
        _ = try distributed.train(try job())
        XCTAssertEqual(ranks.sent, [[0]], "one broadcast: start fresh")
        XCTAssertTrue(engine.calls[0].options.collective === ranks, "the engine stage splits batches over the ranks")
    }

    func testAnotherRankRestoresRankZerosResultWithoutTraining() throws {
        let engine = FakeEngine(), ranks = ScriptedRanks(rank: 1)
        let trained = try Network(spec: Self.spec, seed: 99)
        var history = TrainingHistory()
        history.seconds = 3
        ranks.inbox = [[2] + [UInt8](try TrainedResult.encode(trained, history))]
        let mine = try Network(spec: Self.spec, seed: 1)
        let got = try DistributedTrainer(wrapping: engine, ranks: ranks).train(try job(network: mine))
        XCTAssertEqual(got, history)
        XCTAssertTrue(engine.calls.isEmpty, "rank 1 did not train")
        XCTAssertEqual(mine.weightEntries.mapValues(\.values), trained.weightEntries.mapValues(\.values), "rank 0's weights loaded")
    }

    func testRankZeroFailingBeforeItDecidesFailsTheOthersWithItsMessage() throws {
        let engine = FakeEngine(), zero = ScriptedRanks(rank: 0)
        engine.failure = FailureAtCall(message: "stopped while waiting")
        XCTAssertThrowsError(try DistributedTrainer(wrapping: engine, ranks: zero).train(try job()))
        XCTAssertEqual(zero.sent.first?.first, 3, "rank 0 told the others it failed")
        let one = ScriptedRanks(rank: 1)
        one.inbox = zero.sent
        XCTAssertThrowsError(try DistributedTrainer(wrapping: FakeEngine(), ranks: one).train(try job())) { error in
            XCTAssertEqual((error as? FailureAtCall)?.message, "FailureAtCall(message: \"stopped while waiting\")")
        }
    }

    func testWholeRunsGoToRanksInTurnAndEveryRankEndsWithAll() throws {
        // Rank 1 of 2, three runs, no cache hits: it trains run 1 and receives runs 0 and 2.
        let engine = FakeEngine(), ranks = ScriptedRanks(rank: 1)
        let jobs = try (0..<3).map { _ in try job(epochs: 1) }
        var received = TrainingHistory()
        received.seconds = 7
        let fromZero = [UInt8](try TrainedResult.encode(try Network(spec: Self.spec, seed: 5), received))
        ranks.inbox = [[0], [0], [0], fromZero, fromZero]   // three "no hit" decisions, then runs 0 and 2
        let histories = try DistributedTrainer(wrapping: engine, ranks: ranks).trainRuns(jobs)
        XCTAssertEqual(engine.calls.count, 1, "rank 1 trained one run of three")
        XCTAssertEqual(histories.map(\.seconds), [7, 1, 7])
        XCTAssertEqual(ranks.sent.count, 1, "and sent it to the others")
    }

    // MARK: one writer, and a cell failing on one rank

    func testOnlyRankZeroWrites() {
        XCTAssertTrue(OutputPolicy(collective: nil).writes)
        XCTAssertTrue(OutputPolicy(collective: ScriptedRanks(rank: 0)).writes)
        let other = OutputPolicy(collective: ScriptedRanks(rank: 1))
        XCTAssertFalse(other.writes)
        XCTAssertEqual(other.progress(.plain), .quiet)
        XCTAssertNil(other.cache(CachePolicy(directory: URL(fileURLWithPath: "/tmp"))).directory)
        var written: [String] = []
        other.writer { written.append($0) }("x")
        XCTAssertEqual(written, [])
    }

    func testACellFailingOnOneRankEndsTheJobNamingIt() throws {
        let session = try Session(progress: .quiet, loadStdlib: false)
        let ranks = ScriptedRanks(rank: 1)
        ranks.answers = [true, false]
        session.collective = ranks
        Thread.detachNewThread { session.agreeOnCell(failed: true, message: "t:1:1: error: no such file") }
        XCTAssertEqual(ranks.aborted.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(ranks.abortMessage, "facet: rank 1 failed: t:1:1: error: no such file")
    }
}
