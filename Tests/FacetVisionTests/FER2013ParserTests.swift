import XCTest
@testable import FacetVision

final class FER2013ParserTests: XCTestCase {
    /// Parses CSV text; images are 2×2 (4 pixels) to keep fixtures readable.
    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> FER2013Table {
        var copy = text
        return try copy.withUTF8 { try FER2013Table.parse(UnsafeRawBufferPointer($0), name: "fer.csv") }
    }

    func testParsesStandardHeaderAndUsage() throws {
        let table = try parse("""
            emotion,pixels,Usage
            0,1 2 3 4,Training
            6,255 0 10 20,PublicTest
            3,5 6 7 8,PrivateTest

            """)
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(table.side, 2)
        XCTAssertEqual(table.emotion, [0, 6, 3])
        XCTAssertEqual(table.pixels, [1, 2, 3, 4, 255, 0, 10, 20, 5, 6, 7, 8])
        XCTAssertEqual(table.usage, [.train, .valid, .test])
        XCTAssertEqual(table.lines, [2, 3, 4])
    }

    func testAcceptsCRLFAndMissingFinalNewline() throws {
        let table = try parse("emotion,pixels,Usage\r\n1,1 2 3 4,Training\r\n2,4 3 2 1,Training")
        XCTAssertEqual(table.emotion, [1, 2])
        XCTAssertEqual(table.pixels, [1, 2, 3, 4, 4, 3, 2, 1])
    }

    func testHeaderVariants() throws {
        // ICML release: different order and spaces after commas.
        let icml = try parse("emotion, Usage, pixels\n2, PrivateTest, 9 8 7 6\n")
        XCTAssertEqual(icml.emotion, [2])
        XCTAssertEqual(icml.usage, [.test])
        XCTAssertEqual(icml.pixels, [9, 8, 7, 6])
        // Byte-order mark, quoted names and fields, upper case.
        let quoted = try parse("\u{FEFF}\"EMOTION\",\"PIXELS\",\"USAGE\"\n\"4\",\"1 1 1 1\",\"Training\"\n")
        XCTAssertEqual(quoted.emotion, [4])
        // No Usage column: no split from the source.
        let noUsage = try parse("emotion,pixels\n5,1 2 3 4\n")
        XCTAssertNil(noUsage.usage)
        // No header at all.
        let headerless = try parse("1,1 2 3 4,Training\n")
        XCTAssertEqual(headerless.lines, [1])
        XCTAssertEqual(headerless.usage, [.train])
    }

    func testMissingFieldNamesLine() {
        assertThrows(["fer.csv:3:", "expected 3 fields", "found 2"]) {
            try parse("emotion,pixels,Usage\n0,1 2 3 4,Training\n0,1 2 3 4\n")
        }
    }

    func testWrongPixelCountNamesLineAndCounts() {
        assertThrows(["fer.csv:3:", "pixels has 3 values, expected 4 (2×2)"]) {
            try parse("emotion,pixels,Usage\n0,1 2 3 4,Training\n0,1 2 3,Training\n")
        }
        assertThrows(["fer.csv:2:", "5 values, which is not a square image"]) {
            try parse("emotion,pixels,Usage\n0,1 2 3 4 5,Training\n")
        }
        assertThrows(["fer.csv:3:", "pixels has 5 values"]) {
            try parse("emotion,pixels,Usage\n0,1 2 3 4,Training\n0,1 2 3 4 5,Training\n")
        }
    }

    func testBadValuesNameLine() {
        // The message names the pixel's position and its value (it used to print the position as the value).
        assertThrows(["fer.csv:2:", "pixel 3 is 300, outside 0...255"]) { try parse("emotion,pixels,Usage\n0,1 2 300 4,Training\n") }
        assertThrows(["fer.csv:2:", "pixel 2 is 2560, outside 0...255"]) { try parse("emotion,pixels,Usage\n0,1 2560 3 4,Training\n") }
        assertThrows(["fer.csv:2:", "'x'"]) { try parse("emotion,pixels,Usage\n0,1 2 x 4,Training\n") }
        assertThrows(["fer.csv:2:", "emotion 7 is outside 0...6"]) { try parse("emotion,pixels,Usage\n7,1 2 3 4,Training\n") }
        assertThrows(["fer.csv:2:", "emotion 'a' is not an integer"]) { try parse("emotion,pixels,Usage\na,1 2 3 4,Training\n") }
        assertThrows(["fer.csv:2:", "emotion is empty"]) { try parse("emotion,pixels,Usage\n,1 2 3 4,Training\n") }
        assertThrows(["fer.csv:2:", "Usage 'Holdout'"]) { try parse("emotion,pixels,Usage\n0,1 2 3 4,Holdout\n") }
    }

    func testHeaderWithoutPixelsAndEmptyFilesAreErrors() {
        assertThrows(["fer.csv:1:", "no 'pixels' column"]) { try parse("emotion,image,Usage\n0,1 2 3 4,Training\n") }
        assertThrows(["fer.csv", "no data rows"]) { try parse("emotion,pixels,Usage\n") }
        assertThrows(["fer.csv", "no data rows"]) { try parse("") }
    }

    func testBlankLinesAreNotSamplesAndLineNumbersStayTrue() throws {
        let table = try parse("emotion,pixels,Usage\n\n0,1 2 3 4,Training\n   \n1,1 2 3 4,Training\n")
        XCTAssertEqual(table.lines, [3, 5])
        assertThrows(["fer.csv:4:"]) { try parse("emotion,pixels,Usage\n\n0,1 2 3 4,Training\n0,1,Training\n") }
    }
}

final class FER2013ChunkTests: XCTestCase {
    /// Rows are parsed in parallel chunks: results and line numbers must not depend on the split.
    func testChunkedParseMatchesSingleChunkAndKeepsAbsoluteLines() throws {
        var text = "emotion,pixels,Usage\n"
        for r in 0..<101 {
            text += r % 10 == 3 ? "\r\n" : ""  // blank lines shift line numbers
            text += "\(r % 7),\(r % 256) 1 2 \(255 - r % 256),\(r % 2 == 0 ? "Training" : "PrivateTest")\r\n"
        }
        func parse(_ text: String, workers: Int) throws -> FER2013Table {
            var copy = text
            return try copy.withUTF8 { bytes in
                var parser = FER2013Parser(name: "fer.csv", bytes: UnsafeRawBufferPointer(bytes))
                parser.workers = workers
                return try parser.parse()
            }
        }
        let one = try parse(text, workers: 1)
        for workers in [2, 3, 7] {
            let many = try parse(text, workers: workers)
            XCTAssertEqual(many.pixels, one.pixels, "workers \(workers)")
            XCTAssertEqual(many.lines, one.lines, "workers \(workers)")
            XCTAssertEqual(many.usage, one.usage, "workers \(workers)")
        }
        XCTAssertEqual(one.count, 101)
        XCTAssertEqual(one.lines.last, 1 + 101 + 10)
        // An error near the end is reported at its true line whatever the chunking.
        let bad = text + "1,1 2 3,Training\n"
        for workers in [1, 2, 5] {
            assertThrows(["fer.csv:\(1 + 101 + 10 + 1):", "pixels has 3 values"]) { try parse(bad, workers: workers) }
        }
    }
}
