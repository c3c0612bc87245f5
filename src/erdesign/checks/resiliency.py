"""RES rules: resiliency, references between objects, and unknown names.

RES001 unknown Azure region                RES007 circuit with neither provider nor Direct port
RES002 unknown peering location            RES008 circuit NotProvisioned by the provider
RES003 gateway on a single circuit         RES009 BFD not declared on a peering
RES004 gateway's circuits all at one place RES010 gateway region differs from its VNet's
RES005 ExpressRoute gateway with no connection
RES006 circuit no connection uses          RES011 gateway with no known region (checks skipped)
"""
from __future__ import annotations

from typing import Iterable

from .. import facts
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Circuit, Design, Gateway
from . import _places as P
from ._common import evidence, who

# Sections whose objects carry an Azure `region`, with the label used in messages.
_REGION_SECTIONS = (
    ("circuits", "circuit"), ("express_route_ports", "ExpressRoute Direct port"), ("vnets", "VNet"),
    ("gateways", "gateway"), ("route_tables", "route table"), ("nsgs", "NSG"), ("public_ips", "public IP"),
    ("route_filters", "route filter"),
)

# Rules that need a gateway's region and are skipped without it (RES011 names them).
REGION_DEPENDENT_RULES = {
    "SKU001": "Standard circuit reach (geopolitical region)",
    "SKU002": "Azure cloud of the gateway",
    "SKU003": "Local circuit reach (Local regions)",
}


# --------------------------------------------------------------------------- RES001 / RES002

@check("RES001")
def unknown_regions(design: Design, ctx=None) -> Iterable[Finding]:
    for section, label in _REGION_SECTIONS:
        for obj in getattr(design, section):
            name = obj.region
            if not name or facts.region(name) is not None:
                continue
            guess = facts.closest_region(name)
            yield Finding(
                "RES001",
                f"{label} '{obj.name}': region '{name}' is not a known Azure region"
                + (f" (closest: '{guess}')" if guess else "")
                + "; checks that need the region skip this object",
                node=obj, field=("region",),
                hint=f"Use the region's programmatic name, e.g. '{guess}'." if guess
                else "Use the region's programmatic name as `az account list-locations` prints it (e.g. eastus).",
            )


@check("RES002")
def unknown_peering_locations(design: Design, ctx=None) -> Iterable[Finding]:
    for section, label in (("circuits", "circuit"), ("express_route_ports", "ExpressRoute Direct port")):
        for obj in getattr(design, section):
            name = obj.peering_location
            if not name:
                continue
            if facts.clouds_of_peering_location(name):
                info = facts.peering_location(name)
                if info and info.get("listed_in_latest") is False:
                    yield Finding(
                        "RES002",
                        f"{label} '{obj.name}': peering location '{info['name']}' is no longer listed by Microsoft "
                        "(it may have been withdrawn)",
                        node=obj, field=("peering_location",),
                        hint="Check the current ExpressRoute locations list before ordering.",
                        evidence=[evidence("peering_locations", "LOCPROV",
                                           f"{info['name']} listed in the latest locations table", False,
                                           flag_stale=True)],
                    )
                continue
            if facts.is_placeholder(name):
                msg = f"peering location '{name}' is a placeholder, not a peering location"
            else:
                guess = facts.closest_peering_location(name)
                msg = f"peering location '{name}' is not a known ExpressRoute peering location" + (
                    f" (closest: '{guess}')" if guess else "")
            yield Finding(
                "RES002",
                f"{label} '{obj.name}': {msg}; checks that need it skip this {label}",
                node=obj, field=("peering_location",),
            )


# --------------------------------------------------------------------------- RES003 / RES004 / RES005

def _er_gateways(design: Design) -> list[Gateway]:
    return [g for g in design.gateways if g.type == "ExpressRoute"]


@check("RES003", "RES004", "RES005")
def gateway_circuit_diversity(design: Design, ctx=None) -> Iterable[Finding]:
    for gw in _er_gateways(design):
        conns = [c for c in design.connections_of_gateway(gw.name) if c.type == "ExpressRoute"]
        if not conns:
            yield Finding(
                "RES005",
                f"ExpressRoute gateway '{gw.name}' (VNet '{gw.vnet}') has no connection to any circuit; "
                "it carries no traffic but is billed",
                node=gw,
                hint="Add a connection from this gateway to a circuit (or delete the gateway).",
            )
            if len(design.circuits) == 1:
                only = design.circuits[0]
                yield Finding(
                    "RES003",
                    f"ExpressRoute gateway '{gw.name}' can reach one circuit only ('{only.name}', the design's only "
                    "circuit): standard resiliency, not recommended for production",
                    node=gw,
                    hint="Plan a second circuit at another peering location (maximum resiliency), or use an "
                         "ExpressRoute Metro circuit, one circuit over two sites of a city (high resiliency).",
                )
            continue
        if any(c.circuit is None or design.circuit(c.circuit) is None for c in conns):
            continue  # a circuit outside the design (authorization): can't count them
        circuits: list[Circuit] = []
        for c in conns:
            circuit = design.circuit(c.circuit)
            if circuit not in circuits:
                circuits.append(circuit)
        if len(circuits) == 1:
            circuit = circuits[0]
            loc = P.circuit_location(design, circuit)
            if loc and loc.get("is_metro"):
                what = (f"an ExpressRoute Metro circuit at {loc['name']} (high resiliency); maximum resiliency "
                        "needs a second circuit at another peering location")
                hint = "Add a second circuit at another peering location (maximum resiliency)."
            else:
                what = "standard resiliency, not recommended for production"
                hint = ("Add a second circuit at another peering location (maximum resiliency), or use an "
                        "ExpressRoute Metro circuit, one circuit over two sites of a city (high resiliency).")
            yield Finding(
                "RES003",
                f"ExpressRoute gateway '{gw.name}' is connected to one circuit only ('{circuit.name}'): {what}",
                node=gw, hint=hint,
            )
            continue
        names = [P.circuit_location_name(design, c) for c in circuits]
        if any(n is None for n in names) or len({facts.norm(n) for n in names}) != 1:
            continue
        loc = facts.peering_location(names[0])
        shown = loc["name"] if loc else names[0]
        yield Finding(
            "RES004",
            f"ExpressRoute gateway '{gw.name}' is connected to {len(circuits)} circuits "
            f"({', '.join(repr(c.name) for c in circuits)}), all at peering location {shown}; an outage of "
            "that location cuts them all",
            node=gw,
            hint="Move one circuit to another peering location (maximum resiliency); ExpressRoute Metro "
                 "spreads one circuit over two sites of a city (high resiliency).",
        )


# --------------------------------------------------------------------------- RES006 / RES007 / RES008

def _in_global_reach(design: Design, circuit: Circuit) -> bool:
    return bool(circuit.global_reach) or any(
        link.peer_circuit == circuit.name for c in design.circuits for link in c.global_reach)


@check("RES006", "RES007", "RES008")
def circuit_usage(design: Design, ctx=None) -> Iterable[Finding]:
    for circuit in design.circuits:
        types = {p.type for p in circuit.peerings}
        microsoft_only = bool(types) and "AzurePrivatePeering" not in types
        if (not design.connections_of_circuit(circuit.name) and not microsoft_only
                and not _in_global_reach(design, circuit) and not circuit.authorizations):
            yield Finding(
                "RES006",
                f"circuit '{circuit.name}' is not used by any connection, Global Reach link or authorization; "
                "no VNet reaches on-premises through it",
                node=circuit,
                hint="Connect a gateway to it, or decommission it (it is billed while it exists).",
            )
        if not circuit.provider and not circuit.express_route_port:
            yield Finding(
                "RES007",
                f"circuit '{circuit.name}' names neither a connectivity provider nor an ExpressRoute Direct port",
                node=circuit,
                hint="Add provider: <name as Azure lists it> or express_route_port: <port pair>.",
            )
        state = (circuit.provisioning_state or "").replace(" ", "").lower()
        if state == "notprovisioned":
            yield Finding(
                "RES008",
                f"circuit '{circuit.name}' is NotProvisioned by its provider: it carries no traffic but is billed "
                "from the moment its service key was issued",
                node=circuit, field=("provisioning_state",),
                hint="Have the provider provision it, or delete the circuit (Azure Advisor: delete circuits left "
                     "Not Provisioned).",
            )


# --------------------------------------------------------------------------- RES009

@check("RES009")
def bfd_declared(design: Design, ctx=None) -> Iterable[Finding]:
    for circuit in design.circuits:
        for peering in circuit.peerings:
            if peering.type == "AzurePublicPeering" or peering.bfd is True:
                continue
            state = "is disabled" if peering.bfd is False else "is not declared"
            yield Finding(
                "RES009",
                f"{who(circuit, peering)}: BFD {state} on the customer edge; without it "
                "failover waits for the BGP hold timer",
                node=peering, field=("bfd",) if peering.bfd is False else (),
                hint="Enable BFD on both customer routers and set bfd: true on the peering.",
            )


# --------------------------------------------------------------------------- RES010 / RES011

@check("RES010", "RES011")
def gateway_regions(design: Design, ctx=None) -> Iterable[Finding]:
    for gw in design.gateways:
        vnet = design.vnet(gw.vnet)
        if (gw.region and vnet is not None and vnet.region
                and facts.region_key(gw.region) != facts.region_key(vnet.region)):
            yield Finding(
                "RES010",
                f"gateway '{gw.name}' is in region '{gw.region}' but its VNet '{vnet.name}' is in "
                f"'{vnet.region}'; a gateway is always in its VNet's region",
                node=gw, field=("region",),
                hint=f"Set region: {vnet.region} on the gateway (or drop it: it defaults to the VNet's).",
            )
        if gw.type != "ExpressRoute" or design.gateway_region(gw):
            continue
        if not any(c.circuit for c in design.connections_of_gateway(gw.name)):
            continue
        skipped = ", ".join(f"{rid} ({what})" for rid, what in REGION_DEPENDENT_RULES.items())
        yield Finding(
            "RES011",
            f"gateway '{gw.name}': neither it nor VNet '{gw.vnet}' has a region, so these checks are skipped "
            f"for its connections: {skipped}",
            node=gw,
            hint=f"Set region on VNet '{gw.vnet}'.",
        )
