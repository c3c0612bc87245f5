"""Where a circuit is and who brings it there (RES020-RES023, RES027).

RES020 Azure public peering (retired) in a design
RES021 provider name not a known ExpressRoute provider
RES022 provider not offered at the circuit's peering location
RES023 VNet far from its circuit's peering location (not a Local region of it)
RES027 object in a retired Azure region
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..errors import closest
from ..model import Design
from . import _places as P
from ._common import evidence, names, who


# --------------------------------------------------------------------------- RES020

@check("RES020")
def public_peering(design: Design, ctx=None) -> Iterator[Finding]:
    rule = table("retirements")["public_peering"]
    for circuit in design.circuits:
        for peering in circuit.peerings:
            if peering.type == rule["peering_type"]:
                yield Finding(
                    "RES020",
                    f"{who(circuit, peering)}: Azure public peering was retired on {rule['retired']} and can't be "
                    "created on a circuit",
                    node=peering, field=("type",),
                    hint="Use Microsoft peering for Azure PaaS public endpoints (or Private Link over private peering)",
                    evidence=[evidence("retirements", rule["source"], "Azure public peering", f"retired {rule['retired']}")],
                )


# --------------------------------------------------------------------------- providers

@lru_cache(maxsize=None)
def _providers_index() -> dict[str, str]:
    """normalized name -> name as printed, for every provider of every location (and the aliases)."""
    data = table("providers")
    out: dict[str, str] = {}
    tables = [data.get("locations") or {}] + list((data.get("national_cloud_locations") or {}).values())
    for locations in tables:
        for provs in locations.values():
            for name in provs or []:
                out.setdefault(facts.norm(name), name)
    for alias, canonical in (data.get("aliases") or {}).items():
        out.setdefault(facts.norm(alias), canonical)
    return out


def canonical_provider(name: str) -> Optional[str]:
    """The provider as Microsoft's table prints it, or None if unknown."""
    aliases = {facts.norm(a): c for a, c in (table("providers").get("aliases") or {}).items()}
    key = facts.norm(name)
    return aliases.get(key) or _providers_index().get(key)


def providers_at(location: dict, cloud: Optional[str]) -> Optional[list[str]]:
    """Providers offered at a peering location (a Metro location: those common to its sites), or None if not tabled."""
    data = table("providers")
    if cloud in (None, facts.COMMERCIAL_CLOUD):
        by_loc = data.get("locations") or {}
    else:
        by_loc = (data.get("national_cloud_locations") or {}).get(cloud) or {}
    if location.get("is_metro"):
        sites = [by_loc.get(s) for s in location.get("metro_sites") or []]
        if not sites or any(s is None for s in sites):
            return None
        common = [p for p in sites[0] if all(facts.norm(p) in {facts.norm(q) for q in s} for s in sites[1:])]
        return common
    return by_loc.get(location["name"])


def _exchange_hint(carrier: str, location: str) -> Optional[str]:
    row = (table("providers").get("exchanges_via") or {}).get(location) or {}
    if facts.norm(carrier) in {facts.norm(c) for c in row.get("carriers") or []}:
        return (f"{carrier} reaches {location} through an exchange: order the circuit with "
                f"{' or '.join(row['exchanges'])} as the provider")
    return None


@check("RES021", "RES022")
def provider_at_location(design: Design, ctx=None) -> Iterator[Finding]:
    source = "LOCPROV"
    for circuit in design.circuits:
        if not circuit.provider or circuit.is_direct or facts.is_placeholder(circuit.provider):
            continue
        canonical = canonical_provider(circuit.provider)
        loc = P.circuit_location(design, circuit)
        if canonical is None:
            guess = closest(circuit.provider, sorted(set(_providers_index().values())))
            exchange = _exchange_hint(circuit.provider, loc["name"]) if loc else None
            yield Finding(
                "RES021",
                f"circuit '{circuit.name}': provider '{circuit.provider}' is not an ExpressRoute connectivity provider "
                "in Microsoft's table" + (f" (did you mean '{guess}'?)" if guess else ""),
                node=circuit, field=("provider",),
                hint=exchange or "Use the provider's name as `az network express-route list-service-providers` prints it",
                evidence=[evidence("providers", source, "ExpressRoute connectivity providers", "by location")],
            )
            continue
        if loc is None:
            continue  # RES002 reports the unknown location
        offered = providers_at(loc, P.circuit_cloud(design, circuit))
        if offered is None or facts.norm(canonical) in {facts.norm(p) for p in offered}:
            continue
        elsewhere = _locations_of(canonical, loc.get("cloud"))
        yield Finding(
            "RES022",
            f"circuit '{circuit.name}': provider '{circuit.provider}' is not offered at {loc['name']}"
            + (f"; it is at {names(elsewhere, 4)}" if elsewhere else ""),
            node=circuit, field=("provider",),
            hint=_exchange_hint(canonical, loc["name"]) or
            f"Pick a provider offered at {loc['name']} ({names(offered, 5)}) or another peering location",
            evidence=[evidence("providers", source, f"providers at {loc['name']}", ", ".join(offered))],
        )


def _locations_of(provider: str, cloud: Optional[str]) -> list[str]:
    data = table("providers")
    if cloud in (None, facts.COMMERCIAL_CLOUD):
        by_loc = data.get("locations") or {}
    else:
        by_loc = (data.get("national_cloud_locations") or {}).get(cloud) or {}
    key = facts.norm(provider)
    return [loc for loc, provs in by_loc.items() if key in {facts.norm(p) for p in provs or []}]


# --------------------------------------------------------------------------- RES023

def _locations_serving(region: str, cloud: Optional[str]) -> list[str]:
    locs = table("peering_locations").get("locations") or {}
    return [name for name, info in locs.items()
            if not (info or {}).get("is_metro") and region in ((info or {}).get("local_regions") or [])
            and (info or {}).get("cloud", facts.COMMERCIAL_CLOUD) == (cloud or facts.COMMERCIAL_CLOUD)]


@check("RES023")
def vnet_far_from_location(design: Design, ctx=None) -> Iterator[Finding]:
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        circuit = design.circuit(conn.circuit)
        if gw is None or circuit is None or gw.type != "ExpressRoute":
            continue
        region = P.gateway_region(design, gw)
        loc = P.circuit_location(design, circuit, region.get("cloud") if region else None)
        if region is None or loc is None or not loc.get("local_regions"):
            continue
        if region["name"] in loc["local_regions"]:
            continue
        better = _locations_serving(region["name"], region.get("cloud"))
        yield Finding(
            "RES023",
            f"connection '{conn.name}': gateway '{gw.name}' is in {P.region_label(region)}, not in a region local to "
            f"peering location {loc['name']} of circuit '{circuit.name}' ({', '.join(loc['local_regions'])}); traffic "
            "travels the Microsoft backbone between the two"
            + (f". Peering locations local to {region['name']}: {names(better, 4)}" if better else ""),
            node=conn, field=("circuit",),
            hint=("Consider a circuit at " + " or ".join(better[:2]) + " for this region" if better else
                  "Expect the extra latency, or use a peering location near the region"),
            evidence=[evidence("peering_locations", loc.get("source"), f"Local Azure regions of {loc['name']}",
                               ", ".join(loc["local_regions"]))],
        )


# --------------------------------------------------------------------------- RES027

_REGION_SECTIONS = (("circuits", "circuit"), ("express_route_ports", "ExpressRoute Direct port"), ("vnets", "VNet"),
                    ("gateways", "gateway"), ("public_ips", "public IP"), ("route_tables", "route table"),
                    ("nsgs", "NSG"))


@check("RES027")
def retired_region(design: Design, ctx=None) -> Iterator[Finding]:
    for section, label in _REGION_SECTIONS:
        for obj in getattr(design, section):
            info = facts.region(obj.region)
            if info is None or info.get("status") != "retired":
                continue
            yield Finding(
                "RES027",
                f"{label} '{obj.name}': region {P.region_label(info)} is retired; Microsoft's current region table "
                "no longer lists it",
                node=obj, field=("region",),
                hint="Deploy in a region that is still offered",
                evidence=[evidence("regions", info.get("status_source"), f"status of {info['name']}", "retired")],
            )
