import XCTest
@testable import FacetSynthetic
import FacetVision

/// Ground truth: eye centres and face boxes agree with what is drawn.
final class SyntheticGeometryTests: XCTestCase {
    /// Mean grey of a (2r+1)² patch of image `i` around (x, y).
    private func patchMean(_ b: SyntheticBatch, _ i: Int, _ x: Float, _ y: Float, r: Int = 1) -> Float {
        let img = Array(b.image(i))
        var sum: Float = 0, n: Float = 0
        for dy in -r...r {
            for dx in -r...r {
                let px = Int(x.rounded()) + dx, py = Int(y.rounded()) + dy
                guard px >= 0, py >= 0, px < b.width, py < b.height else { continue }
                sum += img[py * b.width + px]; n += 1
            }
        }
        return sum / max(n, 1)
    }

    func testCropsPutThePupilsAtTheCanonicalPositions() throws {
        let b = try SyntheticFaces.generate(count: 12, seed: 3, size: 64, options: .clean)
        for i in 0..<b.count {
            XCTAssertEqual(b.eyes[i * 4], CanonicalEyes.leftX * 64, accuracy: 1e-3)
            XCTAssertEqual(b.eyes[i * 4 + 1], CanonicalEyes.y * 64, accuracy: 1e-3)
            XCTAssertEqual(b.eyes[i * 4 + 2], CanonicalEyes.rightX * 64, accuracy: 1e-3)
            XCTAssertEqual(b.eyes[i * 4 + 3], CanonicalEyes.y * 64, accuracy: 1e-3)
        }
    }

    func testPupilsAreDarkerThanTheCheeksBelowThem() throws {
        // Where the ground truth says the pupils are, the image must show dark irises.
        let b = try SyntheticFaces.generate(count: 20, seed: 8, size: 96, scenes: true, options: .clean)
        var darker = 0
        for i in 0..<b.count {
            let lx = b.eyes[i * 4], ly = b.eyes[i * 4 + 1], rx = b.eyes[i * 4 + 2], ry = b.eyes[i * 4 + 3]
            let d = ((rx - lx) * (rx - lx) + (ry - ly) * (ry - ly)).squareRoot()
            // A cheek point half an eye distance below each pupil, perpendicular to the eye line.
            let nx = -(ry - ly) / d, ny = (rx - lx) / d
            let eye = (patchMean(b, i, lx, ly) + patchMean(b, i, rx, ry)) / 2
            let cheek = (patchMean(b, i, lx + nx * d * 0.5, ly + ny * d * 0.5, r: 2)
                         + patchMean(b, i, rx + nx * d * 0.5, ry + ny * d * 0.5, r: 2)) / 2
            if eye < cheek - 10 { darker += 1 }
        }
        XCTAssertGreaterThanOrEqual(darker, 18, "pupils should be darker than cheeks in nearly every face")
    }

    func testSceneBoxesContainTheEyesAndLieMostlyInsideTheScene() throws {
        let b = try SyntheticFaces.generate(count: 30, seed: 4, scenes: true)
        for i in 0..<b.count {
            let x = b.faceBoxes[i * 4], y = b.faceBoxes[i * 4 + 1], w = b.faceBoxes[i * 4 + 2], h = b.faceBoxes[i * 4 + 3]
            XCTAssertGreaterThan(w, 10); XCTAssertGreaterThan(h, 10)
            for k in [0, 2] {
                let ex = b.eyes[i * 4 + k], ey = b.eyes[i * 4 + k + 1]
                XCTAssertTrue(ex > x && ex < x + w && ey > y && ey < y + h, "face \(i): eye outside its box")
            }
            let cx = x + w / 2, cy = y + h / 2
            XCTAssertTrue(cx > 0 && cx < Float(b.width) && cy > 0 && cy < Float(b.height), "face \(i) centre off-scene")
        }
    }

    func testSceneRollMatchesTheEyeLine() throws {
        var o = SyntheticOptions.clean
        o.rollSD = 12
        let b = try SyntheticFaces.generate(count: 40, seed: 2, scenes: true, options: o)
        let angles: [Float] = (0..<b.count).map { i in
            let dy: Float = b.eyes[i * 4 + 3] - b.eyes[i * 4 + 1], dx: Float = b.eyes[i * 4 + 2] - b.eyes[i * 4]
            return atan2f(dy, dx) * 180 / Float.pi
        }
        XCTAssertGreaterThan(angles.map(abs).max()!, 8, "scenes should be rolled")
        let crops = try SyntheticFaces.generate(count: 10, seed: 2, options: o)
        for i in 0..<crops.count {
            XCTAssertEqual(crops.eyes[i * 4 + 1], crops.eyes[i * 4 + 3], accuracy: 1e-3, "crops are level")
        }
    }

    func testYawAndPitchTargetsFollowTheOptions() throws {
        let frontal = try SyntheticFaces.generate(count: 10, seed: 6, options: .clean)
        let n = frontal.targetNames.count
        for i in 0..<frontal.count {
            XCTAssertEqual(frontal.targets[i * n + n - 2], 0)
            XCTAssertEqual(frontal.targets[i * n + n - 1], 0)
        }
        let varied = try SyntheticFaces.generate(count: 200, seed: 6)
        let yaws = (0..<varied.count).map { varied.targets[$0 * n + n - 2] }
        XCTAssertLessThanOrEqual(yaws.map(abs).max()!, 12 * 2.5 + 1e-3)
        XCTAssertGreaterThan(yaws.map(abs).max()!, 15)
    }
}
