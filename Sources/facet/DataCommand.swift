import FacetFiles
import ArgumentParser
import FacetEngine
import FacetVision
import Foundation

/// `facet data`: inspect data sets and the face pipeline.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Load data sets and inspect the face pipeline.",
        subcommands: [DataInfo.self, DataShow.self, DataAlign.self, Synth.self])
}

/// Face-pipeline knobs shared by `data info` and `data align`.
struct PipelineFlags: ParsableArguments {
    @Option(help: "Side N of the square crops.")
    var size: Int = 48
    @Flag(help: "Skip face detection: use the centre square of each image.")
    var noDetect = false
    @Flag(help: "Do not rotate to level the eye line.")
    var noLevel = false
    @Flag(help: "Scale by the face box width instead of the eye distance.")
    var boxScale = false
    @Flag(help: "Drop images with no detected face (default: keep the whole image; listed either way).")
    var dropNoFace = false
    @Option(help: "Haar cascade for faces.")
    var faceCascade: String?
    @Option(help: "Haar cascade for eyes.")
    var eyeCascade: String?
    @Option(help: "Face detector pyramid step (> 1).")
    var scaleFactor: Double = FacePipeline().scaleFactor
    @Option(help: "Face detector: neighbouring hits needed to accept a face.")
    var minNeighbors: Int = 4
    @Option(help: "Smallest face side in pixels (after upsampling small images).")
    var minFace: Int = 30
    @Option(help: "Images whose shorter side is below this are upsampled to it before detection.")
    var upsampleBelow: Int = FacePipeline().upsampleBelow
    @Option(help: "Retry detection with the image turned by ± this many degrees when upright search fails (0: off).")
    var tiltSearch: Double = FacePipeline().tiltSearch
    @Option(help: "Parallel alignment workers (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    var pipeline: FacePipeline {
        var p = FacePipeline(size: size)
        p.detectFaces = !noDetect
        p.levelEyes = !noLevel
        p.scaleByEyes = !boxScale
        p.whenNoFace = dropNoFace ? .drop : .keepWholeImage
        if let faceCascade { p.faceCascade = faceCascade }
        if let eyeCascade { p.eyeCascade = eyeCascade }
        p.scaleFactor = scaleFactor
        p.minNeighbors = minNeighbors
        p.minFaceSize = minFace
        p.upsampleBelow = upsampleBelow
        p.tiltSearch = tiltSearch
        return p
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
func terminalProgress(_ label: String) -> LoadProgress? {
    guard isatty(2) != 0 else { return nil }
    return { done, total in
        let line = "\r\(label) \(done)/\(total)" + (done == total ? "\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}

struct DataInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Load a FER2013 CSV, manifest CSV or class folder and print counts and the pipeline summary.")

    @Argument(help: "FER2013 CSV, manifest CSV (path,<attribute>...) or folder with one sub-folder per class.")
    var source: String
    @OptionGroup var flags: PipelineFlags
    @Option(help: "Random split train/valid/test in percent, e.g. 80/10/10 (default: the source's own split if it has one, else 80/10/10).")
    var split: String?
    @Option(help: "Seed of the random split.")
    var seed: UInt64 = 0
    @Option(help: "Stratify the random split by this attribute.")
    var stratify: String?
    @OptionGroup var cache: ProcessedDataCacheFlags
    @Option(help: "Manifest column to read as a regression target (repeatable).")
    var target: [String] = []

    func run() throws {
        let (dataset, kind) = try loadForInspection(source, flags: flags, cache: cache, split: try splitPlan(), targets: target)
        print(report(dataset, kind: kind))
    }

    private func splitPlan() throws -> SplitPlan {
        guard split != nil || stratify != nil else { return .automatic }
        let parts = (split ?? "80/10/10").split(separator: "/").compactMap { Double($0) }
        guard parts.count == 3, abs(parts.reduce(0, +) - 100) < 1e-6 else {
            throw ValidationError("--split must be three percentages that sum to 100, e.g. 80/10/10")
        }
        return .random(train: parts[0] / 100, valid: parts[1] / 100, seed: seed, stratifyBy: stratify)
    }

    private func report(_ d: FaceDataset, kind: DatasetSource) -> String {
        var lines: [String] = []
        let kindName: String
        switch kind {
        case .fer2013: kindName = "FER2013 CSV"
        case .manifest: kindName = "manifest"
        case .folder: kindName = "class folder"
        }
        lines.append("\(source): \(kindName), \(d.count) samples of \(d.size)×\(d.size)")
        let counts = d.splitCounts
        lines.append("splits: " + Split.allCases.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
            + (d.sourceSplits != nil ? " (from the source)" : ""))
        lines += CountsTable(d).textLines()
        if !d.targetNames.isEmpty { lines.append("regression targets: " + d.targetNames.joined(separator: ", ")) }
        lines += d.summary.lines()
        return lines.joined(separator: "\n")
    }
}

/// Where `data info` and `data show` keep aligned crops.
struct ProcessedDataCacheFlags: ParsableArguments {
    @Option(help: "Processed-data cache folder (default: \(CacheFolder.rule)).")
    var cacheDir: String?
    @Flag(help: "Do not read or write the processed-data cache.")
    var noCache = false
}

/// Loads a source through the face pipeline for `data info` and `data show`.
func loadForInspection(_ source: String, flags: PipelineFlags, cache: ProcessedDataCacheFlags, split: SplitPlan,
                       targets: [String] = []) throws -> (FaceDataset, DatasetSource) {
    var options = LoadOptions()
    options.pipeline = flags.pipeline
    options.workers = max(1, flags.workers)
    options.memoryProblem = { MemoryLimit.current.problem(bytes: $0, for: $1) }
    if cache.noCache { options.cacheDirectory = nil } else if let dir = cache.cacheDir { options.cacheDirectory = URL(fileURLWithPath: dir) }
    options.split = split
    var kind = try DatasetSource.detect(source)
    if case let .manifest(path, _) = kind { kind = .manifest(path, ManifestOptions(targetColumns: targets)) }
    return (try FaceDataset.load(kind, options: options, progress: terminalProgress("aligning")), kind)
}

struct DataShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Write a PNG grid of aligned crops from a FER2013 CSV, manifest or class folder, to check the face pipeline before training.")

    @Argument(help: "FER2013 CSV, manifest CSV (path,<attribute>...) or folder with one sub-folder per class.")
    var source: String
    @Option(help: "How many crops (all of them when the data have fewer).")
    var n: Int = 64
    @Option(help: "One row per class of this attribute.")
    var by: String?
    @Option(help: "Seed of the random choice of crops.")
    var seed: UInt64 = 0
    @Flag(help: "Show the crops after global contrast normalisation (as `gcn` does), as a network sees them.")
    var gcn = false
    @Option(help: "The PNG file to write.")
    var out: String
    @Flag(help: "Write even over one of the inputs, a file of another kind or one this command did not write (docs/reliability.md).")
    var force = false

    @OptionGroup var flags: PipelineFlags
    @OptionGroup var cache: ProcessedDataCacheFlags

    func validate() throws {
        guard n > 0 else { throw ValidationError("--n must be at least 1, got \(n)") }
        guard out.lowercased().hasSuffix(".png") else { throw ValidationError("--out must name a .png file, got \(out)") }
        if let problem = FileFailure.problemWriting(out) { throw ValidationError("cannot write \(out): \(problem)") }
        if let problem = OutputRule.problem(writing: out, produces: .png, inputs: [source], replacesOwn: true, force: force) {
            throw ValidationError("cannot write \(out): \(problem)")
        }
    }

    func run() throws {
        var (dataset, _) = try loadForInspection(source, flags: flags, cache: cache, split: .automatic)
        if let by, dataset.classes[by] == nil {
            let has = dataset.attributes.isEmpty ? "no attributes" : "attributes " + dataset.attributes.joined(separator: ", ")
            throw ValidationError("--by \(by): \(source) has no attribute '\(by)'; it has \(has)")
        }
        guard dataset.count > 0 else { throw ValidationError("\(source) holds no face crops: there is nothing to show") }
        if gcn { dataset = try dataset.normalised(ContrastNormalisation()) }
        let start = Date()
        let selection = try dataset.sampleSelection(n: n, by: by, seed: seed)
        let grid = try dataset.sampleGrid(selection, captionLines: 3) { dataset.labelCaption($0, skipping: by) }
        let png = try grid.png()
        do { try png.write(to: URL(fileURLWithPath: out), options: .atomic) }
        catch { throw ValidationError("cannot write \(out): \(FileFailure.describe(error))") }
        let seconds = Date().timeIntervalSince(start)
        print("wrote \(out): \(selection.indices.count) crops of \(dataset.size)×\(dataset.size) from \(dataset.count) samples"
            + (by.map { ", one row per \($0)" } ?? "") + String(format: " (%.2f s, %d×%d px)", seconds, grid.width, grid.height))
        if let note = selection.note { print("note: \(note)") }
    }
}

struct DataAlign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Write aligned face crops of images (or folders of images) as PNG files.")

    @Argument(help: "Image files or folders (searched recursively).")
    var inputs: [String]
    @Option(help: "Output folder (created if needed).")
    var out: String
    @Flag(help: "Write even over one of the inputs, a file of another kind or one this command did not write (docs/reliability.md).")
    var force = false

    @OptionGroup var flags: PipelineFlags

    func run() throws {
        let images = try collectImages()
        guard !images.isEmpty else { throw ValidationError("no image files found in \(inputs.joined(separator: ", "))") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let pipeline = flags.pipeline
        let start = Date()
        let result = try alignImages(images.map(\.path), pipeline: pipeline, workers: max(1, flags.workers),
                                     progress: terminalProgress("aligning"))
        var written = 0, skippedWrites = 0
        var names = Set<String>()
        for (i, image) in images.enumerated() {
            guard let crop = result.crops[i] else { continue }
            var name = image.outputName
            var n = 2
            while !names.insert(name).inserted { name = image.outputName + "-\(n)"; n += 1 }
            let target = URL(fileURLWithPath: out).appendingPathComponent(name + ".png").path
            // A crop never replaces a photo (--out inside the input folder) or another kind of file.
            if let problem = OutputRule.problem(writing: target, produces: .png, inputs: images.map(\.path), replacesOwn: true, force: force) {
                printError("\(image.path): not written: cannot write \(target): \(problem)")
                skippedWrites += 1
                continue
            }
            try crop.write(to: target)
            written += 1
        }
        var summary = result.summary
        summary.seconds = Date().timeIntervalSince(start)
        print("wrote \(written) crops of \(pipeline.size)×\(pipeline.size) to \(out)")
        print(summary.lines(limit: 50).joined(separator: "\n"))
        if !summary.unreadable.isEmpty || skippedWrites > 0 { throw ExitCode(1) }
    }

    private struct Input { var path: String; var outputName: String }

    /// Files as given; images in folders as `FaceImageFiles.files(in:)` finds them (output names
    /// keep the relative path, '/' → '_').
    private func collectImages() throws -> [Input] {
        func stem(_ path: String) -> String { (path as NSString).deletingPathExtension.replacingOccurrences(of: "/", with: "_") }
        var found: [Input] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ValidationError("\(input): no such file or folder")
            }
            guard isDirectory.boolValue else {
                found.append(Input(path: input, outputName: stem((input as NSString).lastPathComponent)))
                continue
            }
            found += try FaceImageFiles.files(in: input).filter(\.isImage).map { Input(path: $0.path, outputName: stem($0.relativePath)) }
        }
        return found
    }
}
