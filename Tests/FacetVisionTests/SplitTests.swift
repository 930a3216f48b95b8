import XCTest
@testable import FacetVision

final class SplitTests: XCTestCase {
    func testSeededSplitIsDeterministicWithRequestedFractions() throws {
        let a = try assignSplits(count: 1000, plan: .random(seed: 42), given: nil, labels: [:])
        let b = try assignSplits(count: 1000, plan: .random(seed: 42), given: nil, labels: [:])
        let c = try assignSplits(count: 1000, plan: .random(seed: 43), given: nil, labels: [:])
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.filter { $0 == .train }.count, 800)
        XCTAssertEqual(a.filter { $0 == .valid }.count, 100)
        XCTAssertEqual(a.filter { $0 == .test }.count, 100)
    }

    func testStratifiedSplitKeepsClassProportions() throws {
        // 900 of class 0, 100 of class 1, 50 missing.
        let labels: [Int32] = Array(repeating: 0, count: 900) + Array(repeating: 1, count: 100) + Array(repeating: -1, count: 50)
        let splits = try assignSplits(count: labels.count, plan: .random(train: 0.8, valid: 0.1, seed: 1, stratifyBy: "y"),
                                      given: nil, labels: ["y": labels])
        func count(_ label: Int32, _ split: Split) -> Int { zip(labels, splits).filter { $0 == label && $1 == split }.count }
        XCTAssertEqual(count(1, .train), 80)
        XCTAssertEqual(count(1, .valid), 10)
        XCTAssertEqual(count(1, .test), 10)
        XCTAssertEqual(count(0, .valid), 90)
        XCTAssertEqual(count(-1, .test), 5)
    }

    func testSplitFromSourceAndErrors() throws {
        let given: [Split] = [.train, .test, .valid]
        XCTAssertEqual(try assignSplits(count: 3, plan: .fromSource, given: given, labels: [:]), given)
        XCTAssertEqual(try assignSplits(count: 3, plan: .automatic, given: given, labels: [:]), given)
        assertThrows(["no split column"]) { try assignSplits(count: 3, plan: .fromSource, given: nil, labels: [:]) }
        assertThrows(["cannot stratify by 'age'"]) {
            try assignSplits(count: 3, plan: .random(stratifyBy: "age"), given: nil, labels: ["emotion": [0, 1, 2]])
        }
        assertThrows(["fractions"]) { try assignSplits(count: 3, plan: .random(train: 0.9, valid: 0.2), given: nil, labels: [:]) }
    }

    func testSplitNames() {
        XCTAssertEqual(Split(name: "Training"), .train)
        XCTAssertEqual(Split(name: "PublicTest"), .valid)
        XCTAssertEqual(Split(name: "PrivateTest"), .test)
        XCTAssertEqual(Split(name: " validation "), .valid)
        XCTAssertNil(Split(name: "dev"))
    }
}
