import CVision
import Foundation

/// What alignment found in one image.
public enum AlignmentOutcome: Equatable, Sendable {
    /// Face and eye pair found; the crop is levelled and scaled by the eyes.
    case aligned
    /// Face found but no plausible eye pair: the crop is placed from the face box.
    case eyeFallback
    /// No face found: the crop is the centre square of the image.
    case noFace
    /// Detection was switched off: the crop is the centre square of the image.
    case notDetected
}

/// An axis-aligned box in pixel coordinates.
public struct FaceBox: Equatable, Sendable {
    /// Top-left corner and size in pixels.
    public var x, y, width, height: Int
    /// A box from its corner and size.
    public init(x: Int, y: Int, width: Int, height: Int) { (self.x, self.y, self.width, self.height) = (x, y, width, height) }
    init(_ r: cv_rect) { self.init(x: Int(r.x), y: Int(r.y), width: Int(r.width), height: Int(r.height)) }
    var cRect: cv_rect { cv_rect(x: Int32(x), y: Int32(y), width: Int32(width), height: Int32(height)) }
}

/// The two eye centres of a face, named as displayed (left = the eye on the image's left).
public struct EyePair: Equatable, Sendable {
    /// Eye centres in pixels (y grows downwards).
    public var leftX, leftY, rightX, rightY: Double
    /// The eye line's angle in degrees (positive: the right eye is lower in the image).
    public var angle: Double { atan2(rightY - leftY, rightX - leftX) * 180 / Double.pi }
    /// Distance between the eye centres in pixels.
    public var distance: Double { hypot(rightX - leftX, rightY - leftY) }
    init(_ e: cv_eyes) { (leftX, leftY, rightX, rightY) = (e.left_x, e.left_y, e.right_x, e.right_y) }
}

/// One aligned crop plus what the detector saw (coordinates refer to the input image).
public struct AlignedFace: Sendable {
    /// The N×N crop.
    public var crop: GrayImage
    /// Which path produced the crop.
    public var outcome: AlignmentOutcome
    /// Number of faces detected (the largest is used).
    public var faces: Int
    /// The face box used, if any.
    public var faceBox: FaceBox?
    /// Eye centres (left and right as displayed) used, or the positions assumed from the face box.
    public var eyes: EyePair?
    /// Eye-line angle in degrees used for levelling (positive: the right eye is lower).
    public var angle: Double
    /// The turn of the image (0 or ∓ tiltSearch) in which the face was found.
    public var searchAngle: Double
}

extension AlignedFace {
    /// What CVision found, read into Swift; coordinates exist only when a face was found.
    init(_ result: cv_align_result, crop: GrayImage, detect: Bool) {
        let outcome: AlignmentOutcome
        if !detect { outcome = .notDetected }
        else if result.face_found == 0 { outcome = .noFace }
        else { outcome = result.eyes_found != 0 ? .aligned : .eyeFallback }
        self.init(crop: crop, outcome: outcome, faces: Int(result.faces),
                  faceBox: result.face_found != 0 ? FaceBox(result.face) : nil,
                  eyes: result.face_found != 0 ? EyePair(result.eyes) : nil,
                  angle: result.angle_degrees, searchAngle: result.search_angle)
    }
}

/// Detects and aligns faces with one pair of Haar cascades. Not thread-safe: use one per worker.
public final class FaceAligner {
    /// The settings this aligner applies.
    public let pipeline: FacePipeline
    let detector: OpaquePointer?

    /// Loads the cascades named in `pipeline` (nothing is loaded when detection is off).
    public init(_ pipeline: FacePipeline = FacePipeline()) throws {
        try pipeline.validate()
        self.pipeline = pipeline
        if pipeline.detectFaces {
            var handle: OpaquePointer?
            try checkedCall("loading cascades") { err, len in
                handle = cv_detector_create(pipeline.faceCascade, pipeline.eyeCascade, err, len)
                return handle == nil ? Int32(CV_ERR_IO) : Int32(CV_OK)
            }
            detector = handle
        } else {
            detector = nil
        }
    }

    deinit { cv_detector_free(detector) }

    /// Aligns one image into an N×N crop.
    public func align(_ image: GrayImage) throws -> AlignedFace {
        let n = pipeline.size
        var out = [UInt8](repeating: 0, count: n * n)
        var result = cv_align_result()
        var params = pipeline.cParams
        let detector = self.detector
        try checkedCall("aligning") { (err: UnsafeMutablePointer<CChar>, len: Int) -> Int32 in
            image.pixels.withUnsafeBufferPointer { (src: UnsafeBufferPointer<UInt8>) -> Int32 in
                out.withUnsafeMutableBufferPointer { (dst: inout UnsafeMutableBufferPointer<UInt8>) -> Int32 in
                    cv_align_face(detector, src.baseAddress, Int32(image.width), Int32(image.height),
                                  &params, dst.baseAddress, &result, err, len)
                }
            }
        }
        return AlignedFace(result, crop: GrayImage(width: n, height: n, pixels: out), detect: pipeline.detectFaces)
    }

    /// All faces in the image, largest first, as (x, y, width, height) boxes.
    public func detectFaces(in image: GrayImage, max: Int = 16) throws -> [FaceBox] {
        guard detector != nil else { throw VisionError("detectFaces: the pipeline has detection switched off") }
        var boxes = [cv_rect](repeating: cv_rect(), count: max)
        var found: Int32 = 0
        var params = pipeline.cParams.detect_params
        let detector = self.detector
        try checkedCall("detecting faces") { (err: UnsafeMutablePointer<CChar>, len: Int) -> Int32 in
            image.pixels.withUnsafeBufferPointer { (src: UnsafeBufferPointer<UInt8>) -> Int32 in
                boxes.withUnsafeMutableBufferPointer { (dst: inout UnsafeMutableBufferPointer<cv_rect>) -> Int32 in
                    cv_detect_faces(detector, src.baseAddress, Int32(image.width), Int32(image.height), &params,
                                    dst.baseAddress, Int32(max), &found, err, len)
                }
            }
        }
        return boxes.prefix(min(Int(found), max)).map(FaceBox.init)
    }

    /// The eye pair inside `face`, or nil when the cascade finds no plausible pair.
    public func detectEyes(in image: GrayImage, face: FaceBox) throws -> EyePair? {
        guard detector != nil else { throw VisionError("detectEyes: the pipeline has detection switched off") }
        var eyes = cv_eyes()
        var params = pipeline.cParams.detect_params
        let box = face.cRect
        let detector = self.detector
        try checkedCall("detecting eyes") { (err: UnsafeMutablePointer<CChar>, len: Int) -> Int32 in
            image.pixels.withUnsafeBufferPointer { (src: UnsafeBufferPointer<UInt8>) -> Int32 in
                cv_detect_eyes(detector, src.baseAddress, Int32(image.width), Int32(image.height), box, &params,
                               &eyes, err, len)
            }
        }
        return eyes.found != 0 ? EyePair(eyes) : nil
    }
}
