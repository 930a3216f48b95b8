import ArgumentParser
import FacetBench
import FacetEngine
import FacetFiles
import FacetLang
import Foundation

/// `facet bench --net …` and `--compare …`: which net to measure, described in the language.
extension Bench {
    /// What `--net` names: a file and a call built from NAME and name=value arguments, or one
    /// expression evaluated with stdlib/ loaded (`'ferc(fc: 256)'`; a bare name is called with
    /// its defaults). Nil without `--net`: the paper's net (`NetSpec.paper`).
    static func netCall(_ values: [String]) throws -> (file: String?, expression: String)? {
        guard let first = values.first else { return nil }
        if first.hasSuffix(".facet") {
            guard values.count >= 2 else {
                throw ValidationError("--net \(first) needs the net's name after the file, e.g. --net \(first) ferc fc=256")
            }
            var args: [String] = []
            for a in values.dropFirst(2) {
                guard let eq = a.firstIndex(of: "="), !a[..<eq].isEmpty, a.index(after: eq) < a.endIndex else {
                    throw ValidationError("--net: argument `\(a)` is not name=value (e.g. fc=256)")
                }
                args.append("\(a[..<eq]): \(a[a.index(after: eq)...])")
            }
            return (first, "\(values[1])(" + args.joined(separator: ", ") + ")")
        }
        guard values.count == 1 else {
            throw ValidationError("--net takes a .facet file, a net's name and name=value arguments, or one expression "
                                  + "such as 'ferc(fc: 256)'; got \(values.map { "`\($0)`" }.joined(separator: " "))")
        }
        return (nil, isIdentifier(first) ? first + "()" : first)
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard let c = s.first, c.isLetter || c == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// The nets to measure, each with the name reports give it: `--compare`'s expressions, else
    /// `--net`'s one, else the paper's net.
    func benchNets() throws -> [(spec: NetSpec, name: String)] {
        let calls: [(file: String?, expression: String)]
        if !compare.isEmpty {
            calls = try compare.map { try Self.netCall([$0])! }
        } else if let call = try Self.netCall(net) {
            calls = [call]
        } else {
            return [(NetSpec.paper, "paper net")]
        }
        let interpreter = try toolSession().interpreter
        var out: [(NetSpec, String)] = []
        for call in calls {
            let source = SourceFile(name: "<command line>", text: call.expression)
            try exitingOnLanguageErrors(call.file ?? "facet bench") {
                if let file = call.file { try interpreter.declare(try SourceFile(path: file)) }
                let value = try interpreter.run(source)
                guard case let .net(n) = value else {
                    printError("facet bench: error: `\(call.expression)` is a \(value.typeName), not a net")
                    throw ExitCode(1)
                }
                guard let spec = n.spec else {
                    printError("facet bench: error: `\(n.name)` is a block without `input`: it can only be used inside another net")
                    throw ExitCode(1)
                }
                guard !spec.heads.isEmpty else {
                    printError("facet bench: error: `\(n.name)` has no head, so it cannot be trained")
                    throw ExitCode(1)
                }
                out.append((spec, n.call))
            }
        }
        return out
    }

    /// Several nets side by side: one column per net.
    func printComparison(_ results: [Benchmark.Result]) {
        func row(_ label: String, _ value: (Benchmark.Result) -> String) {
            let padded = label.padding(toLength: 28, withPad: " ", startingAt: 0)
            print(padded + results.map { value($0).leftPadded(to: 16) }.joined())
        }
        for (i, r) in results.enumerated() { print("[\(i + 1)] \(r.net)") }
        print(String(repeating: " ", count: 28) + results.indices.map { "[\($0 + 1)]".leftPadded(to: 16) }.joined())
        row("parameters", { String(format: "%.2f M", Double($0.parameters) / 1e6) })
        row("training images/s", { String(format: "%.1f", $0.trainImagesPerSecond) })
        row("% of limit (training)", { String(format: "%.0f %%", 100 * $0.limitRatio) })
        row("inference images/s", { String(format: "%.1f", $0.inferenceImagesPerSecond) })
        row("batch-1 latency ms", { String(format: "%.2f", $0.latencyBatch1Milliseconds) })
        row("latency / weight-read floor", { String(format: "%.2f", $0.latencyOverFloor) })
        row("peak resident MB", { String(format: "%.0f", $0.peakResidentMB) })
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
