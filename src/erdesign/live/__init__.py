"""Live state of a running deployment (az route tables, ARP tables, BGP peers, learned and advertised
routes) read next to a design, so that `lint` can compare what is observed with what is designed."""
from __future__ import annotations

from .views import LiveView, live_kind, read_view


def views_of(design) -> list[LiveView]:
    """The live views read next to a design (empty for a design read alone)."""
    return list(getattr(design, "_live", []))


__all__ = ["LiveView", "live_kind", "read_view", "views_of"]
