import ArgumentParser
import FacetEngine
import FacetMPI
import FacetSession
import Foundation

/// Entry point: fixes OpenBLAS's kernel choice before anything runs, then parses the command.
@main
enum FacetMain {
    static func main() {
        BLASBootstrap.reexecIfNeeded()
        // Under mpirun/srun: MPI_Init here, on the main thread, before any command runs.
        Ranks.world = MPICommunicator.start()
        // `facet` alone on a terminal opens the REPL.
        if CommandLine.arguments.count == 1, isatty(STDIN_FILENO) != 0 {
            Facet.main(["repl"])
        }
        var command = parse(joiningNegativeValues(Array(CommandLine.arguments.dropFirst())))
        do { try command.run() } catch { Facet.exit(withError: error) }
    }

    /// Parses the command line; a value the parser refuses is said with what is wrong with it
    /// ("--n 2.5: not a whole number"), and a whole number written with an exponent (`--n 1e3`)
    /// is read as the whole number it is.
    static func parse(_ arguments: [String]) -> ParsableCommand {
        var args = arguments
        for _ in 0..<16 {
            do { return try Facet.parseAsRoot(args) } catch {
                let message = Facet.message(for: error)
                guard let (value, option) = invalidValue(message) else { Facet.exit(withError: error) }
                if let digits = wholeDigits(value),
                   let i = args.firstIndex(where: { $0 == value || $0.hasSuffix("=" + value) }) {
                    args[i] = String(args[i].dropLast(value.count)) + digits
                    continue
                }
                printError("Error: \(option) \(value): \(whatIsWrong(value))")
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
        }
        return Facet.parseOrExit(args)
    }

    /// ("abc", "--batch") from "The value 'abc' is invalid for '--batch <batch>'".
    static func invalidValue(_ message: String) -> (String, String)? {
        guard let a = message.range(of: "The value '"), let b = message.range(of: "' is invalid for '", range: a.upperBound..<message.endIndex)
        else { return nil }
        let value = String(message[a.upperBound..<b.lowerBound])
        let option = message[b.upperBound...].prefix { $0 != " " && $0 != "'" }
        return (value, String(option))
    }

    /// "1000" for "1e3"; nil unless the text is a whole number written with an exponent or a
    /// trailing ".0", within Int64.
    static func wholeDigits(_ text: String) -> String? {
        guard text.contains(where: { "eE.".contains($0) }), let v = Double(text), v.isFinite, v == v.rounded(),
              abs(v) < 9.2e18 else { return nil }
        return String(Int64(v))
    }

    /// Why a number option refused a value, in words.
    static func whatIsWrong(_ value: String) -> String {
        guard let v = Double(value) else { return "not a number" }
        if !v.isFinite { return "not a finite number" }
        if v != v.rounded() { return "not a whole number" }
        if v < 0 { return "cannot be negative" }
        return "too large"
    }

    /// `--older-than -5d` as `--older-than=-5d`: the parser would read a value that starts with
    /// `-` as another option and say "Missing value", where the command's own check says what is
    /// wrong with the value ("an age cannot be negative"). Only values that look like negative
    /// numbers are joined.
    static func joiningNegativeValues(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" { out += args[i...]; break }
            if a.hasPrefix("--"), a.count > 2, !a.contains("="), i + 1 < args.count, looksNegative(args[i + 1]) {
                out.append(a + "=" + args[i + 1]); i += 2; continue
            }
            out.append(a); i += 1
        }
        return out
    }

    private static func looksNegative(_ s: String) -> Bool {
        guard s.hasPrefix("-"), s.count > 1 else { return false }
        let c = s[s.index(after: s.startIndex)]
        return c.isNumber || c == "."
    }
}

/// The MPI world when a launcher started this process (docs/distributed.md); nil otherwise, and
/// then MPI is never touched.
enum Ranks {
    nonisolated(unsafe) static var world: MPICommunicator?
    /// Who prints and writes (rank 0, or the only process): the one output policy.
    static var output: OutputPolicy { OutputPolicy(collective: world) }
}

struct Facet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Recognise semantic features in faces with convolutional networks.",
        version: Engine.version,
        subcommands: [Run.self, ReplCommand.self, CheckCommand.self, FmtCommand.self, SummaryCommand.self, DataCommand.self, Predict.self, ExportCommand.self, Bench.self, CacheCommand.self, JupyterCommand.self, ConvertCommand.self, LspCommand.self])
}
