import Foundation

/// The seam between the kernel and the language behind it, as xeus's `xinterpreter` and
/// ipykernel's `do_execute`: the kernel (`JupyterKernel`) owns the sockets, signing, message shapes,
/// busy/idle, history and the order of replies; an interpreter runs code and says what it shows.
/// A new language implements this protocol and never touches the transport; the transport never
/// reaches into the language. Facet's is `FacetInterpreter`, over a session.
public protocol JupyterInterpreter: AnyObject {
    /// `implementation`, `implementation_version`, `language_info` and `banner` of `kernel_info_reply`.
    var info: [String: Any] { get }
    /// Runs a cell; what it shows goes to `output` as it is produced.
    func execute(_ request: ExecuteRequest, count: Int, output: any JupyterOutput) -> ExecuteOutcome
    /// Completions at `cursor` (Unicode scalars into `code`) and where they start.
    func complete(_ code: String, cursor: Int) -> (matches: [String], start: Int)
    /// Help for the word at `cursor` as plain text; nil when there is none.
    func inspect(_ code: String, cursor: Int) -> String?
    /// Whether `code` is complete, needs more lines, or cannot become valid.
    func isComplete(_ code: String) -> CodeCompleteness
    /// Asks the cell now running to stop (an `interrupt_request`).
    func interrupt()
    /// Makes SIGINT stop the running cell the same way, never end the kernel.
    func interruptOnSIGINT()
}

/// Where an interpreter sends what a cell shows; the kernel turns each call into an iopub message
/// for the request now running (or drops it, for a silent request).
public protocol JupyterOutput: AnyObject {
    /// A `stream` message: `name` is "stdout" or "stderr".
    func stream(_ name: String, _ text: String)
    /// A `display_data` (or, with `update`, `update_display_data` of display `id`).
    func display(_ data: [String: Any], metadata: [String: Any], id: String?, update: Bool)
    /// The cell's value as its `execute_result` (plain text).
    func result(_ text: String)
}

/// An `execute_request`'s content, typed.
public struct ExecuteRequest {
    public var code: String
    public var silent: Bool
    /// Whether the input counts and is kept in history (false when silent).
    public var storeHistory: Bool
    public var stopOnError: Bool

    public init(code: String, silent: Bool = false, storeHistory: Bool = true, stopOnError: Bool = true) {
        self.code = code; self.silent = silent; self.storeHistory = storeHistory && !silent; self.stopOnError = stopOnError
    }

    public init(content: [String: Any]) {
        self.init(code: content["code"] as? String ?? "", silent: content["silent"] as? Bool ?? false,
                  storeHistory: content["store_history"] as? Bool ?? true, stopOnError: content["stop_on_error"] as? Bool ?? true)
    }
}

/// How a cell ended.
public struct ExecuteOutcome {
    /// An error to report: its name, value and traceback lines.
    public struct Failure {
        public var name: String, value: String, traceback: [String]
        public init(name: String, value: String, traceback: [String]) { self.name = name; self.value = value; self.traceback = traceback }
    }
    /// The code ran to its end (an interrupted training still returns), so it enters history.
    public var ranToEnd: Bool
    public var failure: Failure?
    public init(ranToEnd: Bool, failure: Failure?) { self.ranToEnd = ranToEnd; self.failure = failure }
}

/// An `is_complete_reply`'s status.
public enum CodeCompleteness: Equatable {
    case complete, incomplete(indent: String), invalid, unknown
}
