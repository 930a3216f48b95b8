import FacetRandom
import XCTest

/// The one seeded generator: the same seed gives the same stream; shuffling is a permutation fixed by the seed.
final class SeededGeneratorTests: XCTestCase {
    func testTheSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        XCTAssertEqual(first, (0..<8).map { _ in b.next() })
        XCTAssertNotEqual(first, (0..<8).map { _ in c.next() })
    }

    func testShuffleIsAPermutationFixedByTheSeed() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        var x = Array(0..<100), y = Array(0..<100)
        a.shuffle(&x)
        b.shuffle(&y)
        XCTAssertEqual(x, y)
        XCTAssertNotEqual(x, Array(0..<100))
        XCTAssertEqual(x.sorted(), Array(0..<100))
    }

    func testAdvancedByIsThatManyDraws() {
        for draws in [0, 1, 2, 17, 1000] {
            var serial = SeededGenerator(seed: 123_456)
            let start = serial
            for _ in 0..<draws { _ = serial.next() }
            var jumped = start.advanced(by: draws)
            XCTAssertEqual(jumped.state, serial.state, "\(draws) draws")
            XCTAssertEqual(jumped.next(), serial.next(), "the draw after \(draws)")
        }
    }
}
