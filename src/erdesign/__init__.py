"""erdesign: lint and cost Azure ExpressRoute designs offline."""
__version__ = "0.1.0"
