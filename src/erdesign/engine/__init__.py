"""The rule engine: a registry of pure check functions, run over a resolved design."""
