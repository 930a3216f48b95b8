import Foundation

/// A sample or file the pipeline could not use, and why.
public struct SampleIssue: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Where: a file path, or "file.csv:LINE" for a row.
    public var source: String
    /// What was wrong.
    public var reason: String

    /// An issue at `source`.
    public init(source: String, reason: String) { (self.source, self.reason) = (source, reason) }

    /// "source: reason".
    public var description: String { "\(source): \(reason)" }
}

/// What happened to every input of a load: nothing is dropped without being listed here.
public struct PipelineSummary: Codable, Sendable, Equatable {
    /// The face pipeline in one line, e.g. "detect+level+eye-scale → 48×48".
    public var pipeline: String = ""
    /// Samples the source listed.
    public var inputs: Int = 0
    /// Samples in the data set.
    public var kept: Int = 0
    /// Images in which a face was found (aligned by eyes or by the face box).
    public var facesFound: Int = 0
    /// Faces whose eyes were not found, so the crop was placed from the face box.
    public var eyeFallbacks: Int = 0
    /// Samples with no detected face (kept as the whole image, or dropped, per the pipeline's policy).
    public var noFace: [String] = []
    /// Whether the `noFace` samples were dropped (else kept as the centre square of the image).
    public var noFaceDropped: Bool = false
    /// Samples that could not be read or decoded (dropped).
    public var unreadable: [SampleIssue] = []
    /// Files found but not used, e.g. non-image files in a class folder.
    public var ignored: [SampleIssue] = []
    /// Non-fatal remarks, e.g. a cache file that could not be written.
    public var notes: [String] = []
    /// True when the aligned crops came from the processed-data cache.
    public var fromCache: Bool = false
    /// Wall-clock seconds spent decoding and aligning images (0 when served from the cache).
    public var alignSeconds: Double = 0
    /// Wall-clock seconds of the load (parse, align or cache read, split, normalisation).
    public var seconds: Double = 0

    /// Samples dropped: unreadable ones plus, under the drop policy, those without a face.
    public var dropped: Int { unreadable.count + (noFaceDropped ? noFace.count : 0) }

    /// A few lines for `facet data info` and notebooks; long lists are cut to `limit` entries.
    public func lines(limit: Int = 10) -> [String] {
        var out = ["pipeline: \(pipeline)",
                   "inputs \(inputs), kept \(kept), dropped \(dropped)",
                   "faces found \(facesFound), eye fallbacks \(eyeFallbacks), no face \(noFace.count)"
                       + (noFace.isEmpty ? "" : (noFaceDropped ? " (dropped)" : " (kept whole image)"))]
        func list(_ title: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            out.append("\(title) (\(items.count)):")
            out += items.prefix(limit).map { "  \($0)" }
            if items.count > limit { out.append("  … and \(items.count - limit) more") }
        }
        list("no face", noFace)
        list("unreadable", unreadable.map(\.description))
        list("ignored", ignored.map(\.description))
        out += notes.map { "note: \($0)" }
        if alignSeconds > 0 {
            out.append(String(format: "aligned %d images in %.2f s (%.1f images/s)", inputs, alignSeconds,
                              Double(inputs) / alignSeconds))
        }
        out.append(String(format: "loaded in %.2f s%@", seconds, fromCache ? " (from cache)" : ""))
        return out
    }
}
