import FacetFiles
import Foundation

/// The kernelspec (`kernels/facet/kernel.json`) that tells Jupyter how to start Facet's kernel.
public enum JupyterKernelSpec {
    public enum Place: Equatable {
        /// The user's Jupyter data folder: `$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else
        /// `~/.local/share/jupyter` (`~/Library/Jupyter` on macOS).
        case user
        /// The active Python environment's `share/jupyter` (`$VIRTUAL_ENV`, `$CONDA_PREFIX`, else
        /// the `sys.prefix` of `python3`).
        case sysPrefix
        case prefix(String)
    }

    /// `kernel.json`'s content: `argv` ends in `{connection_file}`; interrupts come as messages.
    public static func json(executable: String) -> Data {
        let spec: [String: Any] = [
            "argv": [executable, "jupyter", "kernel", "-f", "{connection_file}"],
            "display_name": "Facet",
            "language": "facet",
            "interrupt_mode": "message",
            "metadata": ["debugger": false],
        ]
        let data = try! JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return data + Data("\n".utf8)
    }

    /// The folder `kernels/facet` for a place.
    public static func folder(_ place: Place, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let share: String
        switch place {
        case .prefix(let p): share = p + "/share/jupyter"
        case .sysPrefix:
            guard let prefix = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"] ?? pythonPrefix() else {
                throw JupyterError("--sys-prefix: no Python environment found (no VIRTUAL_ENV or CONDA_PREFIX, and python3 did not answer); use --prefix DIR")
            }
            share = prefix + "/share/jupyter"
        case .user:
            if let d = environment["JUPYTER_DATA_DIR"], !d.isEmpty { share = d }
            else if let x = environment["XDG_DATA_HOME"], !x.isEmpty { share = x + "/jupyter" }
            else {
                let home = environment["HOME"] ?? NSHomeDirectory()
                #if os(macOS)
                share = home + "/Library/Jupyter"
                #else
                share = home + "/.local/share/jupyter"
                #endif
            }
        }
        return share + "/kernels/facet"
    }

    /// Writes the kernelspec; returns its folder.
    @discardableResult
    public static func install(at place: Place, executable: String) throws -> String {
        let dir = try folder(place)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try json(executable: executable).write(to: URL(fileURLWithPath: dir + "/kernel.json"), options: .atomic)
        } catch {
            throw JupyterError("cannot write the kernelspec in \(dir): \(FileFailure.reason(error))")
        }
        return dir
    }

    /// Removes the kernelspec; returns the folder it was in.
    @discardableResult
    public static func uninstall(at place: Place) throws -> String {
        let dir = try folder(place)
        guard FileManager.default.fileExists(atPath: dir + "/kernel.json") else {
            throw JupyterError("no Facet kernelspec in \(dir)")
        }
        do { try FileManager.default.removeItem(atPath: dir) } catch {
            throw JupyterError("cannot remove \(dir): \(FileFailure.reason(error))")
        }
        return dir
    }

    /// This process's executable, as an absolute path (the kernelspec must not depend on the
    /// folder Jupyter starts in).
    public static var currentExecutable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        let arg0 = CommandLine.arguments[0]
        return arg0.hasPrefix("/") ? arg0 : FileManager.default.currentDirectoryPath + "/" + arg0
    }

    private static func pythonPrefix() -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !out.isEmpty ? out : nil
    }
}
