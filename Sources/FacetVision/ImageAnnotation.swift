import CVision
import Foundation

/// One face to draw on a photo: box, eyes and a caption.
public struct FaceAnnotation: Sendable {
    /// The face box in pixels of the photo.
    public var box: FaceBox
    /// Eye centres to mark, if known.
    public var eyes: EyePair?
    /// Caption lines (ASCII is drawn; other characters become '?').
    public var label: String

    /// An annotation from its parts.
    public init(box: FaceBox, eyes: EyePair?, label: String) { (self.box, self.eyes, self.label) = (box, eyes, label) }
}

/// Writes a colour copy of the photo at `path` with every annotation drawn to `output`
/// (format from its extension).
public func writeAnnotatedImage(from path: String, to output: String, annotations: [FaceAnnotation]) throws {
    // The C structs borrow the label strings: keep them alive as C strings for the call.
    let labels = annotations.map { strdup($0.label) }
    defer { labels.forEach { free($0) } }
    let items = annotations.enumerated().map { i, a in
        cv_annotation(x: Int32(a.box.x), y: Int32(a.box.y), width: Int32(a.box.width), height: Int32(a.box.height),
                      has_eyes: a.eyes == nil ? 0 : 1, left_x: a.eyes?.leftX ?? 0, left_y: a.eyes?.leftY ?? 0,
                      right_x: a.eyes?.rightX ?? 0, right_y: a.eyes?.rightY ?? 0, label: UnsafePointer(labels[i]))
    }
    try checkedCall("annotating \(path) into \(output)") { err, len in
        items.withUnsafeBufferPointer { cv_annotate_file(path, output, $0.baseAddress, Int32($0.count), err, len) }
    }
}
