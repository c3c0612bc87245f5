"""The version of erdesign (a module of its own, so that the modules that print it need not import the package facade)."""

__version__ = "0.1.0"
