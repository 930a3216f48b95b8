import ArgumentParser
import FacetJupyter
import Foundation

/// `facet jupyter install|uninstall|kernel`: Facet as a Jupyter kernel.
struct JupyterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jupyter",
        abstract: "Use Facet from JupyterLab, VS Code and nbclient: install the kernelspec, or run the kernel.",
        subcommands: [Install.self, Uninstall.self, Kernel.self])

    /// Where the kernelspec goes: `--user` (the default), `--sys-prefix` or `--prefix DIR`.
    struct Location: ParsableArguments {
        @Flag(help: "Install for the current user (default): ~/.local/share/jupyter/kernels/facet.")
        var user = false
        @Flag(help: "Install into the running Python's prefix (a virtual environment): PREFIX/share/jupyter/kernels/facet.")
        var sysPrefix = false
        @Option(help: ArgumentHelp("Install into DIR/share/jupyter/kernels/facet.", valueName: "dir"))
        var prefix: String?

        func validate() throws {
            if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
                throw ValidationError("choose one of --user, --sys-prefix and --prefix")
            }
            if prefix?.isEmpty == true { throw ValidationError("--prefix needs a folder") }
        }

        var place: JupyterKernelSpec.Place {
            if let prefix { return .prefix(prefix) }
            return sysPrefix ? .sysPrefix : .user
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the Facet kernelspec where `jupyter kernelspec list` finds it.")
        @OptionGroup var location: Location
        func run() throws {
            let folder = try JupyterKernelSpec.install(at: location.place, executable: JupyterKernelSpec.currentExecutable)
            print("installed the Facet kernel in \(folder)")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the Facet kernelspec.")
        @OptionGroup var location: Location
        func run() throws {
            let folder = try JupyterKernelSpec.uninstall(at: location.place)
            print("removed \(folder)")
        }
    }

    struct Kernel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the kernel (a Jupyter front end starts this; see the kernelspec).")
        @Option(name: .short, help: ArgumentHelp("The connection file the front end wrote.", valueName: "connection-file"))
        var file: String
        @Option(help: "Session seed.")
        var seed: UInt64 = 1
        @OptionGroup var cache: CacheOptions
        @OptionGroup var engine: ThreadOptions

        func run() throws {
            engine.apply()
            let connection = try JupyterConnection(contentsOf: file)
            let kernel = try JupyterKernel(connection: connection, seed: seed, cache: cache.policy)
            kernel.run()
        }
    }
}
