import Foundation

/// Aligns image files in parallel. `crops[i]` is nil when image i was unreadable, or had no face
/// under the drop policy; the summary lists every such image.
public func alignImages(_ paths: [String], pipeline: FacePipeline,
                        workers: Int = LoadOptions().workers,
                        progress: LoadProgress? = nil) throws -> (crops: [GrayImage?], summary: PipelineSummary) {
    let start = Date()
    let (bytes, outcomes) = try BatchAligner(pipeline: pipeline, workers: workers)
        .align(count: paths.count, progress: progress) { try GrayImage(contentsOf: paths[$0]) }
    var (summary, keep) = PipelineSummary.tally(outcomes, names: paths, pipeline: pipeline)
    summary.alignSeconds = Date().timeIntervalSince(start)
    let n = pipeline.size * pipeline.size
    var crops = [GrayImage?](repeating: nil, count: paths.count)
    for i in keep {
        crops[i] = GrayImage(width: pipeline.size, height: pipeline.size, pixels: Array(bytes[(i * n)..<((i + 1) * n)]))
    }
    return (crops, summary)
}
