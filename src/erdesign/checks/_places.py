"""Shared look-ups for the SKU, GR and RES checks: canonical regions and peering
locations (per Azure cloud), closest-name suggestions, and Evidence built from
the limit tables with their sources, as-of dates and confidence."""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Optional

from .. import facts
from ..data import table
from ..engine.finding import Evidence
from ..errors import closest
from ..model import Circuit, Design, Gateway

COMMERCIAL = "AzureCloud"

# A source older than its table by more than this is called out as possibly stale
# (e.g. the geopolitical table of 2024 inside a 2026 table).
STALE_AFTER_DAYS = 365

_PLACEHOLDER = re.compile(r"^\s*(<.*>|\{\{.*\}\}|\$\{.*\}|\[.*\]|\$\(.*\))\s*$")


def is_placeholder(name: str) -> bool:
    """'<PoP_name>', '{{location}}', '[parameters(...)]': a value someone left to be filled in."""
    return bool(_PLACEHOLDER.match(name))


# --------------------------------------------------------------------------- sources and evidence

def _source(table_name: str, source_id: Optional[str]) -> dict:
    for src in table(table_name).get("sources", []):
        if src.get("id") == source_id:
            return src
    return {}


def _as_date(value) -> Optional[_dt.date]:
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def evidence(table_name: str, label: str, value, source_id: Optional[str], estimate: bool = False) -> Evidence:
    """Evidence quoting `value` from rules/data/<table_name>.yaml, citing source `source_id`."""
    src = _source(table_name, source_id)
    text = src.get("title", source_id or table_name)
    if src.get("url"):
        text += f" <{src['url']}>"
    as_of = _as_date(src.get("as_of"))
    table_as_of = _as_date(table(table_name).get("as_of"))
    if as_of and table_as_of and (table_as_of - as_of).days > STALE_AFTER_DAYS:
        label += f" (Microsoft table of {as_of.isoformat()}; may be out of date)"
    elif not as_of:
        label += " [source undated]"
    return Evidence(
        label=label,
        value=value,
        source=f"rules/data/{table_name}.yaml: {text}",
        as_of=as_of.isoformat() if as_of else "",
        confidence="estimate" if estimate else "verified",
    )


# --------------------------------------------------------------------------- regions

def region(name: Optional[str]) -> Optional[dict]:
    return facts.region(name)


def region_label(info: dict, extra: Optional[str] = None) -> str:
    """'East US (eastus)', or 'East US (eastus, North America)' with extra."""
    inner = info["name"] + (f", {extra}" if extra else "")
    return f"{info.get('display_name') or info['name']} ({inner})"


def geo_of_region(info: dict) -> tuple[Optional[str], bool]:
    """(geopolitical region, is_estimate) of a region entry of regions.yaml."""
    if info.get("geopolitical_region"):
        return info["geopolitical_region"], False
    if info.get("geopolitical_region_estimate"):
        return info["geopolitical_region_estimate"], True
    return None, False


def region_geo_evidence(info: dict) -> Evidence:
    geo, est = geo_of_region(info)
    return evidence("regions", f"geopolitical region of {region_label(info)}", geo, info.get("source"),
                    estimate=est or info.get("confidence") == "estimate")


@lru_cache(maxsize=None)
def _region_candidates() -> dict[str, str]:
    """normalized name or display name -> canonical key."""
    out: dict[str, str] = {}
    for key, info in (table("regions").get("regions") or {}).items():
        out[facts.norm(key)] = key
        if (info or {}).get("display_name"):
            out.setdefault(facts.norm(info["display_name"]), key)
    return out


def closest_region(name: str) -> Optional[str]:
    """The known region a misspelt or sanitised name most likely means ('useast' -> 'eastus')."""
    if is_placeholder(name):
        return None
    n = facts.norm(name)
    cands = _region_candidates()
    anagrams = sorted({key for c, key in cands.items() if sorted(c) == sorted(n)})
    if len(anagrams) == 1:
        return anagrams[0]
    guess = closest(n, cands.keys())
    return cands[guess] if guess else None


# --------------------------------------------------------------------------- peering locations

@lru_cache(maxsize=None)
def _national_index() -> dict[str, dict[str, dict]]:
    """cloud -> normalized location name -> entry (with 'name')."""
    out: dict[str, dict[str, dict]] = {}
    for cloud, entries in (table("peering_locations").get("national_cloud_locations") or {}).items():
        out[cloud] = {facts.norm(name): {"name": name, **(info or {})} for name, info in (entries or {}).items()}
    return out


def clouds_of_location(name: Optional[str]) -> list[str]:
    """The Azure clouds that have a peering location of this name."""
    if not name:
        return []
    clouds = [COMMERCIAL] if facts.peering_location(name) else []
    clouds += [cloud for cloud, idx in _national_index().items() if facts.norm(name) in idx]
    return clouds


def location(name: Optional[str], cloud: Optional[str] = COMMERCIAL) -> Optional[dict]:
    """Facts about a peering location in a given cloud (commercial by default), or None."""
    if not name:
        return None
    if cloud in (None, COMMERCIAL):
        return facts.peering_location(name)
    return _national_index().get(cloud, {}).get(facts.norm(name))


def location_source(info: dict) -> Optional[str]:
    return info.get("source")


def location_geo_evidence(info: dict) -> Evidence:
    return evidence(
        "peering_locations", f"geopolitical region of peering location {info['name']}",
        info.get("geopolitical_region"), info.get("geo_source") or info.get("source"),
        estimate=info.get("confidence") == "estimate",
    )


def closest_location(name: str) -> Optional[str]:
    if is_placeholder(name):
        return None
    names = list(facts.known_peering_locations())
    for idx in _national_index().values():
        names += [e["name"] for e in idx.values()]
    by_norm = {facts.norm(n): n for n in names}
    guess = closest(facts.norm(name), by_norm.keys())
    return by_norm[guess] if guess else None


# --------------------------------------------------------------------------- circuits and gateways

def circuit_location_name(design: Design, circuit: Circuit) -> Optional[str]:
    """The circuit's peering location, or (ExpressRoute Direct) its port's."""
    if circuit.peering_location:
        return circuit.peering_location
    port = design.port(circuit.express_route_port)
    return port.peering_location if port else None


def circuit_cloud(design: Design, circuit: Circuit, hint: Optional[str] = None) -> Optional[str]:
    """The Azure cloud a circuit lives in: from its region if known, else from its
    peering location when the name exists in one cloud only; `hint` (e.g. the
    linked gateway's cloud) breaks ties such as 'Washington DC' (commercial and US Gov)."""
    info = region(circuit.region)
    if info and info.get("cloud"):
        return info["cloud"]
    clouds = clouds_of_location(circuit_location_name(design, circuit))
    if len(clouds) == 1:
        return clouds[0]
    if hint and hint in clouds:
        return hint
    return COMMERCIAL if COMMERCIAL in clouds else None


def circuit_location(design: Design, circuit: Circuit, hint: Optional[str] = None) -> Optional[dict]:
    return location(circuit_location_name(design, circuit), circuit_cloud(design, circuit, hint))


def gateway_region(design: Design, gw: Gateway) -> Optional[dict]:
    return region(design.gateway_region(gw))
