import CVision

/// Aligning every face in a photo, not just the main one (prediction on group photos).
extension FaceAligner {
    /// Every face the detector finds in `image`, largest first, each aligned exactly as `align`
    /// aligns a single face: CVision runs the same routine on a cut-out of `margin` box widths
    /// around each detected box (the cut-out keeps neighbouring faces from being chosen instead).
    ///
    /// A face that the cut-out's search does not find again (a weak detection) is returned as
    /// `.noFace` with its box and no eyes, so no detected face vanishes. When the upright search
    /// finds nothing, the result is `align`'s face (which also tries tilted copies), if any. With
    /// detection off, the result is `align`'s centre square, with that square as the box.
    ///
    /// `fromDetection`: a face whose eye pair is found in its detected box is aligned from that box,
    /// without the cut-out's second search; faster, but its box and eyes can move by a few pixels
    /// against the default (the others still go through the cut-out).
    public func alignAll(_ image: GrayImage, max: Int = 32, margin: Double = 0.6, fromDetection: Bool = false) throws -> [AlignedFace] {
        var params = pipeline.cParams
        var list: OpaquePointer?
        let detector = self.detector
        try checkedCall("aligning faces") { (err: UnsafeMutablePointer<CChar>, len: Int) -> Int32 in
            image.pixels.withUnsafeBufferPointer { (src: UnsafeBufferPointer<UInt8>) -> Int32 in
                cv_align_faces(detector, src.baseAddress, Int32(image.width), Int32(image.height), &params, margin,
                               Int32(max), fromDetection ? 1 : 0, &list, err, len)
            }
        }
        defer { cv_face_list_free(list) }
        let n = pipeline.size
        return (0..<Int(cv_face_list_count(list))).map { i in
            var result = cv_align_result()
            var crop = [UInt8](repeating: 0, count: n * n)
            _ = crop.withUnsafeMutableBufferPointer { cv_face_list_get(list, Int32(i), $0.baseAddress, &result) }
            var face = AlignedFace(result, crop: GrayImage(width: n, height: n, pixels: crop), detect: pipeline.detectFaces)
            // Every face here has a box: the one found, the detected one on `.noFace`, or the centre square.
            face.faceBox = FaceBox(result.face)
            return face
        }
    }
}
