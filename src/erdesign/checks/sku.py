"""SKU rules: circuit tier (Local / Standard / Premium), billing plan and bandwidth.

SKU001 Standard circuit linked to a VNet in another geopolitical region
SKU002 circuit and gateway (or circuit and peering location) in different Azure clouds
SKU003 Local circuit linked to a VNet outside the location's Local region(s)
SKU004 Local circuit at a location that has no Local region
SKU005 Local circuit not on UnlimitedData
SKU006 Local circuit below the (estimated) minimum Local bandwidth
SKU007 ExpressRoute Direct circuit bandwidth not offered on its port's speed
SKU008 ExpressRoute Direct port pair over-subscribed
SKU009 ExpressRoute Direct circuit at another peering location than its port
SKU010 Microsoft 365 communities in a route filter without Premium
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .. import facts
from ..data import table
from ..engine.finding import Evidence, Finding
from ..engine.registry import check
from ..model import Design, format_bandwidth
from . import _places as P
from ._common import evidence


def _er_links(design: Design):
    """(connection, gateway, circuit) for every ExpressRoute connection that names both."""
    for conn in design.connections:
        if conn.type != "ExpressRoute" or not conn.circuit:
            continue
        gw, circuit = design.gateway(conn.gateway), design.circuit(conn.circuit)
        if gw is not None and circuit is not None:
            yield conn, gw, circuit


def _who(gw) -> str:
    return f"gateway '{gw.name}' (VNet '{gw.vnet}')"


def _premium_reason_evidence(reason_id: str) -> Evidence:
    for item in table("sku_rules").get("premium_required_for", []):
        if item.get("id") == reason_id:
            return evidence("sku_rules", item.get("source"), "Premium required for", item["text"],
                            flag_stale=True)
    return evidence("sku_rules", None, "Premium required for", reason_id, flag_stale=True)


# --------------------------------------------------------------------------- SKU001 / SKU002 / SKU003

@check("SKU001", "SKU002", "SKU003")
def sku_reach(design: Design, ctx=None) -> Iterable[Finding]:
    """Is every VNet linked to a circuit within that circuit's reach (tier and cloud)?"""
    yield from _circuit_cloud_vs_location(design)
    for conn, gw, circuit in _er_links(design):
        gw_region = P.gateway_region(design, gw)
        if gw_region is None:
            continue  # RES001 / RES011 say why
        gw_cloud = gw_region.get("cloud")
        cloud = P.circuit_cloud(design, circuit, hint=gw_cloud)
        loc = P.circuit_location(design, circuit, hint=gw_cloud)
        if cloud and gw_cloud and cloud != gw_cloud:
            yield Finding(
                "SKU002",
                f"connection '{conn.name}': circuit '{circuit.name}' is in {cloud} "
                f"but {_who(gw)} is in {P.region_label(gw_region)}, {gw_cloud}; "
                "ExpressRoute can't connect across Azure clouds (no SKU allows it)",
                node=conn, field=("circuit",),
                evidence=[
                    evidence("regions", gw_region.get("source"), f"cloud of {P.region_label(gw_region)}", gw_cloud,
                             flag_stale=True),
                    evidence("regions", table("regions")["cross_geopolitical_region"].get("source"),
                             "cross-cloud connectivity", "Connectivity to national cloud environments isn't supported",
                             flag_stale=True),
                ],
            )
            continue
        if loc is None:
            continue  # unknown location: RES002
        tier = circuit.sku.tier
        if tier == "Standard":
            yield from _standard_reach(conn, gw, gw_region, circuit, loc)
        elif tier == "Local":
            local = loc.get("local_regions") or []
            if local and gw_region["name"] not in local:
                yield Finding(
                    "SKU003",
                    f"circuit '{circuit.name}' is ExpressRoute Local at {loc['name']}, which reaches only "
                    f"{', '.join(local)}, but it is linked (connection '{conn.name}') to {_who(gw)} "
                    f"in {P.region_label(gw_region)}",
                    node=circuit, field=("sku", "tier"),
                    hint="Use a Standard (same geopolitical region) or Premium circuit, or place the gateway "
                         f"in {' or '.join(local)}.",
                    evidence=[evidence("peering_locations", loc.get("source"), f"Local Azure regions of {loc['name']}",
                                       ", ".join(local), flag_stale=True)],
                )


def _standard_reach(conn, gw, gw_region, circuit, loc) -> Iterable[Finding]:
    gw_geo, gw_est = P.geo_of_region(gw_region)
    loc_geo = loc.get("geopolitical_region")
    if not gw_geo or not loc_geo or gw_geo == loc_geo:
        return
    estimate = gw_est or loc.get("confidence") == "estimate"
    yield Finding(
        "SKU001",
        f"circuit '{circuit.name}' is Standard at {loc['name']} ({loc_geo}) but is linked "
        f"(connection '{conn.name}') to {_who(gw)} in {P.region_label(gw_region, gw_geo)}; "
        "a Standard circuit reaches only its own geopolitical region"
        + (" (one of the two regions is an estimate)" if estimate else ""),
        node=circuit, field=("sku", "tier"),
        hint=f"Set sku.tier: Premium on circuit '{circuit.name}', or link a gateway in {loc_geo}.",
        evidence=[P.location_geo_evidence(loc), P.region_geo_evidence(gw_region),
                  _premium_reason_evidence("cross_geopolitical_vnet_link")],
    )


def _circuit_cloud_vs_location(design: Design) -> Iterable[Finding]:
    """A circuit whose region is in one cloud but whose peering location exists only in others."""
    for circuit in design.circuits:
        info = facts.region(circuit.region)
        loc_name = P.circuit_location_name(design, circuit)
        clouds = facts.clouds_of_peering_location(loc_name)
        if not info or not info.get("cloud") or not clouds or info["cloud"] in clouds:
            continue
        yield Finding(
            "SKU002",
            f"circuit '{circuit.name}' is in {P.region_label(info)} ({info['cloud']}) but peering location "
            f"'{loc_name}' exists only in {', '.join(clouds)}",
            node=circuit, field=("peering_location",),
            hint=f"Pick a peering location offered in {info['cloud']}, or create the circuit in a "
                 f"{clouds[0]} region.",
            evidence=[evidence("regions", info.get("source"), f"cloud of {P.region_label(info)}", info["cloud"],
                               flag_stale=True),
                      evidence("peering_locations", "LOCPROV", f"clouds that offer {loc_name}", ", ".join(clouds),
                               flag_stale=True)],
        )


# --------------------------------------------------------------------------- SKU004 / SKU005 / SKU006

@check("SKU004", "SKU005", "SKU006")
def local_circuits(design: Design, ctx=None) -> Iterable[Finding]:
    local = table("sku_rules")["local"]
    for circuit in design.circuits:
        if circuit.sku.tier != "Local":
            continue
        loc = P.circuit_location(design, circuit)
        if loc is not None and local.get("requires_local_region") and not (loc.get("local_regions") or []):
            yield Finding(
                "SKU004",
                f"circuit '{circuit.name}' is ExpressRoute Local at {loc['name']}, where Local isn't offered "
                "(the location has no Local Azure region)",
                node=circuit, field=("sku", "tier"),
                evidence=[evidence("peering_locations", loc.get("source"), f"Local Azure regions of {loc['name']}",
                                   "n/a (none)", flag_stale=True),
                          evidence("sku_rules", local.get("source"),
                                   "Local requires a Local Azure region at the peering location", True,
                                   flag_stale=True)],
            )
        if local.get("unlimited_only") and circuit.sku.family != "UnlimitedData":
            yield Finding(
                "SKU005",
                f"circuit '{circuit.name}' is ExpressRoute Local on {circuit.sku.family}; "
                "Local circuits are billed UnlimitedData only",
                node=circuit, field=("sku", "family"),
                hint="Set sku.family: UnlimitedData (Local's price includes egress).",
                evidence=[evidence("sku_rules", local.get("source"), "Local billing", "UnlimitedData only",
                                   flag_stale=True)],
            )
        minimum = local.get("min_bandwidth_mbps") or {}
        if minimum.get("value") and circuit.bandwidth is not None and circuit.bandwidth < minimum["value"]:
            estimate = minimum.get("confidence") == "estimate"
            yield Finding(
                "SKU006",
                f"circuit '{circuit.name}' is ExpressRoute Local at {format_bandwidth(circuit.bandwidth)}, below "
                f"the {format_bandwidth(minimum['value'])} Local minimum"
                + (" (an estimate from third-party sources; Microsoft docs don't state it)" if estimate else ""),
                node=circuit, field=("bandwidth",),
                hint=f"Check with your provider; use {format_bandwidth(minimum['value'])} or more, "
                     "or a Standard circuit.",
                evidence=[evidence("sku_rules", minimum.get("source"), "minimum ExpressRoute Local bandwidth",
                                   format_bandwidth(minimum["value"]), "estimate" if estimate else "verified",
                                   flag_stale=True)],
            )


# --------------------------------------------------------------------------- SKU007 / SKU008 / SKU009

@check("SKU007", "SKU008", "SKU009")
def direct_circuits(design: Design, ctx=None) -> Iterable[Finding]:
    bw = table("bandwidths")
    by_port = bw["direct_circuit_mbps_by_port"]
    on_port: dict[str, list] = defaultdict(list)
    for circuit in design.circuits:
        port = design.port(circuit.express_route_port)
        if port is None:
            continue
        on_port[port.name].append(circuit)
        offered = by_port.get(str(port.bandwidth))
        if offered and circuit.bandwidth not in offered:
            yield Finding(
                "SKU007",
                f"circuit '{circuit.name}' is {format_bandwidth(circuit.bandwidth)} on ExpressRoute Direct port "
                f"'{port.name}' ({format_bandwidth(port.bandwidth)}), which offers "
                f"{', '.join(format_bandwidth(v) for v in offered)}",
                node=circuit, field=("bandwidth",),
                evidence=[evidence("bandwidths", by_port.get("source"),
                                   f"circuit sizes on a {format_bandwidth(port.bandwidth)} port",
                                   ", ".join(format_bandwidth(v) for v in offered), flag_stale=True)],
            )
        if circuit.peering_location and port.peering_location and \
                _location_key(circuit.peering_location) != _location_key(port.peering_location):
            yield Finding(
                "SKU009",
                f"circuit '{circuit.name}' says peering location '{circuit.peering_location}' but its "
                f"ExpressRoute Direct port '{port.name}' is at '{port.peering_location}'; a Direct circuit is "
                "always at its port's location",
                node=circuit, field=("peering_location",),
                hint=f"Set peering_location: {port.peering_location} (or drop it: it comes from the port).",
            )
    over = table("direct_oversubscription")
    recommended, provisionable = over["recommended_max_ratio"], over["provisionable_max_ratio"]
    for port_name, circuits in on_port.items():
        port = design.port(port_name)
        total = sum(c.bandwidth for c in circuits if c.bandwidth is not None)
        if port.bandwidth is None or total <= port.bandwidth * recommended["value"]:
            continue
        beyond = total > port.bandwidth * provisionable["value"]
        yield Finding(
            "SKU008",
            f"ExpressRoute Direct port '{port.name}' ({format_bandwidth(port.bandwidth)}) carries "
            f"{format_bandwidth(total)} of circuits ({', '.join(c.name for c in circuits)}): if one port of "
            "the pair fails, the other can't carry the load"
            + (f"; above {provisionable['value']}x the port speed it can't even be provisioned" if beyond else ""),
            node=port, field=("bandwidth",),
            evidence=[
                evidence("direct_oversubscription", recommended.get("source"),
                         "recommended maximum of circuits per port (x port speed)", recommended["value"],
                         flag_stale=True),
                evidence("direct_oversubscription", provisionable.get("source"),
                         "maximum that can be provisioned (x port speed)", provisionable["value"], flag_stale=True),
            ],
        )


# --------------------------------------------------------------------------- SKU010

@check("SKU010")
def m365_without_premium(design: Design, ctx=None) -> Iterable[Finding]:
    m365 = table("m365_communities")
    communities = {k: v for k, v in m365["communities"].items() if isinstance(v, dict)}
    for circuit in design.circuits:
        if circuit.sku.tier == "Premium":
            continue
        for peering in circuit.peerings:
            if peering.type != "MicrosoftPeering":
                continue
            rf = design.route_filter(peering.route_filter)
            if rf is None:
                continue
            found = [c.strip() for c in rf.communities if c.strip() in communities]
            if not found:
                continue
            services = ", ".join(f"{c} {communities[c]['service']}" for c in found)
            yield Finding(
                "SKU010",
                f"circuit '{circuit.name}' is {circuit.sku.tier} but its Microsoft peering's route filter "
                f"'{rf.name}' selects Microsoft 365 communities ({services}); Microsoft 365 over ExpressRoute "
                "needs the Premium add-on",
                node=circuit, field=("sku", "tier"),
                hint=f"Set sku.tier: Premium on circuit '{circuit.name}', or remove the Microsoft 365 "
                     f"communities from route filter '{rf.name}'.",
                evidence=[
                    evidence("m365_communities", m365["communities"].get("source"), "Microsoft 365 communities",
                             ", ".join(found), flag_stale=True),
                    evidence("m365_communities", m365["premium_required"].get("source"),
                             "Premium required for Microsoft 365", True, flag_stale=True),
                ],
            )


def _location_key(name: str) -> str:
    """Compare peering locations by what they resolve to, so that a Direct port location such as
    'Equinix-Amsterdam-AM5' and the peering location 'Amsterdam' are the same place."""
    found = facts.peering_location(name)
    return facts.norm(found["name"] if found else name)
