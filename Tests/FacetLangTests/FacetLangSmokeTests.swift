import XCTest
@testable import FacetLang
final class FacetLangSmokeTests: XCTestCase { func testModuleLoads() { XCTAssertTrue(true) } }
