import Foundation

/// Everything that turns a photo into a network input: the face pipeline (detection, alignment,
/// crop size) and contrast normalisation with the statistics fitted on the training split. A saved
/// model carries it as JSON (`{"normalisation", "pipeline", "statistics"}`, keys sorted) so that
/// new photos are prepared exactly as its training data were.
public struct FacePreprocessing: Codable, Equatable, Sendable {
    /// Face detection, alignment and crop size.
    public var pipeline: FacePipeline
    /// Contrast normalisation settings.
    public var normalisation: ContrastNormalisation
    /// Per-pixel statistics fitted on the training split (nil when per-pixel GCN is off).
    public var statistics: PixelStatistics?

    /// Preprocessing from its three parts.
    public init(pipeline: FacePipeline, normalisation: ContrastNormalisation, statistics: PixelStatistics?) {
        (self.pipeline, self.normalisation, self.statistics) = (pipeline, normalisation, statistics)
    }

    /// Side N of the crops.
    public var size: Int { pipeline.size }

    /// Reads the JSON that `json()` writes (model files saved before this type existed have the same shape).
    public init(json: String) throws {
        self = try JSONDecoder().decode(FacePreprocessing.self, from: Data(json.utf8))
    }

    /// The JSON saved in model files.
    public func json() throws -> String { String(decoding: try sortedJSON(), as: UTF8.self) }

    /// Checks that the fitted statistics cover one N×N crop.
    public func validate() throws {
        if let statistics, statistics.mean.count != size * size || statistics.std.count != size * size {
            throw VisionError("its pixel statistics cover \(statistics.mean.count) pixels, the crops have \(size * size)")
        }
    }

    /// Normalises one N×N crop as the training data were read (`FaceDataset.copyPixels`).
    public func normalise(_ crop: [UInt8], into out: UnsafeMutableBufferPointer<Float>) {
        normalisation.normalise(crop, statistics: statistics, into: out)
    }
}

extension FaceDataset {
    /// This data set's preprocessing, given the pipeline its crops were made (or are framed as if made) with.
    public func preprocessing(pipeline: FacePipeline) -> FacePreprocessing {
        FacePreprocessing(pipeline: pipeline, normalisation: normalisation, statistics: statistics)
    }
}

extension Encodable {
    /// JSON with sorted keys: the one encoding of settings that are saved or hashed, so equal
    /// settings always give equal bytes (model metadata, the processed-data cache key).
    func sortedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(self)
    }
}
