"""Look-ups over the limit tables in rules/data (regions, peering locations, gateway SKUs).

Names are matched case-insensitively, ignoring spaces, hyphens and underscores,
so 'East US', 'eastus' and 'east-us' are the same region.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from .data import table


def norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


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


def region(name: Optional[str]) -> Optional[dict]:
    """Facts about an Azure region ('East US' or 'eastus'), or None if unknown."""
    return _lookup("regions", "regions", name)


def peering_location(name: Optional[str]) -> Optional[dict]:
    """Facts about an ExpressRoute peering location ('Washington DC'), or None if unknown."""
    return _lookup("peering_locations", "locations", name)


def gateway_sku(name: Optional[str]) -> Optional[dict]:
    """Facts about an ExpressRoute gateway SKU ('ErGw1AZ', 'ergw1az'), or None if unknown."""
    return _lookup("gateway_skus", "skus", name)


def known_regions() -> list[str]:
    return list((table("regions").get("regions") or {}).keys())


def known_peering_locations() -> list[str]:
    return list((table("peering_locations").get("locations") or {}).keys())


def known_gateway_skus() -> list[str]:
    return list((table("gateway_skus").get("skus") or {}).keys())
