import Foundation

/// Aligning every face in a photo, not just the main one (prediction on group photos).
extension FaceAligner {
    /// Every face the detector finds in `image`, largest first, each aligned exactly as `align`
    /// aligns a single face: the same eye search, levelling, scaling and crop.
    ///
    /// Each detected box is cut out with a margin of `margin` box widths on every side and that
    /// cut-out goes through `align`, so the crop comes from the training path itself; the cut-out
    /// keeps neighbouring faces from being chosen instead. A face that the cut-out's search does
    /// not find again (a weak detection) is returned as `.noFace` with its box and the cut-out's
    /// centre square as crop, so no detected face vanishes.
    /// When the upright search finds nothing, the whole image goes through `align` (which also
    /// tries tilted copies) and its face, if any, is the one returned. With detection off, the
    /// result is `align`'s centre square, with that square as the box.
    public func alignAll(_ image: GrayImage, max: Int = 32, margin: Double = 0.6) throws -> [AlignedFace] {
        guard pipeline.detectFaces else {
            // The model was trained on centre squares: report that square as the "face".
            var whole = try align(image)
            let side = Swift.min(image.width, image.height)
            whole.faceBox = FaceBox(x: (image.width - side) / 2, y: (image.height - side) / 2, width: side, height: side)
            return [whole]
        }
        let boxes = try detectAllFaces(image, max: max)
        guard !boxes.isEmpty else {
            let whole = try align(image)
            return whole.outcome == .noFace ? [] : [whole]
        }
        // The detector can report one face twice (boxes of slightly different sizes): a box over a
        // face already kept, before or after alignment, is the same face.
        var kept: [AlignedFace] = []
        for box in boxes where !kept.contains(where: { $0.faceBox.map { $0.overlaps(box) } ?? false }) {
            // A neighbour inside the margin can win the cut-out's search: then retry with a tight cut.
            var face = try align(image, around: box, margin: margin)
            if !face.isCentred(in: box) { face = try align(image, around: box, margin: 0.15) }
            if face.outcome == .noFace || !face.isCentred(in: box) {
                face.outcome = .noFace
                face.faceBox = box
                face.eyes = nil
            }
            if let found = face.faceBox, kept.contains(where: { $0.faceBox.map { $0.overlaps(found) } ?? false }) { continue }
            kept.append(face)
        }
        for i in kept.indices { kept[i].faces = kept.count }
        return kept
    }

    /// `align` on the cut-out of `box` grown by `margin` box widths per side, in image coordinates.
    private func align(_ image: GrayImage, around box: FaceBox, margin: Double) throws -> AlignedFace {
        let pad = Int((Double(box.width) * margin).rounded())
        let x0 = Swift.max(0, box.x - pad), y0 = Swift.max(0, box.y - pad)
        let x1 = Swift.min(image.width, box.x + box.width + pad), y1 = Swift.min(image.height, box.y + box.height + pad)
        var face = try align(image.cropped(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
        face.shift(dx: Double(x0), dy: Double(y0))
        return face
    }

    /// Upright detection on the whole image, upsampled first when small, exactly as `align` does.
    private func detectAllFaces(_ image: GrayImage, max: Int) throws -> [FaceBox] {
        let shorter = Swift.min(image.width, image.height)
        guard shorter < pipeline.upsampleBelow else { return try detectFaces(in: image, max: max) }
        let up = Double(pipeline.upsampleBelow) / Double(shorter)
        let big = try image.resized(width: Int((Double(image.width) * up).rounded()), height: Int((Double(image.height) * up).rounded()))
        return try detectFaces(in: big, max: max).map {
            FaceBox(x: Int((Double($0.x) / up).rounded()), y: Int((Double($0.y) / up).rounded()),
                    width: Int((Double($0.width) / up).rounded()), height: Int((Double($0.height) / up).rounded()))
        }
    }
}

extension FaceBox {
    /// Whether either box's centre lies inside the other.
    func overlaps(_ other: FaceBox) -> Bool {
        func contains(_ b: FaceBox, _ x: Int, _ y: Int) -> Bool { x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height }
        return contains(self, other.x + other.width / 2, other.y + other.height / 2)
            || contains(other, x + width / 2, y + height / 2)
    }
}

extension GrayImage {
    /// The pixels inside the rectangle (which must lie within the image).
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> GrayImage {
        precondition(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height, "cropped: rectangle outside the image")
        var out = [UInt8](repeating: 0, count: w * h)
        for row in 0..<h {
            let src = (y + row) * width + x
            out.replaceSubrange((row * w)..<((row + 1) * w), with: pixels[src..<(src + w)])
        }
        return GrayImage(width: w, height: h, pixels: out)
    }
}

extension AlignedFace {
    /// Whether the face found lies over `box` (its centre inside the box).
    func isCentred(in box: FaceBox) -> Bool {
        guard outcome != .noFace, let f = faceBox else { return false }
        let cx = f.x + f.width / 2, cy = f.y + f.height / 2
        return cx >= box.x && cx < box.x + box.width && cy >= box.y && cy < box.y + box.height
    }

    /// Moves the detector's coordinates by (dx, dy): from a cut-out back to the whole image.
    mutating func shift(dx: Double, dy: Double) {
        if var box = faceBox {
            box.x += Int(dx); box.y += Int(dy)
            faceBox = box
        }
        if var e = eyes {
            e.leftX += dx; e.leftY += dy; e.rightX += dx; e.rightY += dy
            eyes = e
        }
    }
}
