import FacetLang
import Foundation

// MARK: what a session says: values shown, warnings

extension Session {
    /// Renders a value into the session's output: rich for renderable values, text otherwise.
    public func show(_ value: Value) {
        results.noteShown(value)
        if case let .foreign(f) = value, let r = f as? Renderable {
            for item in r.render(in: self) { emit(item) }
        } else {
            emit(.text(value.description))
        }
    }

    /// A warning in the output (and on stderr when `warningsToStderr`): something went wrong that
    /// the run recovered from, such as a damaged cache entry that was removed and recomputed.
    func warn(_ message: String) {
        emit(.warning(message))
        if warningsToStderr { FileHandle.standardError.write(Data("facet: warning: \(message)\n".utf8)) }
    }
}
