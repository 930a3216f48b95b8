import FacetFiles
import Foundation

/// Where a data set comes from.
public enum DatasetSource: Sendable, Equatable {
    /// A FER2013 CSV (`emotion,pixels,Usage`).
    case fer2013(String)
    /// A manifest CSV (`path,<attribute>...`).
    case manifest(String, ManifestOptions = ManifestOptions())
    /// A folder with one sub-folder of images per class.
    case folder(String)

    /// Guesses the kind from the path: a directory is a class folder; a CSV whose header has a
    /// `pixels` column, or whose first row starts with a digit (headerless FER2013), is FER2013;
    /// any other file is a manifest.
    public static func detect(_ path: String) throws -> DatasetSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VisionError("\(path): no such file or folder")
        }
        if isDirectory.boolValue { return .folder(path) }
        let file = try MappedFile(path: path)
        let head = file.bytes.prefix(4096)
        let firstLine = head.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? head[...]
        let text = String(decoding: firstLine, as: UTF8.self).lowercased()
        let fields = text.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"\u{FEFF}")) }
        if fields.contains("pixels") || fields.first?.first?.isNumber == true { return .fer2013(path) }
        return .manifest(path)
    }

    var path: String {
        switch self {
        case let .fer2013(path), let .manifest(path, _), let .folder(path): return path
        }
    }

    var kind: String {
        switch self {
        case .fer2013: return "fer2013"
        case .manifest: return "manifest"
        case .folder: return "folder"
        }
    }
}

/// How to load a data set: face pipeline, split, contrast normalisation, cache.
public struct LoadOptions: Sendable {
    /// Face-location normalisation settings (part of the cache key).
    public var pipeline = FacePipeline()
    /// How samples are split into train/valid/test.
    public var split: SplitPlan = .automatic
    /// Contrast normalisation applied on read (statistics fitted on the training split).
    public var normalisation = ContrastNormalisation()
    /// Where processed data is cached; nil disables the cache.
    public var cacheDirectory: URL? = LoadOptions.defaultCacheDirectory
    /// Parallel alignment workers.
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Why `bytes` for `what` would not fit in memory, or nil (the caller's memory limit: the
    /// kernel and `facet data` pass `MemoryLimit.problem(bytes:for:)`); asked once the number of
    /// samples is known, before any image is decoded.
    public var memoryProblem: (@Sendable (_ bytes: Double, _ what: String) -> String?)?

    /// Default options: full pipeline at 48×48, automatic split, full GCN, default cache.
    public init() {}

    /// The one cache folder rule (`CacheFolder.rule`), shared with the result cache.
    public static var defaultCacheDirectory: URL { CacheFolder.base() }
}

extension FaceDataset {
    /// Loads a FER2013 CSV, manifest or class folder (kind detected from the path).
    public static func load(path: String, options: LoadOptions = LoadOptions(),
                            progress: LoadProgress? = nil) throws -> FaceDataset {
        try load(DatasetSource.detect(path), options: options, progress: progress)
    }

    /// Loads a data set: parse the source, align every image (or map the processed-data cache),
    /// split, and set up contrast normalisation.
    public static func load(_ source: DatasetSource, options: LoadOptions = LoadOptions(),
                            progress: LoadProgress? = nil) throws -> FaceDataset {
        let start = Date()
        try options.pipeline.validate()
        let key = try cacheKey(source, pipeline: options.pipeline)
        let cache = options.cacheDirectory.map(DatasetCache.init(directory:))
        let name = URL(fileURLWithPath: source.path).lastPathComponent
        let cacheURL = cache?.url(name: name, key: key)

        var dataset: FaceDataset
        if let cache, let cacheURL, let cached = cache.load(key: key, at: cacheURL) {
            dataset = cached
            progress?(dataset.count, dataset.count)
        } else {
            let list = try samples(of: source)
            let side = options.pipeline.size
            if let problem = options.memoryProblem?(imageSetBytes(count: list.count, side: side), "\(list.count) crops of \(side)×\(side)") {
                throw VisionError("\(source.path): \(problem)")
            }
            dataset = try list.aligned(by: options.pipeline, workers: options.workers, progress: progress)
            if let cache, let cacheURL {
                do {
                    try cache.store(dataset, key: key, at: cacheURL)
                    // Swap the heap copy for the mapped file: memory no longer grows with the data set.
                    if var mapped = cache.load(key: key, at: cacheURL) {
                        mapped.summary.fromCache = false
                        mapped.summary.alignSeconds = dataset.summary.alignSeconds
                        dataset = mapped
                    }
                } catch {
                    dataset.summary.notes.append("processed-data cache not written: \(error)")
                }
            }
        }
        dataset.splits = try assignSplits(count: dataset.count, plan: options.split, given: dataset.sourceSplits,
                                          labels: dataset.labels)
        dataset = try dataset.normalised(options.normalisation)
        dataset.summary.seconds = Date().timeIntervalSince(start)
        return dataset
    }

    private static func samples(of source: DatasetSource) throws -> SampleList {
        switch source {
        case let .fer2013(path): return try FER2013Source(path: path).samples()
        case let .manifest(path, options): return try ManifestSource(path: path, options: options).samples()
        case let .folder(path): return try FolderSource(path: path).samples()
        }
    }

    /// Fingerprint of the source and every setting that changes the aligned crops.
    static func cacheKey(_ source: DatasetSource, pipeline: FacePipeline) throws -> UInt64 {
        var print = Fingerprint()
        // Bump when the alignment code changes what it produces, so old caches are not reused.
        print.add("facet-processed-data-v1")
        print.add(source.kind)
        switch source {
        case let .fer2013(path): try FER2013Source(path: path).fingerprint(into: &print)
        case let .manifest(path, options): try ManifestSource(path: path, options: options).fingerprint(into: &print)
        case let .folder(path): try FolderSource(path: path).fingerprint(into: &print)
        }
        try pipeline.sortedJSON().withUnsafeBytes { print.add($0) }
        if pipeline.detectFaces {
            for cascade in [pipeline.faceCascade, pipeline.eyeCascade] {
                try print.addFile(cascade, sampleContent: false)
            }
        }
        return print.value
    }
}
