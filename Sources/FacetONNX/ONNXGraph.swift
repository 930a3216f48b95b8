import Foundation
import SwiftProtobuf

/// A graph under construction: nodes in execution order and the constant tensors they read.
/// Tensor names are made unique here, so the layer writers only say what they compute.
struct ONNXGraph {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var used: Set<String> = []

    /// Names that must not be taken by intermediate tensors (the graph's input and outputs).
    init(reserved: Set<String>) { used = reserved }

    /// A fresh tensor name starting with `base` ("l3.lcn.mean", then "l3.lcn.mean.1", …).
    mutating func name(_ base: String) -> String {
        var candidate = base, k = 0
        while used.contains(candidate) { k += 1; candidate = "\(base).\(k)" }
        used.insert(candidate)
        return candidate
    }

    /// A Float32 constant of `shape`; returns its name.
    mutating func constant(_ base: String, shape: [Int], values: [Float]) -> String {
        precondition(shape.reduce(1, *) == values.count, "constant \(base): shape \(shape) vs \(values.count) values")
        var t = Onnx_TensorProto()
        t.name = name(base)
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        // raw_data: the values as little-endian bytes (ONNX's byte order whatever the host's), one
        // plain copy rather than 88 M protobuf float fields for the paper's net.
        t.rawData = values.withUnsafeBufferPointer { v in
            var data = Data(count: v.count * 4)
            data.withUnsafeMutableBytes { raw in
                for (i, x) in v.enumerated() { raw.storeBytes(of: x.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
            }
            return data
        }
        initializers.append(t)
        return t.name
    }

    /// An Int64 constant (shapes for Expand and Reshape); returns its name.
    mutating func int64Constant(_ base: String, values: [Int64]) -> String {
        var t = Onnx_TensorProto()
        t.name = name(base)
        t.dims = [Int64(values.count)]
        t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        t.int64Data = values
        initializers.append(t)
        return t.name
    }

    /// Appends a node of `op` reading `inputs`; its one output is `output` when given (a graph
    /// output's fixed name), else a fresh name from `base`. Returns the output's name.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ base: String, output: String? = nil,
                       ints: [String: [Int]] = [:], int: [String: Int] = [:]) -> String {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        let out = output ?? name(base)
        n.output = [out]
        n.name = out
        for (key, values) in ints.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto(); a.name = key; a.type = .ints; a.ints = values.map(Int64.init)
            n.attribute.append(a)
        }
        for (key, value) in int.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto(); a.name = key; a.type = .int; a.i = Int64(value)
            n.attribute.append(a)
        }
        nodes.append(n)
        return out
    }
}

/// A float tensor's type with the batch dimension left symbolic ("N").
func floatTensorInfo(_ name: String, dims: [Int]) -> Onnx_ValueInfoProto {
    var shape = Onnx_TensorShapeProto()
    var batch = Onnx_TensorShapeProto.Dimension(); batch.dimParam = "N"
    shape.dim = [batch] + dims.map { d in var x = Onnx_TensorShapeProto.Dimension(); x.dimValue = Int64(d); return x }
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    tensor.shape = shape
    var type = Onnx_TypeProto(); type.tensorType = tensor
    var info = Onnx_ValueInfoProto(); info.name = name; info.type = type
    return info
}
