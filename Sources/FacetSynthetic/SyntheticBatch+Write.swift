import FacetFiles
// Writing a synthetic batch to disk: PNG images, a manifest CSV, a targets CSV and a sample sheet.
import CVision
import Foundation

extension SyntheticBatch {
    /// Writes `images/NNNNNN.png`, `labels.csv` (the manifest: `path`, one column per attribute
    /// holding the class index — FER2013 order for emotion, band index for age — then the
    /// regression targets as decimals), `truth.csv` (`path`, intensity, age in years, eye
    /// centres, face box) and `sheet.png` (the first `sheetCount` faces with captions) into
    /// `directory`. Every file is written to a temporary name and renamed into place.
    public func write(to directory: URL, sheetCount: Int = 40, sheetCell: Int = 120,
                      sheetColumns: Int = 8) throws {
        let fm = FileManager.default
        let images = directory.appendingPathComponent("images")
        do { try fm.createDirectory(at: images, withIntermediateDirectories: true) } catch {
            throw SyntheticError.writeFailed("cannot create directory '\(images.path)': \(FileFailure.reason(error))")
        }
        let digits = max(6, String(max(count - 1, 0)).count)
        func name(_ i: Int) -> String {
            let s = String(i)
            return "images/" + String(repeating: "0", count: max(0, digits - s.count)) + s + ".png"
        }
        for i in 0..<count {
            let path = directory.appendingPathComponent(name(i)).path
            try atomically(path) { tmp in
                try image(i).withUnsafeBufferPointer { px in
                    try cCall("writing '\(path)'") { cvr_write_gray_png(tmp, px.baseAddress, Int32(width), Int32(height), $0, $1) }
                }
            }
        }
        let nT = targetNames.count
        var manifest = "path," + SyntheticAttribute.allCases.map(\.rawValue).joined(separator: ",") + ","
            + targetNames.joined(separator: ",") + "\n"
        var truth = "path,intensity,age_years,left_eye_x,left_eye_y,right_eye_x,right_eye_y,box_x,box_y,box_w,box_h\n"
        // Decimals always carry a point, so the manifest loader reads them as targets, not classes.
        func decimals<S: Sequence>(_ v: S) -> String where S.Element == Float {
            v.map { String(format: "%.4f", $0) }.joined(separator: ",")
        }
        for i in 0..<count {
            let classes = SyntheticAttribute.allCases.map { String(labels[$0]![i]) }.joined(separator: ",")
            manifest += name(i) + "," + classes + "," + decimals(targets[(i * nT)..<((i + 1) * nT)]) + "\n"
            truth += name(i) + "," + decimals([intensity[i], ageYears[i]] + eyes[(i * 4)..<(i * 4 + 4)]
                                              + faceBoxes[(i * 4)..<(i * 4 + 4)]) + "\n"
        }
        for (file, text) in [("labels.csv", manifest), ("truth.csv", truth)] {
            let url = directory.appendingPathComponent(file)
            do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
                throw SyntheticError.writeFailed("cannot write '\(url.path)': \(FileFailure.reason(error))")
            }
        }
        if count > 0 && sheetCount > 0 {
            try writeSheet(to: directory.appendingPathComponent("sheet.png").path, count: min(count, sheetCount), columns: sheetColumns, cell: sheetCell)
        }
    }

    /// Writes the first `count` faces as a captioned grid PNG (8 columns, 120-pixel cells).
    public func writeSheet(to path: String, count: Int, columns: Int = 8, cell: Int = 120) throws {
        guard count > 0, count <= self.count else {
            throw SyntheticError.invalidArgument("sample sheet needs 1...\(self.count) faces, got \(count)")
        }
        let captions = (0..<count).map { strdup(caption($0)) }
        defer { captions.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = captions.map { UnsafePointer($0) }
        try atomically(path) { tmp in
            try pixels.withUnsafeBufferPointer { px in
                try pointers.withUnsafeBufferPointer { caps in
                    try cCall("writing sample sheet '\(path)'") {
                        cvr_write_sample_sheet(tmp, px.baseAddress, Int32(count), Int32(width), Int32(min(columns, count)),
                                               Int32(cell), caps.baseAddress, $0, $1)
                    }
                }
            }
        }
    }
}

/// Runs `body` with a temporary sibling path of `path` (same extension), then renames it into place.
private func atomically(_ path: String, _ body: (String) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.deletingPathExtension().lastPathComponent).tmp-\(getpid()).\(url.pathExtension)")
    try body(tmp.path)
    if rename(tmp.path, path) != 0 {
        unlink(tmp.path)
        throw SyntheticError.writeFailed("cannot move '\(tmp.path)' to '\(path)': \(String(cString: strerror(errno)))")
    }
}

/// Calls a CVision function that reports errors through a message buffer.
private func cCall(_ what: String, _ body: (UnsafeMutablePointer<CChar>, Int32) -> Int32) throws {
    var err = [CChar](repeating: 0, count: 512)
    let status = err.withUnsafeMutableBufferPointer { body($0.baseAddress!, Int32($0.count)) }
    if status != 0 { throw SyntheticError.writeFailed("\(what): \(String(cString: err))") }
}
