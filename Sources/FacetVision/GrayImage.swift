import CVision
import FacetFiles
import Foundation

/// An 8-bit single-channel image, row-major, `width * height` bytes.
public struct GrayImage: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major pixel bytes.
    public var pixels: [UInt8]

    /// Wraps existing pixels; `pixels.count` must be `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "GrayImage: pixel count mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Decodes any image file OpenCV reads (PNG, JPEG, BMP, PGM, TIFF, WebP, ...) as grayscale.
    /// Only a regular file is opened (`InputFile`): a named pipe among photos would block forever.
    public init(contentsOf path: String) throws {
        // A missing file keeps OpenCV's wording below; anything but a regular file stops here.
        let kind = InputFile.kind(path)
        if kind != .missing, let why = InputFile.problem(path) { throw VisionError("\(path): \(why)") }
        var decoded = cv_gray()
        try checkedCall("") { cv_decode_file_gray(path, &decoded, $0, $1) }
        defer { cv_gray_free(&decoded) }
        self.init(adopting: decoded)
    }

    /// Decodes an encoded image held in memory as grayscale.
    public init(encoded: [UInt8]) throws {
        var decoded = cv_gray()
        try checkedCall("") { err, len in
            encoded.withUnsafeBufferPointer { cv_decode_bytes_gray($0.baseAddress, $0.count, &decoded, err, len) }
        }
        defer { cv_gray_free(&decoded) }
        self.init(adopting: decoded)
    }

    private init(adopting decoded: cv_gray) {
        let count = Int(decoded.width) * Int(decoded.height)
        self.init(width: Int(decoded.width), height: Int(decoded.height),
                  pixels: Array(UnsafeBufferPointer(start: decoded.pixels, count: count)))
    }

    /// Writes the image; the extension of `path` picks the format (.png, .jpg, .pgm, ...).
    public func write(to path: String) throws {
        try checkedCall("") { err, len in
            pixels.withUnsafeBufferPointer { cv_write_gray(path, $0.baseAddress, Int32(width), Int32(height), err, len) }
        }
    }

    /// This image resized to `width` x `height` (area averaging when shrinking).
    public func resized(width newWidth: Int, height newHeight: Int) throws -> GrayImage {
        var out = [UInt8](repeating: 0, count: newWidth * newHeight)
        try checkedCall("resize") { err, len in
            pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    cv_resize_gray(src.baseAddress, Int32(width), Int32(height),
                                   dst.baseAddress, Int32(newWidth), Int32(newHeight), err, len)
                }
            }
        }
        return GrayImage(width: newWidth, height: newHeight, pixels: out)
    }

    /// This image rotated by `degrees` (counter-clockwise as displayed) about its centre, same size.
    public func rotated(degrees: Double) throws -> GrayImage {
        var out = [UInt8](repeating: 0, count: pixels.count)
        try checkedCall("rotate") { err, len in
            pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    cv_rotate_gray(src.baseAddress, Int32(width), Int32(height), degrees, dst.baseAddress, err, len)
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }

    /// The pixels inside the rectangle (which must lie within the image).
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> GrayImage {
        precondition(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height, "cropped: rectangle outside the image")
        var out = [UInt8](repeating: 0, count: w * h)
        for row in 0..<h {
            let src = (y + row) * width + x
            out.replaceSubrange((row * w)..<((row + 1) * w), with: pixels[src..<(src + w)])
        }
        return GrayImage(width: w, height: h, pixels: out)
    }
}
