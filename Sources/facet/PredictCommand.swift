import FacetFiles
import ArgumentParser
import FacetEngine
import FacetPredict
import Foundation

/// `facet predict`: a trained model's outputs for every face in photos.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detect every face in photos and print a trained model's outputs for each.",
        discussion: """
        The model is a .safetensors file written by save(run, path) in a notebook or the REPL: its \
        metadata carry the net, the face pipeline (detection, alignment, crop size) and the contrast \
        normalisation fitted on the training split, so new photos are prepared exactly as the training \
        data were. Folders are walked recursively (hidden files skipped). Files that cannot be read and \
        photos without a face are listed at the end (in --json as entries with an "error") and never \
        stop the batch; the exit status is 0 unless the model or the options are unusable or an \
        annotated copy could not be written.
        """)

    @Option(help: "Model file written by save(run, path).")
    var model: String

    @Argument(help: "Image files or folders.")
    var inputs: [String]

    @Flag(help: "Print one JSON document (full distributions and every regression output).")
    var json = false

    @Option(help: "Write copies of the photos with boxes and labels drawn into this folder.")
    var annotate: String?

    @Flag(help: "Write even over one of the inputs, a file of another kind or one this command did not write (docs/reliability.md).")
    var force = false

    @Option(help: "Faces per network call.")
    var batch: Int = 64

    @Option(help: "Photos decoded, detected and aligned in parallel (default: one per core); the output does not depend on it.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Align a face from its photo-wide detection when its eyes are found there, without searching its cut-out again: faster, but boxes and eyes can move by a few pixels (off: the same faces as training's alignment).")
    var alignFromDetection = false

    @Option(help: "Threads for OpenBLAS and the engine.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        Engine.threads = threads
        let loaded: PredictionModel
        do { loaded = try PredictionModel(contentsOf: model) } catch {
            note("error: \(FileFailure.describe(error))")
            throw ExitCode(1)
        }
        if let annotate {
            // Before the batch, so a bad folder fails in a second, not after the whole run.
            do { try FileManager.default.createDirectory(atPath: annotate, withIntermediateDirectories: true) } catch {
                note("error: --annotate \(annotate): cannot create the folder (\(FileFailure.reason(error)))")
                throw ExitCode(1)
            }
        }
        let predictor: Predictor
        do { predictor = try Predictor(model: loaded, batchSize: batch) } catch {
            note("error: \(FileFailure.describe(error))")
            throw ExitCode(1)
        }
        predictor.workers = workers
        predictor.alignFromDetection = alignFromDetection
        let files = Predictor.inputFiles(inputs)
        let report = try predictor.predict(files: files)
        print(json ? try report.json(model: loaded) : report.text, terminator: json ? "\n" : "")
        fflush(stdout)  // results before the notes on stderr when both go to one terminal

        var status: Int32 = 0
        if let annotate {
            let (written, failed) = try report.annotate(into: annotate, inputs: files, force: force)
            note("annotated \(written.count) image\(written.count == 1 ? "" : "s") into \(annotate)")
            for f in failed { note("error: \(f.path): \(f.error)") }
            if !failed.isEmpty { status = 1 }
        }
        let faces = report.faceCount, seconds = report.alignSeconds + report.networkSeconds
        note(String(format: "%d face%@ in %d file%@: detection+alignment %.2f s (%d worker%@), network %.3f s in %d batch%@; %.1f photos/s, %.1f faces/s",
                    faces, faces == 1 ? "" : "s", files.count, files.count == 1 ? "" : "s", report.alignSeconds, report.workers,
                    report.workers == 1 ? "" : "s", report.networkSeconds, report.batches, report.batches == 1 ? "" : "es",
                    seconds > 0 ? Double(files.count) / seconds : 0, seconds > 0 ? Double(faces) / seconds : 0))
        if status != 0 { throw ExitCode(status) }
    }

    private func note(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
