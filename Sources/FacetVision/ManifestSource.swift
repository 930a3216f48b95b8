import FacetFiles
import Foundation

/// Options for a manifest CSV: `path,<attribute>...` with one row per image.
public struct ManifestOptions: Hashable, Sendable {
    /// Columns to read as regression targets (Float, empty = NaN) rather than class labels.
    /// Columns holding any non-integer number are targets too.
    public var targetColumns: [String] = []

    /// Default options.
    public init(targetColumns: [String] = []) { self.targetColumns = targetColumns }
}

/// Reads a manifest CSV: an image path column (`path`, `image`, `file` or `filename`; relative
/// paths are resolved against the manifest's folder), an optional `split` column, and one column
/// per attribute. Attribute values are strings or integers, mapped to class indices (integers in
/// numeric order, strings in sorted order) with the mapping kept; an empty cell is missing (−1).
struct ManifestSource {
    let path: String
    let options: ManifestOptions

    private static let pathColumns: Set<String> = ["path", "image", "file", "filename"]
    private static let splitColumns: Set<String> = ["split", "usage"]

    /// The manifest parsed into samples (images are decoded later, during alignment).
    func samples() throws -> SampleList {
        let file = try MappedFile(path: path)
        // Paths and labels are text: a byte that is not UTF-8 would become U+FFFD and name a file
        // that is not there; say where it is instead (the one message for non-UTF-8 input).
        let data = Data(file.bytes)
        if let offset = InputFile.firstInvalidUTF8(data) { throw VisionError("\(path): \(InputFile.notUTF8(data, at: offset))") }
        let table = try CSVTable(file.bytes, name: path)
        guard let header = table.rows.first else { throw VisionError("\(path): empty manifest (no header row)") }
        let names = header.map { $0.lowercased() }
        guard let pathColumn = names.firstIndex(where: Self.pathColumns.contains) else {
            throw VisionError("\(path):\(table.lines[0]): no image path column (expected one named path, image, file or filename; found: \(header.joined(separator: ", ")))")
        }
        let splitColumn = names.firstIndex(where: Self.splitColumns.contains)
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw VisionError("\(path):\(table.lines[0]): column '\(name)' appears twice")
        }
        let rows = Array(table.rows.dropFirst()), lines = Array(table.lines.dropFirst())
        guard !rows.isEmpty else { throw VisionError("\(path): manifest has a header but no rows") }
        for (row, line) in zip(rows, lines) where row.count != header.count {
            throw VisionError("\(path):\(line): expected \(header.count) fields (\(header.joined(separator: ","))), found \(row.count)")
        }

        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var imagePaths: [String] = []
        for (row, line) in zip(rows, lines) {
            let cell = row[pathColumn]
            guard !cell.isEmpty else { throw VisionError("\(path):\(line): image path is empty") }
            imagePaths.append(cell.hasPrefix("/") ? cell : base.appendingPathComponent(cell).standardizedFileURL.path)
        }

        var splits: [Split]?
        if let splitColumn {
            splits = try zip(rows, lines).map { row, line in
                guard let split = Split(name: row[splitColumn]) else {
                    throw VisionError("\(path):\(line): split '\(row[splitColumn])' is not train, valid or test")
                }
                return split
            }
        }

        var attributes: [String] = [], labels: [String: [Int32]] = [:], classes: [String: [String]] = [:]
        var targetNames: [String] = [], targetColumns: [[Float]] = []
        for (c, name) in header.enumerated() where c != pathColumn && c != splitColumn {
            let cells = rows.map { $0[c] }
            let values = cells.filter { !$0.isEmpty }
            let integers = values.allSatisfy { Int($0) != nil }
            let numbers = values.allSatisfy { Float($0) != nil }
            if options.targetColumns.contains(name) || (numbers && !integers) {
                targetNames.append(name)
                targetColumns.append(try zip(cells, lines).map { cell, line in
                    if cell.isEmpty { return .nan }
                    guard let value = Float(cell) else {
                        throw VisionError("\(path):\(line): target '\(name)' value '\(cell)' is not a number")
                    }
                    return value
                })
                continue
            }
            let names = integers ? Set(values).sorted { Int($0)! < Int($1)! } : Set(values).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
            attributes.append(name)
            classes[name] = names
            labels[name] = cells.map { $0.isEmpty ? -1 : index[$0]! }
        }
        for wanted in options.targetColumns where !targetNames.contains(wanted) {
            throw VisionError("\(path): target column '\(wanted)' not found (columns: \(header.joined(separator: ", ")))")
        }
        let targets = (0..<rows.count).flatMap { r in targetColumns.map { $0[r] } }
        let sampleNames = imagePaths
        return SampleList(
            names: sampleNames, attributes: attributes, labels: labels, classes: classes,
            targetNames: targetNames, targets: targets, splits: splits,
            image: { try GrayImage(contentsOf: sampleNames[$0]) })
    }

    /// Fingerprint: the manifest's content plus size and mtime of every image it lists.
    func fingerprint(into print: inout Fingerprint) throws {
        try print.addFile(path, sampleContent: false)
        let file = try MappedFile(path: path)
        print.add(file.bytes)
        print.add(options.targetColumns.joined(separator: ","))
        for image in try samples().names {
            if (try? print.addFile(image, sampleContent: false)) == nil { print.add("missing:" + image) }
        }
    }
}
