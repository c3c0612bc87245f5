"""Rule catalog and limit tables (data; ships inside the package)."""
