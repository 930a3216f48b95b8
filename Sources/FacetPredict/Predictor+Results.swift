import FacetVision

/// What a head said about one face.
public enum HeadPrediction: Sendable {
    /// Softmax head: the classes with their probabilities, most likely first.
    case classes([(name: String, probability: Double)])
    /// Sigmoid head: each label with its probability, in the head's order.
    case labels([(name: String, probability: Double)])
    /// Regression head: each target with its value, in the head's order (pose angles in degrees).
    case values([(name: String, value: Double)])
}

/// One face in a photo and the network's outputs for it.
public struct FacePrediction: Sendable {
    /// The face box in pixels of the photo.
    public var box: FaceBox
    /// Eye centres used for alignment (detected, or implied by the box on eye fallback).
    public var eyes: EyePair?
    /// How the crop was made: `.aligned` (eyes found) or `.eyeFallback` (placed from the box).
    public var alignment: AlignmentOutcome
    /// Outputs per head, in the net's head order.
    public var heads: [(name: String, prediction: HeadPrediction)]
}

/// The result for one input file: its faces, or why there are none.
public struct ImagePrediction: Sendable {
    /// The file as given or found in a folder.
    public var path: String
    /// Faces found, largest first.
    public var faces: [FacePrediction]
    /// Why the file has no faces (unreadable, not an image, no face found); nil on success.
    public var error: String?
}

/// Everything `Predictor.predict` produced, with counts for the summary.
public struct PredictionReport: Sendable {
    /// Results in input order (folders expanded in sorted order).
    public var images: [ImagePrediction]
    /// Number of network calls made (one per batch).
    public var batches: Int
    /// Wall time of decoding, detection and alignment, and of the network, in seconds.
    public var alignSeconds: Double, networkSeconds: Double
    /// Photos decoded, detected and aligned at once (the workers asked for, at most one per file).
    public var workers: Int

    /// Faces over all images.
    public var faceCount: Int { images.reduce(0) { $0 + $1.faces.count } }
    /// Files that produced no prediction, with the reason.
    public var failures: [ImagePrediction] { images.filter { $0.error != nil } }
}
