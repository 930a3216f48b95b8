import FacetEngine

/// Local contrast normalisation (docs/engine.md) as standard ONNX operators. For x: [N, C, H, W],
/// G the layer's size×size Gaussian (zero padding) and "rep" a 1×1 convolution that copies one
/// map C times:
///
///     xm = Conv1×1(x, 1/C)                      [N, 1, H, W]   mean over maps
///     z  = Conv(xm·0 + 1, G)                    [N, 1, H, W]   Σ of G inside the image (border renormaliser)
///     v  = x − rep(Conv(xm, G) / z)             [N, C, H, W]
///     σ  = Sqrt(Relu(Conv(Conv1×1(v², 1/C), G) / z))           [N, 1, H, W]
///     s  = ConvTranspose(GlobalAveragePool(σ), ones H×W)      mean σ on every pixel
///     d  = Relu(Max(σ, s) − ε) + ε                             = max(σ, mean σ, ε)
///     y  = v / rep(d)
///
/// Every binary op reads two tensors of one shape (or a scalar constant) because OpenCV 4.6's
/// importer (tested) rejects or mis-runs the alternatives: broadcasting over maps or pixels fails
/// for batches above one; a product by a per-pixel constant after a convolution is folded into its
/// weights as if it were a per-map scale (hence z is computed in-graph, not stored); Max and Clip
/// with a constant are refused (hence the Relu form of max(·, ε)).
extension ONNXExport {
    static func writeLCN(_ layer: LocalContrastNorm, input x: String, base: String, into g: inout ONNXGraph) -> String {
        let shape = layer.inputShape
        let c = shape.channels, h = shape.height, w = shape.width, k = layer.size, r = k / 2
        let window = layer.kernel.flatMap { a in layer.kernel.map { b in a * b } }   // G = g gᵀ, size×size
        let blur = ["kernel_shape": [k, k], "pads": [r, r, r, r]]
        let point = ["kernel_shape": [1, 1]]

        let average = g.constant("\(base).average", shape: [1, c, 1, 1], values: [Float](repeating: 1 / Float(c), count: c))
        let replicate = g.constant("\(base).replicate", shape: [c, 1, 1, 1], values: [Float](repeating: 1, count: c))
        let gauss = g.constant("\(base).window", shape: [1, 1, k, k], values: window)
        let plane = g.constant("\(base).plane", shape: [1, 1, h, w], values: [Float](repeating: 1, count: h * w))
        let zero = g.constant("\(base).zero", shape: [], values: [0])
        let one = g.constant("\(base).one", shape: [], values: [1])
        let epsilon = g.constant("\(base).epsilon", shape: [], values: [LocalContrastNorm.epsilon])

        // mean over maps and its window; z renormalises the window at the borders
        let xm = g.node("Conv", [x, average], "\(base).map_mean", ints: point)
        let ones = g.node("Add", [g.node("Mul", [xm, zero], "\(base).zeros"), one], "\(base).ones")
        let z = g.node("Conv", [ones, gauss], "\(base).window_sum", ints: blur)
        let mean = g.node("Div", [g.node("Conv", [xm, gauss], "\(base).mean_raw", ints: blur), z], "\(base).mean")
        let v = g.node("Sub", [x, g.node("Conv", [mean, replicate], "\(base).mean_maps", ints: point)], "\(base).centred")
        // local standard deviation
        let squares = g.node("Conv", [g.node("Mul", [v, v], "\(base).squares"), average], "\(base).map_squares", ints: point)
        let variance = g.node("Div", [g.node("Conv", [squares, gauss], "\(base).variance_raw", ints: blur), z], "\(base).variance")
        let sigma = g.node("Sqrt", [g.node("Relu", [variance], "\(base).variance_pos")], "\(base).sigma")
        // d = max(σ, mean σ, ε)
        let meanSigma = g.node("ConvTranspose", [g.node("GlobalAveragePool", [sigma], "\(base).sigma_mean"), plane],
                               "\(base).sigma_mean_plane", ints: ["kernel_shape": [h, w]])
        let larger = g.node("Max", [sigma, meanSigma], "\(base).sigma_floor")
        let above = g.node("Relu", [g.node("Sub", [larger, epsilon], "\(base).above_eps_raw")], "\(base).above_eps")
        let divisor = g.node("Add", [above, epsilon], "\(base).divisor")
        return g.node("Div", [v, g.node("Conv", [divisor, replicate], "\(base).divisor_maps", ints: point)], base)
    }
}
