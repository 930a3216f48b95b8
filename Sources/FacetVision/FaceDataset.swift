/// A labelled set of aligned N×N grayscale faces, ready for a network.
///
/// The crops are stored once as bytes (`crops`, owned or memory-mapped from the cache) and turned
/// into contrast-normalised Floats when read (`pixels`, `copyPixels`), so a cached data set costs
/// no heap memory until it is used and a training loop can stream mini-batches.
public struct FaceDataset: Sendable {
    /// Side N of every crop.
    public var size: Int { crops.size }
    /// Number of samples.
    public var count: Int { crops.count }
    /// The aligned 8-bit crops.
    public let crops: CropStore
    /// Attribute names in source order (e.g. ["emotion"], or a manifest's columns).
    public let attributes: [String]
    /// Class index per sample for each attribute; −1 = missing.
    public let labels: [String: [Int32]]
    /// Class names per attribute: `classes[a][k]` names class index k of attribute a.
    public let classes: [String: [String]]
    /// Names of the regression targets (columns of `targets`).
    public let targetNames: [String]
    /// Regression targets, `count × targetNames.count` row-major; NaN = missing.
    public let targets: [Float]
    /// The split each sample belongs to.
    public internal(set) var splits: [Split]
    /// The split the source itself gave (FER2013 Usage, a manifest `split` column), if any.
    public let sourceSplits: [Split]?
    /// Where each sample came from: an image path, or "file.csv:LINE".
    public let sources: [String]
    /// What the loader and the face pipeline did.
    public internal(set) var summary: PipelineSummary
    /// The contrast normalisation applied when pixels are read.
    public internal(set) var normalisation: ContrastNormalisation
    /// Per-pixel statistics fitted on the training split (nil when per-pixel standardisation is off).
    public internal(set) var statistics: PixelStatistics?

    /// Assembles a data set; labels and targets must have one entry (row) per crop.
    init(crops: CropStore, attributes: [String], labels: [String: [Int32]], classes: [String: [String]],
         targetNames: [String], targets: [Float], sourceSplits: [Split]?, sources: [String],
         summary: PipelineSummary) {
        precondition(attributes.allSatisfy { labels[$0]?.count == crops.count && classes[$0] != nil })
        precondition(targets.count == crops.count * targetNames.count && sources.count == crops.count)
        precondition(sourceSplits == nil || sourceSplits!.count == crops.count)
        self.crops = crops
        self.attributes = attributes
        self.labels = labels
        self.classes = classes
        self.targetNames = targetNames
        self.targets = targets
        self.sourceSplits = sourceSplits
        self.sources = sources
        self.summary = summary
        self.splits = sourceSplits ?? [Split](repeating: .train, count: crops.count)
        self.normalisation = .none
        self.statistics = nil
    }

    /// Sample indices in `split`, ascending.
    public func indices(in split: Split) -> [Int] {
        splits.indices.filter { splits[$0] == split }
    }

    /// Number of samples per split.
    public var splitCounts: [Split: Int] {
        var counts: [Split: Int] = [.train: 0, .valid: 0, .test: 0]
        for s in splits { counts[s, default: 0] += 1 }
        return counts
    }

    /// Samples per class of `attribute` in `split` (missing labels are counted by `missing(_:in:)`).
    public func classCounts(_ attribute: String, in split: Split) -> [Int] {
        var counts = [Int](repeating: 0, count: classes[attribute]?.count ?? 0)
        guard let column = labels[attribute] else { return counts }
        for i in 0..<count where splits[i] == split && column[i] >= 0 { counts[Int(column[i])] += 1 }
        return counts
    }

    /// Samples of `split` whose `attribute` is missing (−1).
    public func missing(_ attribute: String, in split: Split) -> Int {
        guard let column = labels[attribute] else { return 0 }
        return (0..<count).filter { splits[$0] == split && column[$0] < 0 }.count
    }

    /// The labels of `attribute` for the samples at `indices` (e.g. one split or one batch).
    public func labels(_ attribute: String, at indices: [Int]) -> [Int32] {
        guard let column = labels[attribute] else { return [] }
        return indices.map { column[$0] }
    }

    /// The data set re-split by `plan` (per-pixel statistics must then be fitted again: see `normalised`).
    public func resplit(_ plan: SplitPlan) throws -> FaceDataset {
        var copy = self
        copy.splits = try assignSplits(count: count, plan: plan, given: sourceSplits, labels: labels)
        if copy.statistics != nil { copy = try copy.normalised(normalisation) }
        return copy
    }

    /// The data set with `settings` applied on read; per-pixel statistics are fitted on the current
    /// training split only.
    public func normalised(_ settings: ContrastNormalisation) throws -> FaceDataset {
        var copy = self
        copy.normalisation = settings
        copy.statistics = settings.perPixel
            ? try PixelStatistics(fitting: crops, indices: indices(in: .train), settings: settings) : nil
        return copy
    }
}
