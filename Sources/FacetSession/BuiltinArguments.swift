import FacetLang

// Arguments several builtin families read the same way (training, metrics, data).

/// A data set and the task chosen from it (`data` or `data.emotion`).
func datasetArgument(_ v: Value, _ range: SourceRange) throws -> (data: DatasetValue, task: TaskValue.Task?) {
    if case let .foreign(f) = v {
        if let d = f as? DatasetValue { return (d, nil) }
        if let t = f as? TaskValue { return (t.data, t.task) }
    }
    throw Diagnostic(range, "expected a dataset (or a task such as data.emotion), got \(v.typeName)")
}

/// The network of a run or network value, and the run when there is one.
func networkArgument(_ v: Value, _ range: SourceRange) throws -> (NetworkValue, RunValue?) {
    if case let .foreign(f) = v {
        if let run = f as? RunValue { return (run.network, run) }
        if let n = f as? NetworkValue { return (n, nil) }
    }
    throw Diagnostic(range, "expected a run (from train) or a network, got \(v.typeName)")
}
