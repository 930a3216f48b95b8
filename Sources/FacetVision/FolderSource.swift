import FacetFiles
import Foundation

/// Reads an image folder with one sub-folder per class (`root/<class>/<image>`); sub-folders
/// inside a class folder belong to that class. Classes are the sub-folder names in sorted order,
/// exposed as the single attribute "class". Files that are not images are listed, not used; hidden
/// files and folders are skipped.
struct FolderSource {
    let path: String

    /// The folder's images with their class labels, in sorted path order.
    func samples() throws -> SampleList {
        let (files, classNames, ignored) = try listing()
        let paths = files.map(\.path)
        return SampleList(
            names: paths, attributes: ["class"], labels: ["class": files.map(\.label)],
            classes: ["class": classNames], ignored: ignored,
            image: { try GrayImage(contentsOf: paths[$0]) })
    }

    /// Fingerprint: every listed file's path, size and modification time.
    func fingerprint(into print: inout Fingerprint) throws {
        let (files, classNames, ignored) = try listing()
        print.add(classNames.joined(separator: "/"))
        for file in files { try print.addFile(file.path, sampleContent: false) }
        for issue in ignored { print.add(issue.source) }
    }

    private func listing() throws -> (files: [(path: String, label: Int32)], classes: [String], ignored: [SampleIssue]) {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: path)
        let entries: [String]
        do { entries = try manager.contentsOfDirectory(atPath: path).filter { !FaceImageFiles.isHidden($0) }.sorted() } catch {
            throw VisionError("\(path): cannot list folder (\(FileFailure.reason(error)))")
        }
        var classNames: [String] = [], files: [(path: String, label: Int32)] = [], ignored: [SampleIssue] = []
        for entry in entries {
            let url = root.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
            guard isDirectory.boolValue else {
                ignored.append(SampleIssue(source: url.path, reason: "not inside a class folder"))
                continue
            }
            let label = Int32(classNames.count)
            classNames.append(entry)
            for file in try FaceImageFiles.files(in: url.path) {
                if file.isImage {
                    files.append((file.path, label))
                } else {
                    ignored.append(SampleIssue(source: file.path, reason: "not an image file extension"))
                }
            }
        }
        guard !classNames.isEmpty else {
            throw VisionError("\(path): no class sub-folders (expected \(path)/<class>/<image files>)")
        }
        return (files, classNames, ignored)
    }
}
