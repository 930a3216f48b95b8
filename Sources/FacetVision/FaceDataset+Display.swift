/// Crops as a person should see them: what the network sees, in display bytes.
extension FaceDataset {
    /// The crop of sample `index` as the network sees it (after contrast normalisation when the
    /// data have it), stretched linearly so its darkest pixel is 0 and its brightest 255; a crop
    /// without normalisation is its stored bytes, a flat normalised crop is mid-grey (128).
    public func displayPixels(_ index: Int) -> [UInt8] {
        if normalisation == .none, statistics == nil { return Array(crops.crop(index)) }
        let values = pixels([index])
        guard let low = values.min(), let high = values.max(), high > low, low.isFinite, high.isFinite else {
            return [UInt8](repeating: 128, count: values.count)
        }
        let span = high - low
        return values.map { UInt8(max(0, min(255, (($0 - low) / span * 255).rounded()))) }
    }
}
