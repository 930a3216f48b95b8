/// Registers instantiate/save/load once the engine's `Network` exists (see report).
func registerWeightsBuiltins(_ r: BuiltinRegistry) {}
