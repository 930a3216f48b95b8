/// Bytes a set of `count` images of `side`×`side` pixels needs while it is built: a Float buffer
/// as it is rendered, decoded or normalised (4 B per pixel), the 8-bit crops kept (1 B) and the
/// Float tensor a training or prediction step makes of them (4 B). Callers compare it with the
/// memory limit before allocating (FacetSession's `Session.checkImageMemory`, `facet data`).
public func imageSetBytes(count: Int, side: Int, bytesPerPixel: Double = 9) -> Double {
    Double(count) * Double(side) * Double(side) * bytesPerPixel
}
