import Foundation

/// Reads an image folder with one sub-folder per class (`root/<class>/<image>`); sub-folders
/// inside a class folder belong to that class. Classes are the sub-folder names in sorted order,
/// exposed as the single attribute "class". Files that are not images are listed, not used.
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
        do { entries = try manager.contentsOfDirectory(atPath: path).sorted() } catch {
            throw VisionError("\(path): cannot list folder (\(error.localizedDescription))")
        }
        var classNames: [String] = [], files: [(String, Int32)] = [], ignored: [SampleIssue] = []
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
            guard let walker = manager.enumerator(atPath: url.path) else {
                throw VisionError("\(url.path): cannot list folder")
            }
            var inside: [String] = []
            while let relative = walker.nextObject() as? String { inside.append(relative) }
            for relative in inside.sorted() {
                let file = url.appendingPathComponent(relative)
                var nestedDirectory: ObjCBool = false
                _ = manager.fileExists(atPath: file.path, isDirectory: &nestedDirectory)
                if nestedDirectory.boolValue { continue }
                if FaceImageFiles.isImage(file.path) {
                    files.append((file.path, label))
                } else {
                    ignored.append(SampleIssue(source: file.path, reason: "not an image file extension"))
                }
            }
        }
        guard !classNames.isEmpty else {
            throw VisionError("\(path): no class sub-folders (expected \(path)/<class>/<image files>)")
        }
        return (files.map { (path: $0.0, label: $0.1) }, classNames, ignored)
    }
}
