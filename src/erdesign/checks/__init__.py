"""Check modules, one per rule family; each registers its functions with @check."""
