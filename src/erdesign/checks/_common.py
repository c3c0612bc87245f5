"""What the rule families share: Evidence quoted from the limit tables, and the
small pieces their messages are made of."""
from __future__ import annotations

import datetime as _dt
import ipaddress
from typing import Iterable, Iterator, Optional

from ..data import table
from ..engine.finding import Evidence
from ..model import Circuit, Design, Peering, PeeringLink, RouterInterface, VNetPeering

ROLES = ("primary", "secondary")

# With flag_stale, a source dated more than this before its table is called out as
# possibly out of date (e.g. the geopolitical table of 2024 inside a 2026 table).
STALE_AFTER_DAYS = 365


# --------------------------------------------------------------------------- evidence

def _as_date(value) -> Optional[_dt.date]:
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def evidence(table_name: str, source_id: Optional[str], label: str, value, confidence: str = "verified",
             *, flag_stale: bool = False) -> Evidence:
    """Evidence quoting `value` from rules/data/<table_name>.yaml, citing the table's source `source_id`.

    source: '<title> <url> [rules/data/<table>.yaml]'; as_of: the source's own date, else the
    table's date marked '(table date; source undated)'.
    """
    data = table(table_name)
    src: dict = next((s for s in data.get("sources", []) if s.get("id") == source_id), {}) if source_id else {}
    title = src.get("title") or source_id
    where = f"[rules/data/{table_name}.yaml]"
    if title:
        source = f"{title} <{src['url']}> {where}" if src.get("url") else f"{title} {where}"
    else:
        source = where
    if src.get("as_of"):
        as_of = str(src["as_of"])
        src_date, table_date = _as_date(src["as_of"]), _as_date(data.get("as_of"))
        if flag_stale and src_date and table_date and (table_date - src_date).days > STALE_AFTER_DAYS:
            label += f" (Microsoft table of {as_of}; may be out of date)"
    else:
        as_of = f"{data['as_of']} (table date; source undated)" if data.get("as_of") else ""
    return Evidence(label, value, source=source, as_of=as_of, confidence=confidence)


# --------------------------------------------------------------------------- message pieces

def who(circuit: Circuit, peering: Peering) -> str:
    """"circuit 'er1' peering AzurePrivatePeering": how a message names a peering."""
    return f"circuit '{circuit.name}' peering {peering.type}"


def vnet_peering_label(p: VNetPeering) -> str:
    return f"VNet peering '{p.name}' ({p.vnet} -> {p.remote_vnet})"


def fmt(n: int) -> str:
    """4000 -> '4,000'."""
    return f"{n:,}"


def plural(n: int, singular: str, many: Optional[str] = None) -> str:
    """The form of a word that agrees with n: plural(1, 'circuit') -> 'circuit', plural(2, 'is', 'are') -> 'are'."""
    return singular if n == 1 else (many or singular + "s")


def counted(n: int, singular: str, many: Optional[str] = None) -> str:
    """'1 circuit', '2 circuits', '4,000 routes'."""
    return f"{fmt(n)} {plural(n, singular, many)}"


def names(items: Iterable[str], limit: int = 3) -> str:
    """"'a', 'b', 'c' and 2 more"."""
    items = list(items)
    shown = ", ".join(f"'{i}'" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# --------------------------------------------------------------------------- design walking

_NETWORKS: dict = {}
_MAX_NETWORKS = 1 << 18
_MISSING = object()


def network(text: str):
    """ip_network for a prefix string, or None for anything else (service tags, bad text).

    Cached: the same prefix lists (a site's, shared by many circuits) are read by several checks.
    A plain dict, emptied when full, costs a third of lru_cache's memory per prefix.
    """
    found = _NETWORKS.get(text, _MISSING)
    if found is _MISSING:
        if len(_NETWORKS) >= _MAX_NETWORKS:
            _NETWORKS.clear()
        try:
            found = ipaddress.ip_network(text.strip(), strict=False)
        except (ValueError, AttributeError, TypeError):
            found = None
        _NETWORKS[text] = found
    return found


def peerings(design: Design) -> Iterator[tuple[Circuit, Peering]]:
    for circuit in design.circuits:
        for peering in circuit.peerings:
            yield circuit, peering


def link_of(peering: Peering, role: str) -> Optional[PeeringLink]:
    return getattr(peering, f"{role}_link")


def interface_of(design: Design, link: PeeringLink) -> Optional[RouterInterface]:
    """The router interface a link names, when both router and interface are given and exist."""
    router = design.router(link.router) if link.router else None
    if router is None or not link.interface:
        return None
    return next((i for i in router.interfaces if i.name == link.interface), None)
