import Foundation

/// What a source hands to the face pipeline: one entry per sample, before alignment.
struct SampleList {
    /// Where each sample came from (image path or "file.csv:LINE").
    var names: [String]
    var attributes: [String]
    var labels: [String: [Int32]]
    var classes: [String: [String]]
    var targetNames: [String] = []
    /// `names.count × targetNames.count`, NaN = missing.
    var targets: [Float] = []
    /// The source's own split, if it has one.
    var splits: [Split]?
    /// Files seen but not used (listed in the summary).
    var ignored: [SampleIssue] = []
    /// Decodes sample i (called from worker threads).
    var image: @Sendable (Int) throws -> GrayImage
    /// Already-decoded square images of this side, all back to back (FER2013), enabling a copy-only
    /// path when detection is off and the size already matches.
    var rawSide: Int? = nil
    var rawPixels: [UInt8]? = nil

    var count: Int { names.count }

    /// Runs the face pipeline over every sample and keeps what it should, listing the rest.
    func aligned(by pipeline: FacePipeline, workers: Int, progress: LoadProgress?) throws -> FaceDataset {
        try pipeline.validate()
        let n = pipeline.size * pipeline.size
        let start = Date()
        var crops: [UInt8]
        var outcomes: [SampleOutcome]
        if !pipeline.detectFaces, let side = rawSide, side == pipeline.size, let raw = rawPixels {
            crops = raw
            outcomes = Array(repeating: .notDetected, count: count)
            progress?(count, count)
        } else {
            (crops, outcomes) = try BatchAligner(pipeline: pipeline, workers: workers)
                .align(count: count, progress: progress, image: image)
        }

        var (summary, keep) = PipelineSummary.tally(outcomes, names: names, pipeline: pipeline)
        // Otherwise the first error would be a later, unrelated one ("the training split is empty").
        if keep.isEmpty, !summary.unreadable.isEmpty { throw Self.nothingReadable(summary.unreadable, of: count) }
        summary.ignored = ignored
        summary.alignSeconds = Date().timeIntervalSince(start)

        if keep.count < count {  // compact crops and every per-sample column
            for (slot, i) in keep.enumerated() where slot != i {
                crops.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: slot * n).update(from: $0.baseAddress! + i * n, count: n) }
            }
            crops.removeLast((count - keep.count) * n)
        }
        let k = targetNames.count
        let store = crops.withUnsafeBufferPointer { CropStore(count: keep.count, size: pipeline.size, copying: $0) }
        return FaceDataset(
            crops: store, attributes: attributes, labels: labels.mapValues { column in keep.map { column[$0] } },
            classes: classes, targetNames: targetNames,
            targets: keep.flatMap { targets[($0 * k)..<(($0 + 1) * k)] },
            sourceSplits: splits.map { given in keep.map { given[$0] } }, sources: keep.map { names[$0] },
            summary: summary)
    }
}

extension SampleList {
    /// "none of the 4 images could be read: a.jpg: no such file; b.jpg: …; c.jpg: …; and 1 more".
    static func nothingReadable(_ issues: [SampleIssue], of count: Int) -> VisionError {
        let shown = issues.prefix(3).map(\.description).joined(separator: "; ")
        let more = issues.count > 3 ? "; and \(issues.count - 3) more" : ""
        return VisionError("none of the \(count) image\(count == 1 ? "" : "s") could be read: \(shown)\(more)")
    }
}

extension PipelineSummary {
    /// Counts outcomes and returns the indices to keep under the pipeline's no-face policy.
    static func tally(_ outcomes: [SampleOutcome], names: [String], pipeline: FacePipeline)
        -> (summary: PipelineSummary, keep: [Int])
    {
        var summary = PipelineSummary()
        summary.pipeline = pipeline.summary
        summary.inputs = outcomes.count
        summary.noFaceDropped = pipeline.whenNoFace == .drop
        var keep: [Int] = []
        keep.reserveCapacity(outcomes.count)
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case .aligned:
                summary.facesFound += 1
                keep.append(i)
            case .eyeFallback:
                summary.facesFound += 1
                summary.eyeFallbacks += 1
                keep.append(i)
            case .notDetected:
                keep.append(i)
            case .noFace:
                summary.noFace.append(names[i])
                if pipeline.whenNoFace == .keepWholeImage { keep.append(i) }
            case let .unreadable(reason):
                // Decoder messages start with the path, which the issue already names.
                let prefix = names[i] + ": "
                let short = reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
                summary.unreadable.append(SampleIssue(source: names[i], reason: short))
            }
        }
        summary.kept = keep.count
        return (summary, keep)
    }
}
