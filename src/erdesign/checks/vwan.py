"""VWAN: ExpressRoute in Virtual WAN hubs.

VWAN001 hub gateway's circuits all at one peering location (APRL 9987c813)
VWAN002 circuit linking a hub and other gateways: VNet-to-VNet over ExpressRoute (APRL 560a76a7)
VWAN003 hub gateway scale units beyond what a hub gateway offers
VWAN004 circuits on a hub gateway faster than its scale units carry
VWAN005 more circuit connections on a hub than the hub allows
VWAN006 Standard / Local circuit linked to a hub outside its reach (as SKU001 / SKU003 for VNet gateways)

Limits come from rules/data/vwan.yaml. A circuit outside the inputs (connection.circuit_outside)
is unknown, never absent: rules that need its location or bandwidth do not count it as
"one location" or "no bandwidth", and say what was left out.
"""
from __future__ import annotations

from typing import Iterable

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design, HubGateway, format_bandwidth
from . import _places as P
from ._common import counted, evidence, names


def _connections(design: Design, gw: HubGateway):
    return [c for c in design.hub_connections if c.hub_gateway == gw.name]


def _circuits(design: Design, gw: HubGateway):
    """(known circuits, number of connections to circuits outside the inputs) of a hub gateway."""
    known, outside = [], 0
    for conn in _connections(design, gw):
        circuit = design.circuit(conn.circuit) if conn.circuit else None
        if circuit is not None:
            if circuit not in known:
                known.append(circuit)
        elif conn.circuit_outside:
            outside += 1
    return known, outside


@check("VWAN001")
def hub_gateway_location_diversity(design: Design, ctx=None) -> Iterable[Finding]:
    for gw in design.hub_gateways:
        circuits, outside = _circuits(design, gw)
        if not circuits or outside:
            continue  # a circuit outside the inputs may be at another location
        locations = {P.circuit_location_name(design, c) for c in circuits}
        if None in locations or len(locations) > 1:
            continue
        place = next(iter(locations))
        yield Finding(
            "VWAN001",
            f"hub ExpressRoute gateway '{gw.name}' (hub '{gw.hub}') reaches on-premises only through "
            f"{counted(len(circuits), 'circuit')} at {place} ({names(c.name for c in circuits)}); an outage of that "
            "peering location cuts the hub off",
            node=gw,
            evidence=[evidence("vwan", "APRL-VWAN", "APRL 9987c813",
                               "connect the hub's ExpressRoute gateway to circuits from diverse peering locations")],
        )


def _wan_of(design: Design, hub_gateway: str):
    gw = design.hub_gateway(hub_gateway)
    hub = design.virtual_hub(gw.hub) if gw else None
    return hub.virtual_wan if hub else None


@check("VWAN002")
def vnet_to_vnet_over_expressroute(design: Design, ctx=None) -> Iterable[Finding]:
    for circuit in design.circuits:
        hubs = sorted({c.hub_gateway for c in design.hub_connections_of_circuit(circuit.name)})
        if not hubs:
            continue
        # VNets behind a VNet gateway reach the hub over the circuit only if the hub gateway accepts
        # traffic from outside Virtual WAN (allowNonVirtualWanTraffic, false unless set)
        open_hubs = [h for h in hubs if (design.hub_gateway(h) and design.hub_gateway(h).allow_non_virtual_wan_traffic)]
        vnet_gateways = sorted({c.gateway for c in design.connections_of_circuit(circuit.name)}) if open_hubs else []
        # hubs of one Virtual WAN reach each other hub-to-hub; hubs of different (or unknown) WANs only over the circuit
        wans = {_wan_of(design, h) for h in hubs}
        separate_hubs = len(hubs) > 1 and (None in wans or len(wans) > 1)
        if not vnet_gateways and not separate_hubs:
            continue
        others = [f"hub gateway '{h}'" for h in hubs] + [f"gateway '{g}'" for g in vnet_gateways]
        yield Finding(
            "VWAN002",
            f"circuit '{circuit.name}' links {', '.join(others)}: traffic between their VNets would hairpin "
            "through the circuit's Microsoft edge (VNet-to-VNet over ExpressRoute) instead of staying in Azure",
            node=circuit,
            hint="Connect the VNets through the Virtual WAN hubs (hub-to-hub) or VNet peering, and keep the circuit "
                 "for on-premises traffic.",
            evidence=[evidence("vwan", "APRL-VWAN", "APRL 560a76a7",
                               "avoid ExpressRoute circuits for VNet-to-VNet communication")],
        )


@check("VWAN003")
def hub_gateway_scale_units(design: Design, ctx=None) -> Iterable[Finding]:
    limit = table("vwan")["max_scale_units"]
    for gw in design.hub_gateways:
        if gw.scale_units is None or gw.scale_units.max <= limit["value"]:
            continue
        yield Finding(
            "VWAN003",
            f"hub ExpressRoute gateway '{gw.name}' asks for up to {gw.scale_units.max} scale units; a Virtual WAN "
            f"ExpressRoute gateway has at most {limit['value']} "
            f"({table('vwan')['max_gateway_gbps']['value']} Gbps at {table('vwan')['gbps_per_scale_unit']['value']} "
            "Gbps each)",
            node=gw, field=("scale_units", "max"),
            evidence=[evidence("vwan", "VWAN-LIMITS", "aggregate throughput per Virtual WAN ExpressRoute gateway",
                               f"{table('vwan')['max_gateway_gbps']['value']} Gbps"),
                      evidence("vwan", "VWAN-PC", "throughput per scale unit",
                               f"{table('vwan')['gbps_per_scale_unit']['value']} Gbps")],
        )


@check("VWAN004")
def hub_gateway_throughput(design: Design, ctx=None) -> Iterable[Finding]:
    per_unit = table("vwan")["gbps_per_scale_unit"]["value"] * 1000
    for gw in design.hub_gateways:
        if gw.scale_units is None:
            continue
        circuits, outside = _circuits(design, gw)
        if not circuits:
            continue
        total = sum(c.bandwidth for c in circuits if c.bandwidth is not None)
        capacity = gw.scale_units.max * per_unit
        if total <= capacity:
            continue
        more = f" (plus {counted(outside, 'circuit')} outside the inputs)" if outside else ""
        yield Finding(
            "VWAN004",
            f"hub ExpressRoute gateway '{gw.name}' carries at most {format_bandwidth(capacity)} "
            f"({counted(gw.scale_units.max, 'scale unit')}) but its circuits add up to {format_bandwidth(total)}{more}; "
            "the gateway, not the circuits, limits throughput",
            node=gw, field=("scale_units",),
            hint="Raise the gateway's scale units (autoscale max), or accept the gateway as the bottleneck.",
            evidence=[evidence("vwan", "VWAN-PC", "throughput per scale unit",
                               f"{table('vwan')['gbps_per_scale_unit']['value']} Gbps")],
        )


@check("VWAN005")
def circuit_connections_per_hub(design: Design, ctx=None) -> Iterable[Finding]:
    limit = table("vwan")["circuit_connections_per_hub"]["value"]
    for hub in design.virtual_hubs:
        conns = [c for gw in design.hub_gateways if gw.hub == hub.name for c in _connections(design, gw)]
        if len(conns) <= limit:
            continue
        yield Finding(
            "VWAN005",
            f"virtual hub '{hub.name}' has {counted(len(conns), 'ExpressRoute circuit connection')}; a hub takes at "
            f"most {limit}",
            node=hub,
            evidence=[evidence("vwan", "VWAN-LIMITS", "ExpressRoute circuit connections per hub", limit)],
        )


@check("VWAN006")
def hub_within_circuit_reach(design: Design, ctx=None) -> Iterable[Finding]:
    for conn in design.hub_connections:
        gw = design.hub_gateway(conn.hub_gateway)
        circuit = design.circuit(conn.circuit) if conn.circuit else None
        if gw is None or circuit is None:
            continue
        region = facts.region(design.hub_gateway_region(gw))
        if region is None:
            continue  # unknown region: nothing to compare
        loc = P.circuit_location(design, circuit, hint=region.get("cloud"))
        if loc is None:
            continue
        tier = circuit.sku.tier
        if tier == "Standard":
            geo, estimate = P.geo_of_region(region)
            loc_geo = loc.get("geopolitical_region")
            if not geo or not loc_geo or geo == loc_geo:
                continue
            yield Finding(
                "VWAN006",
                f"circuit '{circuit.name}' is Standard at {loc['name']} ({loc_geo}) but hub connection '{conn.name}' "
                f"links it to hub gateway '{gw.name}' in {P.region_label(region, geo)}; a Standard circuit reaches "
                "only its own geopolitical region, in Virtual WAN as elsewhere"
                + (" (one of the two regions is an estimate)" if estimate or loc.get("confidence") == "estimate" else ""),
                node=conn, field=("circuit",),
                hint=f"Make circuit '{circuit.name}' Premium, or connect it to a hub in {loc_geo}.",
                evidence=[P.location_geo_evidence(loc), P.region_geo_evidence(region),
                          evidence("vwan", "VWAN-ER", "circuit reach in Virtual WAN", "same as for VNet gateways")],
            )
        elif tier == "Local":
            local = loc.get("local_regions") or []
            if local and region["name"] not in local:
                yield Finding(
                    "VWAN006",
                    f"circuit '{circuit.name}' is ExpressRoute Local at {loc['name']}, which reaches only "
                    f"{', '.join(local)}, but hub connection '{conn.name}' links it to hub gateway '{gw.name}' in "
                    f"{P.region_label(region)}",
                    node=conn, field=("circuit",),
                    hint=f"Use a hub in {' or '.join(local)}, or a Standard or Premium circuit.",
                    evidence=[evidence("peering_locations", loc.get("source"), f"Local Azure regions of {loc['name']}",
                                       ", ".join(local), flag_stale=True)],
                )
