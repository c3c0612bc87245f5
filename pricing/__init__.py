"""Dated price books (data; ships inside the package)."""
