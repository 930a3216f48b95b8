import CVision
import FacetFiles
import Foundation

/// Settings of face-location normalisation (paper section 3.3): detect → level eyes → scale by
/// eye distance → crop N×N. Every step can be switched off. Part of the processed-data cache key.
public struct FacePipeline: Codable, Hashable, Sendable {
    /// Output side N of the square crop.
    public var size: Int = 48
    /// Run Viola-Jones detection; when off, the centre square of each image is resized to N.
    public var detectFaces: Bool = true
    /// Rotate in-plane so the eye line is level.
    public var levelEyes: Bool = true
    /// Scale so the eye distance is constant; when off, scale by the face box width.
    public var scaleByEyes: Bool = true
    /// Eye distance in the crop, as a fraction of N.
    public var eyeDistance: Double = 0.33
    /// Row of the eye midpoint in the crop, as a fraction of N.
    public var eyeRow: Double = 0.36
    /// Images whose shorter side is below this many pixels are upsampled to it before detection.
    public var upsampleBelow: Int = 96
    /// When upright search finds no face with eyes, retry with the image turned by ∓ this many degrees
    /// (Haar cascades tolerate only ~10° of tilt); 0 switches the retry off.
    public var tiltSearch: Double = 15
    /// Haar cascade for frontal faces.
    public var faceCascade: String = FacePipeline.cascadeDirectory + "/haarcascade_frontalface_default.xml"
    /// Haar cascade for eyes.
    public var eyeCascade: String = FacePipeline.cascadeDirectory + "/haarcascade_eye.xml"
    /// Face detector pyramid step (> 1).
    public var scaleFactor: Double = 1.1
    /// Face detector: overlapping hits needed to accept a face.
    public var minNeighbors: Int = 4
    /// Face detector: smallest face side, in pixels of the (upsampled) image.
    public var minFaceSize: Int = 30
    /// Eye detector pyramid step (> 1).
    public var eyeScaleFactor: Double = 1.1
    /// Eye detector: overlapping hits needed to accept an eye.
    public var eyeMinNeighbors: Int = 3
    /// The upper face region is resized to this width before eye search (the eye cascade's window is 20×20).
    public var eyeRegionWidth: Int = 240
    /// What to do with an image in which no face is found (it is listed in the summary either way).
    public var whenNoFace: NoFacePolicy = .keepWholeImage

    /// What happens to an image with no detected face.
    public enum NoFacePolicy: String, Codable, Hashable, Sendable, CaseIterable {
        /// Keep the centre square of the whole image, resized to N (right for pre-cropped sets like FER2013).
        case keepWholeImage = "keep"
        /// Leave the image out of the data set.
        case drop
    }

    /// Where Debian's opencv-data puts the Haar cascades (override with FACET_CASCADES).
    public static var cascadeDirectory: String {
        ProcessInfo.processInfo.environment["FACET_CASCADES"] ?? "/usr/share/opencv4/haarcascades"
    }

    /// The pipeline with each cascade path that does not exist here replaced by the file of the same
    /// name in `cascadeDirectory`, if that exists: a saved model names the training machine's files.
    public func withLocalCascades() -> FacePipeline {
        func local(_ path: String) -> String {
            guard !FileManager.default.fileExists(atPath: path) else { return path }
            let here = (Self.cascadeDirectory as NSString).appendingPathComponent((path as NSString).lastPathComponent)
            return FileManager.default.fileExists(atPath: here) ? here : path
        }
        var copy = self
        copy.faceCascade = local(faceCascade)
        copy.eyeCascade = local(eyeCascade)
        return copy
    }

    /// The default pipeline: detection and full alignment to 48×48.
    public init() {}

    /// The default pipeline with output side `size`.
    public init(size: Int) { self.size = size }

    /// Checks ranges before any image is processed, so a bad knob fails once, not per image.
    public func validate() throws {
        func fail(_ what: String) -> VisionError { VisionError("face pipeline: \(what)") }
        guard (4...4096).contains(size) else { throw fail("size \(size) is outside 4...4096") }
        guard eyeDistance > 0, eyeDistance < 1 else { throw fail("eye distance \(eyeDistance) is not a fraction in (0, 1)") }
        guard eyeRow > 0, eyeRow < 1 else { throw fail("eye row \(eyeRow) is not a fraction in (0, 1)") }
        guard scaleFactor > 1, eyeScaleFactor > 1 else { throw fail("scale factors must be > 1") }
        guard minNeighbors >= 0, eyeMinNeighbors >= 0 else { throw fail("min neighbours must be >= 0") }
        guard minFaceSize >= 1 else { throw fail("minimum face size must be >= 1") }
        guard eyeRegionWidth >= 40 else { throw fail("eye region width must be >= 40") }
        guard upsampleBelow >= 0 else { throw fail("upsample threshold must be >= 0") }
        guard tiltSearch >= 0, tiltSearch < 90 else { throw fail("tilt search \(tiltSearch)° is outside [0, 90)") }
        // A folder or FIFO given as a cascade is refused here, before OpenCV opens (and blocks on) it.
        for (what, path) in [("face cascade", faceCascade), ("eye cascade", eyeCascade)] where InputFile.kind(path) != .missing {
            if let why = InputFile.problem(path) { throw fail("\(what) \(path): \(why)") }
        }
    }

    /// One line for summaries, e.g. "detect+level+eye-scale → 48×48".
    public var summary: String {
        guard detectFaces else { return "no detection (centre square) → \(size)×\(size)" }
        var steps = ["detect"]
        if levelEyes { steps.append("level") }
        steps.append(scaleByEyes ? "eye-scale" : "box-scale")
        return steps.joined(separator: "+") + " → \(size)×\(size)"
    }

    /// The settings as CVision's C struct.
    var cParams: cv_align_params {
        cv_align_params(
            size: Int32(size), detect: detectFaces ? 1 : 0, level_eyes: levelEyes ? 1 : 0,
            scale_by_eyes: scaleByEyes ? 1 : 0, eye_distance: eyeDistance, eye_row: eyeRow,
            upsample_below: Int32(upsampleBelow), tilt_search: tiltSearch,
            detect_params: cv_detect_params(
                face_scale_factor: scaleFactor, face_min_neighbors: Int32(minNeighbors),
                face_min_size: Int32(minFaceSize), eye_scale_factor: eyeScaleFactor,
                eye_min_neighbors: Int32(eyeMinNeighbors), eye_region_width: Int32(eyeRegionWidth)))
    }
}
