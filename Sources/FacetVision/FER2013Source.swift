/// A FER2013 CSV as a sample source: label "emotion" (7 classes), split from the Usage column.
struct FER2013Source {
    let path: String

    func samples() throws -> SampleList {
        let table = try FER2013Table.load(path: path)
        let side = table.side, pixels = table.pixels
        return SampleList(
            names: table.lines.map { "\(path):\($0)" }, attributes: ["emotion"],
            labels: ["emotion": table.emotion], classes: ["emotion": FER2013Table.emotionNames],
            splits: table.usage,
            image: { i in GrayImage(width: side, height: side, pixels: Array(pixels[(i * side * side)..<((i + 1) * side * side)])) },
            rawSide: side, rawPixels: pixels)
    }

    /// Fingerprint: path, size, modification time and the first and last 64 KiB.
    func fingerprint(into print: inout Fingerprint) throws {
        try print.addFile(path, sampleContent: true)
    }
}
