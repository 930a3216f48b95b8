import FacetEngine
import FacetLang
import Foundation

extension Session {
    /// Data loading and pipeline steps (wired to FacetVision).
    func registerDataBuiltins(_ r: BuiltinRegistry) {
    }
}
