"""Look-ups over the limit tables in rules/data (regions, peering locations, gateway SKUs).

Names are matched case-insensitively, ignoring spaces, hyphens and underscores,
so 'East US', 'eastus' and 'east-us' are the same region.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .data import table
from .errors import closest

COMMERCIAL_CLOUD = "AzureCloud"

_PLACEHOLDER = re.compile(r"^\s*(<.*>|\{\{.*\}\}|\$\{.*\}|\[.*\]|\$\(.*\))\s*$")


def norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def is_placeholder(name: str) -> bool:
    """'<PoP_name>', '{{location}}', '[parameters(...)]': a value someone left to be filled in."""
    return bool(_PLACEHOLDER.match(name))


@lru_cache(maxsize=None)
def _index(table_name: str, key: str) -> dict[str, tuple[str, dict]]:
    entries = table(table_name).get(key) or {}
    out: dict[str, tuple[str, dict]] = {}
    for canonical, info in entries.items():
        info = info or {}
        out[norm(canonical)] = (canonical, info)
        for alias in [info.get("display_name")] + list(info.get("aliases") or []):
            if alias:
                out.setdefault(norm(str(alias)), (canonical, info))
    return out


def _lookup(table_name: str, key: str, name: Optional[str]) -> Optional[dict]:
    if not name:
        return None
    found = _index(table_name, key).get(norm(name))
    if found is None:
        return None
    canonical, info = found
    return {"name": canonical, **info}


# --------------------------------------------------------------------------- regions

def region(name: Optional[str]) -> Optional[dict]:
    """Facts about an Azure region ('East US' or 'eastus'), or None if unknown."""
    return _lookup("regions", "regions", name)


def region_key(name: Optional[str]) -> Optional[str]:
    """What to compare regions by: the canonical name of a known region, else the normalized text."""
    if not name:
        return None
    known = region(name)
    return known["name"] if known else norm(name)


def closest_region(name: str) -> Optional[str]:
    """The known region a misspelt or sanitised name most likely means ('useast' -> 'eastus')."""
    if is_placeholder(name):
        return None
    n = norm(name)
    cands = {key: canonical for key, (canonical, _) in _index("regions", "regions").items()}
    anagrams = sorted({canonical for key, canonical in cands.items() if sorted(key) == sorted(n)})
    if len(anagrams) == 1:
        return anagrams[0]
    guess = closest(n, cands.keys())
    return cands[guess] if guess else None


def known_regions() -> list[str]:
    return list((table("regions").get("regions") or {}).keys())


# --------------------------------------------------------------------------- peering locations

@lru_cache(maxsize=None)
def _national_index() -> dict[str, dict[str, dict]]:
    """national cloud -> normalized location name -> entry (with 'name')."""
    out: dict[str, dict[str, dict]] = {}
    for cloud, entries in (table("peering_locations").get("national_cloud_locations") or {}).items():
        out[cloud] = {norm(name): {"name": name, **(info or {})} for name, info in (entries or {}).items()}
    return out


def peering_location(name: Optional[str], cloud: Optional[str] = None) -> Optional[dict]:
    """Facts about an ExpressRoute peering location ('Washington DC') in an Azure cloud
    (commercial unless a national cloud such as 'AzureUSGovernment' is named), or None if unknown.
    A Direct port location ('Equinix-Ashburn-DC2') resolves to its commercial peering location,
    with `port_location` and `matched_by` saying how (see direct_port_location)."""
    if cloud in (None, COMMERCIAL_CLOUD):
        return _lookup("peering_locations", "locations", name) or direct_port_location(name)
    if not name:
        return None
    return _national_index().get(cloud, {}).get(norm(name))


def clouds_of_peering_location(name: Optional[str]) -> list[str]:
    """The Azure clouds that have a peering location of this name (commercial first)."""
    if not name:
        return []
    clouds = [COMMERCIAL_CLOUD] if peering_location(name) else []
    clouds += [cloud for cloud, idx in _national_index().items() if norm(name) in idx]
    return clouds


def closest_peering_location(name: str) -> Optional[str]:
    """The known peering location (in any cloud) a misspelt name most likely means."""
    if is_placeholder(name):
        return None
    names = known_peering_locations()
    for idx in _national_index().values():
        names += [e["name"] for e in idx.values()]
    by_norm = {norm(n): n for n in names}
    guess = closest(norm(name), by_norm.keys())
    return by_norm[guess] if guess else None


def known_peering_locations() -> list[str]:
    return list((table("peering_locations").get("locations") or {}).keys())


# --------------------------------------------------------------------------- Direct port locations

# '<Operator>-<City>-<Facility>' as the ExpressRoutePortsLocations API names them ('Equinix-San-Jose-SV1').
_PORT_LOCATION = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)-([A-Za-z][A-Za-z0-9 ]*(?:-[A-Za-z][A-Za-z0-9 ]*)*)-([A-Za-z0-9]+)\s*$")


def looks_like_port_location(name: Optional[str]) -> bool:
    """'Equinix-Amsterdam-AM5': shaped like a Direct port location (operator-city-facility code)."""
    if not name or not _PORT_LOCATION.match(name):
        return False
    code = name.strip().rsplit("-", 1)[-1]
    return any(ch.isdecimal() for ch in code) or code.isupper()  # 'AM5', 'CLS'; not 'New-York-City'



@lru_cache(maxsize=None)
def _facility_index() -> list[tuple[str, str, str]]:
    """(peering location, facility as printed, its code normalized) for every listed facility."""
    out = []
    for location, facilities in (table("direct_port_locations").get("facilities") or {}).items():
        for facility in facilities or []:
            code = re.split(r"[\s\-)]+", facility.strip())[-1]
            out.append((location, facility, norm(code)))
    return out


def _facility_match(name: str) -> Optional[tuple[str, str]]:
    """(peering location, facility) whose operator and code a port location name matches, if exactly one does."""
    m = _PORT_LOCATION.match(name)
    if not m:
        return None
    operator, code = norm(m.group(1)), norm(m.group(3))
    hits = {(loc, fac) for loc, fac, fac_code in _facility_index() if fac_code == code and operator in norm(fac)}
    return hits.pop() if len(hits) == 1 else None


def direct_port_location(name: Optional[str]) -> Optional[dict]:
    """The commercial peering location of an ExpressRoute Direct port location ('Equinix-Amsterdam-AM5'),
    or None. Names a source lists are matched first, then a facility direct_port_locations.yaml gives
    for exactly one peering location (same operator and facility code). The result is that location's
    facts plus `port_location` (the name given), `facility`, `matched_by` ('port location list' or
    'facility') and `match_note` (how, in words)."""
    if not name:
        return None
    entry = _lookup("direct_port_locations", "port_locations", name)
    if entry is not None:
        info = _lookup("peering_locations", "locations", entry["peering_location"])
        if info is None:
            return None
        how = "listed" + (" (estimate)" if entry.get("confidence") == "estimate" else "")
        return {**info, "port_location": entry["name"], "facility": entry.get("facility"),
                "matched_by": "port location list", "port_source": entry.get("source"),
                "port_confidence": entry.get("confidence"),
                "match_note": f"Direct port location '{entry['name']}' is {how} at {entry.get('facility')}, "
                              f"peering location {info['name']}"}
    found = _facility_match(name)
    if found is None:
        return _city_match(name)
    location, facility = found
    info = _lookup("peering_locations", "locations", location)
    if info is None:
        return None
    return {**info, "port_location": name.strip(), "facility": facility, "matched_by": "facility",
            "port_source": "LOCPROV", "port_confidence": "estimate",
            "match_note": f"Direct port location '{name.strip()}' matched facility {facility}, "
                          f"listed for peering location {info['name']}"}


def _city_match(name: str) -> Optional[dict]:
    """'Airtel-Chennai2-CLS': the middle of an operator-city-facility name that is itself a peering location
    where the locations article offers ExpressRoute Direct (an estimate: the facility is not verified)."""
    parts = [p for p in name.strip().split("-") if p]
    if len(parts) < 3:
        return None
    for middle in (" ".join(parts[1:-1]), "".join(parts[1:-1])):
        info = _lookup("peering_locations", "locations", middle)
        if info is not None and info.get("direct"):
            operator, code = norm(parts[0]), norm(parts[-1])
            if any(loc == info["name"] and fac_code == code and operator not in norm(fac)
                   for loc, fac, fac_code in _facility_index()):
                return None  # the facility code belongs to another operator there (e.g. Megaport-Amsterdam-AM5)
            return {**info, "port_location": name.strip(), "facility": None, "matched_by": "city",
                    "port_source": "LOCPROV", "port_confidence": "estimate",
                    "match_note": f"Direct port location '{name.strip()}' names the city of peering location "
                                  f"{info['name']}, where the locations article offers ExpressRoute Direct "
                                  "(facility not verified)"}
    return None


# --------------------------------------------------------------------------- gateway SKUs

def gateway_sku(name: Optional[str]) -> Optional[dict]:
    """Facts about an ExpressRoute gateway SKU ('ErGw1AZ', 'ergw1az'), or None if unknown."""
    return _lookup("gateway_skus", "skus", name)


def expressroute_gateway_sku(gateway) -> Optional[dict]:
    """Facts about the SKU of an ExpressRoute gateway of a design, or None (a VPN gateway, or an unknown SKU)."""
    if gateway.type != "ExpressRoute":
        return None
    return gateway_sku(gateway.sku)


def known_gateway_skus() -> list[str]:
    return list((table("gateway_skus").get("skus") or {}).keys())
