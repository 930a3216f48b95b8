import FacetFiles
import FacetLang
import FacetVision
import Foundation

// MARK: - Builtin bodies

extension DataBuiltins {
    /// `samples(...)`: a PNG grid of crops as the network sees them, one row per class with `by:`.
    func builtinSamples(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let (data, task) = try datasetArgument(args["data"], args.range("data"))
        let n = try args.positiveInt("n")
        let by = try attributeArgument(args, "by", of: data)
        let seed = try seeds.seedArgument(args)
        guard data.count > 0 else { throw ctx.error("\(data.name) is empty: there is nothing to show") }
        // The grid enlarges each crop to a tile of at least SampleGrid.smallestTile pixels, with captions.
        let shownCount = min(n, data.count), tile = max(data.size, SampleGrid.smallestTile) + 60
        try DataMemory.checkImageMemory(count: shownCount, side: tile, "a grid of \(shownCount) crops", at: args.range("n"),
                                  hint: "show fewer with a smaller `n:`")
        let png: Data, selection: SampleSelection
        do {
            selection = try data.face.sampleSelection(n: n, by: by, seed: seed)
            let grid = try data.face.sampleGrid(selection, captionLines: 3) { i in
                if by == nil, case let .attribute(a) = task { return data.face.labelCaption(i, only: a) }
                return data.face.labelCaption(i, skipping: by)
            }
            png = try grid.png()
        } catch { throw ctx.error(FileFailure.describe(error)) }
        let shown = selection.indices
        let caption = "\(shown.count) samples of \(data.name)" + (by.map { " by \($0)" } ?? "")
        return .foreign(ImageValue(kind: "samples", caption: caption, png: png, note: selection.note,
                                   fields: ["indices": .list(shown.map { .number(Double($0)) }),
                                            "count": .number(Double(shown.count))]))
    }

    /// An optional attribute-name argument (`by:`): none, or an attribute `data` has — else an error
    /// at the argument that lists the attributes, with a did-you-mean.
    func attributeArgument(_ args: BoundArguments, _ name: String, of data: DatasetValue) throws -> String? {
        switch args[name] {
        case .none: return nil
        case let .string(a):
            guard data.attribute(a) == nil else { return a }
            let has = data.face.attributes.isEmpty ? "no attributes" : "attributes " + data.face.attributes.joined(separator: ", ")
            throw Diagnostic(args.range(name), "\(data.name) has no attribute '\(a)'; it has \(has)",
                             hint: didYouMeanText(a, data.face.attributes))
        case let v:
            throw Diagnostic(args.range(name), "\(name): expects an attribute name such as \"emotion\", got \(v.typeName)")
        }
    }
}
