/// Building data sets from crops that are already aligned (rendered faces, subsets).
extension FaceDataset {
    /// A data set from aligned crops: `pixels` holds `count × size × size` bytes, row-major.
    /// Labels are class indices (−1 missing) with `classes` naming them; `targets` is
    /// `count × targetNames.count` (NaN missing); without `splits` every sample is in train.
    public init(size: Int, pixels: [UInt8], attributes: [String], labels: [String: [Int32]],
                classes: [String: [String]], targetNames: [String] = [], targets: [Float] = [],
                splits: [Split]? = nil, sources: [String]? = nil, pipeline: String = "given crops") throws {
        guard size > 0, pixels.count % (size * size) == 0 else {
            throw VisionError("data set: \(pixels.count) pixel bytes are not a whole number of \(size)×\(size) crops")
        }
        let count = pixels.count / (size * size)
        for name in attributes {
            guard let column = labels[name], let names = classes[name] else {
                throw VisionError("data set: attribute '\(name)' has no labels or no class names")
            }
            guard column.count == count else {
                throw VisionError("data set: attribute '\(name)' has \(column.count) labels for \(count) crops")
            }
            if let bad = column.first(where: { $0 < -1 || $0 >= Int32(names.count) }) {
                throw VisionError("data set: attribute '\(name)' has label \(bad) outside -1..<\(names.count)")
            }
        }
        guard targets.count == count * targetNames.count else {
            throw VisionError("data set: \(targets.count) target values for \(count) crops × \(targetNames.count) targets")
        }
        guard splits == nil || splits!.count == count, sources == nil || sources!.count == count else {
            throw VisionError("data set: splits or sources do not have one entry per crop (\(count))")
        }
        var summary = PipelineSummary()
        summary.pipeline = pipeline
        summary.inputs = count
        summary.kept = count
        let store = pixels.withUnsafeBufferPointer { CropStore(count: count, size: size, copying: $0) }
        self.init(crops: store, attributes: attributes, labels: labels, classes: classes,
                  targetNames: targetNames, targets: targets, sourceSplits: splits,
                  sources: sources ?? (0..<count).map { "sample \($0)" }, summary: summary)
    }

    /// The samples at `indices` (crops copied), keeping splits, classes, and the parent's contrast
    /// normalisation and fitted statistics unchanged (a test subset still uses training statistics).
    public func subset(_ indices: [Int]) throws -> FaceDataset {
        let n = size * size
        var bytes = [UInt8]()
        bytes.reserveCapacity(indices.count * n)
        for i in indices { bytes += crops.crop(i) }
        let k = targetNames.count
        var result = try FaceDataset(
            size: size, pixels: bytes, attributes: attributes,
            labels: labels.mapValues { column in indices.map { column[$0] } }, classes: classes,
            targetNames: targetNames, targets: indices.flatMap { targets[($0 * k)..<(($0 + 1) * k)] },
            splits: sourceSplits.map { given in indices.map { given[$0] } }, sources: indices.map { sources[$0] },
            pipeline: summary.pipeline)
        result.splits = indices.map { splits[$0] }
        result.summary = summary
        result.summary.kept = indices.count
        result.normalisation = normalisation
        result.statistics = statistics
        return result
    }
}

extension FaceDataset {
    /// The data set with every crop run through the face pipeline again (e.g. rendered faces with
    /// tilt): labels, targets and splits are kept; samples the pipeline drops are listed in the
    /// summary. Contrast normalisation is refitted with the same settings.
    public func aligned(_ pipeline: FacePipeline, workers: Int = LoadOptions().workers,
                        progress: LoadProgress? = nil) throws -> FaceDataset {
        let crops = self.crops
        let list = SampleList(
            names: sources, attributes: attributes, labels: labels, classes: classes,
            targetNames: targetNames, targets: targets, splits: splits,
            image: { crops.image($0) })
        var result = try list.aligned(by: pipeline, workers: workers, progress: progress)
        result.splits = result.sourceSplits ?? []
        return try result.normalised(normalisation)
    }
}

extension FaceDataset {
    /// Every crop resampled to `newSize`×`newSize` (area averaging when shrinking); labels, targets,
    /// splits and contrast-normalisation settings are kept, statistics refitted on the train split.
    public func resized(_ newSize: Int) throws -> FaceDataset {
        guard (8...512).contains(newSize) else { throw VisionError("resize: size must be 8…512 pixels, got \(newSize)") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * newSize * newSize)
        for i in 0..<count { bytes += try crops.image(i).resized(width: newSize, height: newSize).pixels }
        var result = try FaceDataset(size: newSize, pixels: bytes, attributes: attributes, labels: labels, classes: classes,
                                     targetNames: targetNames, targets: targets, splits: sourceSplits, sources: sources,
                                     pipeline: summary.pipeline + " → resize \(newSize)")
        result.splits = splits
        result.summary = summary
        return try result.normalised(normalisation)
    }
}
