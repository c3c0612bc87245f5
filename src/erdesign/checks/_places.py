"""Where the objects of a design are, for the SKU, GR, RES and CAP checks: the
peering location and Azure cloud of a circuit, the region of a gateway, and
evidence for geopolitical regions. Table look-ups themselves are in erdesign.facts."""
from __future__ import annotations

from typing import Optional

from .. import facts
from ..engine.finding import Evidence
from ..model import Circuit, Design, Gateway
from ._common import evidence

# --------------------------------------------------------------------------- regions


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
    estimate = est or info.get("confidence") == "estimate"
    return evidence("regions", info.get("source"), f"geopolitical region of {region_label(info)}", geo,
                    "estimate" if estimate else "verified", flag_stale=True)


# --------------------------------------------------------------------------- peering locations

def location_geo_evidence(info: dict) -> Evidence:
    return evidence("peering_locations", info.get("geo_source") or info.get("source"),
                    f"geopolitical region of peering location {info['name']}", info.get("geopolitical_region"),
                    "estimate" if info.get("confidence") == "estimate" else "verified", flag_stale=True)


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
    info = facts.region(circuit.region)
    if info and info.get("cloud"):
        return info["cloud"]
    clouds = facts.clouds_of_peering_location(circuit_location_name(design, circuit))
    if len(clouds) == 1:
        return clouds[0]
    if hint and hint in clouds:
        return hint
    return facts.COMMERCIAL_CLOUD if facts.COMMERCIAL_CLOUD in clouds else None


def circuit_location(design: Design, circuit: Circuit, hint: Optional[str] = None) -> Optional[dict]:
    return facts.peering_location(circuit_location_name(design, circuit), circuit_cloud(design, circuit, hint))


def gateway_region(design: Design, gw: Gateway) -> Optional[dict]:
    return facts.region(design.gateway_region(gw))
