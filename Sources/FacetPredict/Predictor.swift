import FacetEngine
import FacetVision
import FacetFiles
import Foundation

/// Runs a saved model on photos: finds every face, aligns it as training did, and evaluates the
/// network in batches (one network call per batch of faces, across images).
public final class Predictor {
    /// The model applied.
    public let model: PredictionModel
    /// Faces per network call.
    public let batchSize: Int
    /// Photos decoded, detected and aligned in parallel (one cascade pair each). The report does not
    /// depend on it: results are put back in input order, and each photo's faces come from one worker.
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Align a face from its photo-wide detection when its eyes are found there, skipping the
    /// cut-out's second search (`FaceAligner.alignAll`'s `fromDetection`): faster, but boxes and eyes
    /// can move by a few pixels, so it is off by default.
    public var alignFromDetection = false

    /// A predictor for `model`; `batchSize` must be at least 1 and its forward passes must fit the
    /// memory limit (refused here, before any photo is read).
    public init(model: PredictionModel, batchSize: Int = 64) throws {
        guard batchSize >= 1 else { throw PredictError("batch size must be at least 1, got \(batchSize)") }
        if let problem = try model.network.spec.memory(.inference(batch: batchSize)).problem() {
            throw PredictError("\(model.path): \(problem)")
        }
        self.model = model
        self.batchSize = batchSize
    }

    /// The files to read: files as given, folders walked by `FaceImageFiles.files(in:)` (recursive,
    /// sorted, hidden entries skipped). Non-image files found in a folder are kept, so they are
    /// reported rather than dropped, as is a path that does not exist or a folder that cannot be listed.
    public static func inputFiles(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
                  let found = try? FaceImageFiles.files(in: path) else { return [path] }
            return found.map(\.path)
        }
    }

    /// Predicts every face in `files` (no folder expansion; see `inputFiles`). Per-file failures
    /// become entries with an error; only a broken model or cascade throws.
    public func predict(files: [String]) throws -> PredictionReport {
        let start = Date()
        let (found, failures) = try alignAll(files)
        let alignSeconds = Date().timeIntervalSince(start)

        // Faces in input order, so batches span images and every batch but the last is full.
        var queue: [(image: Int, face: Int)] = []
        for (i, faces) in found.enumerated() { queue += faces.indices.map { (i, $0) } }
        let n = model.pipeline.size * model.pipeline.size
        var outputs: [[(name: String, prediction: HeadPrediction)]] = []
        outputs.reserveCapacity(queue.count)
        var batches = 0
        let networkStart = Date()
        for first in stride(from: 0, to: queue.count, by: batchSize) {
            let batch = queue[first..<min(queue.count, first + batchSize)]
            // x: [B, 1, N, N], each crop contrast-normalised exactly as the training set was read.
            var x = [Float](repeating: 0, count: batch.count * n)
            x.withUnsafeMutableBufferPointer { buffer in
                for (row, item) in batch.enumerated() {
                    let slot = UnsafeMutableBufferPointer(rebasing: buffer[(row * n)..<((row + 1) * n)])
                    model.preprocessing.normalise(found[item.image][item.face].crop.pixels, into: slot)
                }
            }
            let heads = try model.network.predict(Tensor(shape: [batch.count, 1, model.pipeline.size, model.pipeline.size], data: x))
            batches += 1
            for row in 0..<batch.count { outputs.append(decode(heads, row: row)) }
        }
        let networkSeconds = Date().timeIntervalSince(networkStart)

        var images = files.map { ImagePrediction(path: $0, faces: [], error: nil) }
        for (k, item) in queue.enumerated() {
            let face = found[item.image][item.face]
            images[item.image].faces.append(FacePrediction(
                box: face.faceBox ?? FaceBox(x: 0, y: 0, width: 0, height: 0), eyes: face.eyes, alignment: face.outcome,
                heads: outputs[k]))
        }
        for (i, error) in failures where images[i].faces.isEmpty { images[i].error = error }
        return PredictionReport(images: images, batches: batches, alignSeconds: alignSeconds, networkSeconds: networkSeconds,
                                workers: max(1, min(workers, files.count)))
    }

    /// Detects and aligns every face of every file in parallel (FacetVision's `BatchAligner`); also
    /// returns why files without faces have none, by file index.
    private func alignAll(_ files: [String]) throws -> (faces: [[AlignedFace]], failures: [Int: String]) {
        let results = try BatchAligner(pipeline: model.pipeline, workers: workers)
            .alignEveryFace(count: files.count, order: Self.largestFirst(files), fromDetection: alignFromDetection) {
                try Self.readImage(files[$0])
            }
        var found: [[AlignedFace]] = []
        var failures: [Int: String] = [:]
        for (i, result) in results.enumerated() {
            switch result {
            case let .success(faces):
                found.append(faces)
                if faces.isEmpty { failures[i] = "no face found" }
            case let .failure(error):
                found.append([])
                failures[i] = "\(error)"
            }
        }
        return (found, failures)
    }

    /// File indices by decreasing file size (ties and unreadable sizes in input order): the biggest
    /// photos, which take longest, start first, so the workers do not wait on one at the end.
    static func largestFirst(_ files: [String]) -> [Int] {
        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 }
        return files.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
    }

    /// Why a file could not be read, worded for a list that already shows the path.
    private struct ReadFailure: Error, CustomStringConvertible { var description: String }

    /// The image in `path`, or a `ReadFailure` saying why it cannot be read.
    private static func readImage(_ path: String) throws -> GrayImage {
        if let why = InputFile.problem(path) { throw ReadFailure(description: why) }
        guard FileManager.default.isReadableFile(atPath: path) else { throw ReadFailure(description: "not readable (permission denied)") }
        do { return try GrayImage(contentsOf: path) } catch {
            // CVision's message starts with the path, which the output already shows.
            let message = "\(error)"
            throw ReadFailure(description: message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message)
        }
    }

    /// Head outputs of batch row `row`, with names.
    private func decode(_ heads: [String: Tensor], row: Int) -> [(name: String, prediction: HeadPrediction)] {
        model.network.heads.map { head in
            let spec = head.spec, k = spec.kind.outputs
            let values = heads[spec.name].map { Array($0.data[(row * k)..<((row + 1) * k)]) } ?? []
            let named = values.enumerated().map { (model.name(of: spec, output: $0.offset), Double($0.element)) }
            switch spec.kind {
            case .softmax:
                // Stable order for ties: by probability, then the head's class order.
                let ranked = named.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
                return (spec.name, .classes(ranked.map { (name: $0.element.0, probability: $0.element.1) }))
            case .sigmoid: return (spec.name, .labels(named.map { (name: $0.0, probability: $0.1) }))
            case .regress: return (spec.name, .values(named.map { (name: $0.0, value: $0.1) }))
            }
        }
    }
}
