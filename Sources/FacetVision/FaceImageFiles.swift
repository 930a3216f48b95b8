import Foundation

/// Finds image files: which extensions count as images, and how folders are walked for them
/// (class folders, `facet data align`, `facet predict`).
public enum FaceImageFiles {
    /// Extensions of the formats OpenCV's imgcodecs reads, lower-case.
    static let extensions: Set<String> = [
        "jpg", "jpeg", "jpe", "png", "bmp", "dib", "pgm", "ppm", "pbm", "pnm", "tif", "tiff", "webp",
        "jp2", "sr", "ras", "exr", "hdr", "pic",
    ]

    /// True when `path` has an image file extension.
    public static func isImage(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// True for a hidden file or folder name (".DS_Store", ".git"): skipped by every folder walk.
    public static func isHidden(_ name: String) -> Bool { name.hasPrefix(".") }

    /// Every file below `folder`, recursively, sorted by relative path; hidden files and anything
    /// inside a hidden folder are skipped. Non-image files are listed too (`isImage` says which),
    /// so a caller can report them rather than drop them silently.
    public static func files(in folder: String) throws -> [FolderFile] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
              let walker = manager.enumerator(atPath: folder)
        else { throw VisionError("\(folder): cannot list folder") }
        var found: [FolderFile] = []
        while let relative = walker.nextObject() as? String {
            let components = relative.split(separator: "/")
            if let last = components.last, isHidden(String(last)) { walker.skipDescendants() }
            if components.contains(where: { isHidden(String($0)) }) { continue }
            // Keep the folder as the caller wrote it, so reported paths read like the input.
            let path = (folder as NSString).appendingPathComponent(relative)
            // fileExists follows symbolic links: a link to an image is an image; folders are walked, not listed.
            var nested: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &nested), !nested.boolValue else { continue }
            found.append(FolderFile(path: path, relativePath: relative))
        }
        return found.sorted { $0.relativePath < $1.relativePath }
    }
}

/// A file found below a folder by `FaceImageFiles.files(in:)`.
public struct FolderFile: Equatable, Sendable {
    /// The folder as given joined with `relativePath`.
    public var path: String
    /// The path below the folder, e.g. "sad/deeper/c.png".
    public var relativePath: String
    /// Whether the file has an image extension.
    public var isImage: Bool { FaceImageFiles.isImage(relativePath) }
}
