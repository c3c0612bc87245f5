"""RES rules: resiliency, references between objects, and unknown names.

RES001 unknown Azure region                RES007 circuit with neither provider nor Direct port
RES002 unknown peering location            RES008 circuit NotProvisioned by the provider
RES003 gateway on a single circuit         RES009 BFD not declared on a peering
RES004 gateway's circuits all at one place RES010 gateway region differs from its VNet's
RES005 ExpressRoute gateway with no connection
RES006 circuit no connection uses          RES011 gateway with no known region (checks skipped)
RES012 Azure resource name Azure does not accept
RES013 provider's virtual circuit for another provider's circuit, or two for one link
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

from .. import facts
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Circuit, Design, Gateway
from . import _places as P
from ..data import table
from ._common import evidence, who

# Sections whose objects carry an Azure `region`, with the label used in messages.
_REGION_SECTIONS = (
    ("circuits", "circuit"), ("express_route_ports", "ExpressRoute Direct port"), ("vnets", "VNet"),
    ("gateways", "gateway"), ("route_tables", "route table"), ("nsgs", "NSG"), ("public_ips", "public IP"),
    ("route_filters", "route filter"),
)

# Rules that need a gateway's region and are skipped without it (RES011 names them).
REGION_DEPENDENT_RULES = {
    "SKU001": "Standard circuit reach, by geopolitical region",
    "SKU002": "Azure cloud of the gateway",
    "SKU003": "Local circuit reach, by Local region",
}
# ... and with an unknown one (RES001): the same, plus ErGwScale availability.
GATEWAY_REGION_RULES = {**REGION_DEPENDENT_RULES, "GW014": "ErGwScale availability in the region"}
CIRCUIT_REGION_RULES = {"SKU002": "Azure cloud of the circuit"}
# Rules that need a circuit's peering location (RES002 names them).
LOCATION_DEPENDENT_RULES = {
    "SKU001": "Standard circuit reach",
    "SKU003": "Local circuit reach",
    "SKU004": "Local availability",
    "GR003": "Global Reach across geopolitical regions",
    "GR004": "Global Reach availability",
}


def skipped(rules: dict[str, str]) -> str:
    """'SKU001 (Standard circuit reach), GR004 (Global Reach availability)'."""
    return ", ".join(f"{rid} ({what})" for rid, what in rules.items())


def _region_skips(design: Design, section: str, obj) -> dict[str, str]:
    """The checks an unknown region switches off for this object."""
    if section == "circuits":
        return CIRCUIT_REGION_RULES
    if section == "gateways":
        return GATEWAY_REGION_RULES
    if section == "vnets" and any(g.vnet == obj.name and not g.region for g in design.gateways):
        return GATEWAY_REGION_RULES  # its gateway takes the VNet's region
    return {}


def _location_skips(design: Design, section: str, obj) -> dict[str, str]:
    """The checks an unknown peering location switches off for this circuit (or the circuits on this port)."""
    if section == "circuits":
        circuits = [obj]
    else:
        circuits = [c for c in design.circuits if c.express_route_port == obj.name and not c.peering_location]
    rules = dict(LOCATION_DEPENDENT_RULES) if circuits else {}
    if any(facts.region(c.region) is None for c in circuits):
        rules["SKU002"] = "Azure cloud of the circuit"
    return rules


# --------------------------------------------------------------------------- RES001 / RES002

@check("RES001")
def unknown_regions(design: Design, ctx=None) -> Iterable[Finding]:
    for section, label in _REGION_SECTIONS:
        for obj in getattr(design, section):
            name = obj.region
            if not name or facts.region(name) is not None:
                continue
            guess = facts.closest_region(name)
            skips = _region_skips(design, section, obj)
            yield Finding(
                "RES001",
                f"{label} '{obj.name}': region '{name}' is not a known Azure region"
                + (f" (closest: '{guess}')" if guess else "")
                + "; nothing can be deployed to it"
                + (f", and these checks are skipped for this {label}: {skipped(skips)}" if skips else ""),
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
                        severity="warning",  # known, so every check still runs; existing circuits may stay there
                    )
                continue
            if facts.is_placeholder(name):
                msg = f"peering location '{name}' is a placeholder, not a peering location"
            else:
                guess = facts.closest_peering_location(name)
                if facts.looks_like_port_location(name):
                    skips = _location_skips(design, section, obj)
                    yield Finding(
                        "RES002",
                        f"{label} '{obj.name}': ExpressRoute Direct port location '{name}' is not in erdesign's "
                        "tables, so erdesign can't verify it or map it to a peering location"
                        + (f"; these checks are skipped: {skipped(skips)}" if skips else ""),
                        node=obj, field=("peering_location",), severity="warning",
                        hint="Check the name against `az network express-route port location list`, or add it to "
                             "rules/data/direct_port_locations.yaml with its source.",
                    )
                    continue
                else:
                    msg = f"peering location '{name}' is not a known ExpressRoute peering location" + (
                        f" (closest: '{guess}')" if guess else "")
            skips = _location_skips(design, section, obj)
            where = f"this {label}" if section == "circuits" else "its circuits"
            yield Finding(
                "RES002",
                f"{label} '{obj.name}': {msg}; nothing can be ordered there"
                + (f", and these checks are skipped for {where}: {skipped(skips)}" if skips else ""),
                node=obj, field=("peering_location",),
                hint=("Use the peering location's name from Microsoft's locations list (e.g. 'Amsterdam'), or add "
                      "the port location to rules/data/direct_port_locations.yaml.")
                if facts.looks_like_port_location(name) else None,
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
                and not _in_global_reach(design, circuit) and not circuit.authorizations
                and not design.hub_connections_of_circuit(circuit.name)
                and not design._outside_references.get(circuit.name)):
            yield Finding(
                "RES006",
                f"circuit '{circuit.name}' is not used by any connection, Global Reach link or authorization; "
                "no VNet reaches on-premises through it",
                node=circuit,
                hint="Connect a gateway to it, or decommission it (it is billed while it exists).",
            )
        if not circuit.provider and not circuit.is_direct:
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
        yield Finding(
            "RES011",
            f"gateway '{gw.name}': neither it nor VNet '{gw.vnet}' has a region, so these checks are skipped "
            f"for its connections: {skipped(REGION_DEPENDENT_RULES)}",
            node=gw,
            hint=f"Set region on VNet '{gw.vnet}'.",
        )


# --------------------------------------------------------------------------- RES012 Azure resource names

# How a message names the objects of each section of resource_names.yaml.
_NAME_LABELS = {
    "circuits": "circuit", "vnets": "VNet", "subnets": "subnet", "gateways": "gateway", "connections": "connection",
    "vnet_peerings": "VNet peering", "route_tables": "route table", "routes": "route", "nsgs": "NSG",
    "rules": "rule", "public_ips": "public IP", "route_filters": "route filter",
}


@lru_cache(maxsize=None)
def _pattern(name: str) -> tuple:
    p = table("resource_names")["patterns"][name]
    return re.compile(p["allowed"]), re.compile(p["start"]), re.compile(p["end"]), p


def _named_objects(design: Design) -> Iterator[tuple[str, str, object]]:
    """(resource_names.yaml key, how to name it, object) for every Azure object with a name rule."""
    for key in table("resource_names")["resources"]:
        section, _, child = key.partition(".")
        for parent in getattr(design, section):
            if not child:
                yield key, _NAME_LABELS[section], parent
                continue
            for obj in getattr(parent, child):
                yield key, f"{_NAME_LABELS[section]} '{parent.name}' {_NAME_LABELS[child]}", obj


def _shown(text: str) -> str:
    """The name as it can be printed on one line (control characters escaped)."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _char(ch: str) -> str:
    if ch == " ":
        return "a space"
    if ch.isspace():
        return f"whitespace ({_shown(ch)})"
    if not ch.isprintable():
        return f"a control character ({_shown(ch)})"
    return f"'{ch}'"


def name_problems(name: str, rule: dict) -> list[str]:
    """What is wrong with a name under a resource_names.yaml rule ([] when nothing is)."""
    allowed, start, end, _ = _pattern(rule["pattern"])
    problems = []
    if len(name) > rule["max"]:
        problems.append(f"is {len(name)} characters long (at most {rule['max']})")
    elif len(name) < rule["min"]:
        problems.append(f"is {len(name)} character{'s' if len(name) != 1 else ''} long (at least {rule['min']})")
    bad = list(dict.fromkeys(ch for ch in name if not allowed.fullmatch(ch)))
    if bad:
        problems.append("contains " + ", ".join(_char(ch) for ch in bad[:5]) + (" and more" if len(bad) > 5 else ""))
    if name and allowed.fullmatch(name[0]) and not start.fullmatch(name[0]):
        problems.append(f"starts with '{name[0]}'")
    if len(name) > 1 and allowed.fullmatch(name[-1]) and not end.fullmatch(name[-1]):
        problems.append(f"ends with '{name[-1]}'")
    return problems


@check("RES012")
def azure_resource_names(design: Design, ctx=None) -> Iterable[Finding]:
    data = table("resource_names")
    for key, label, obj in _named_objects(design):
        name = obj.name
        if facts.is_placeholder(name):
            continue  # a value left to be filled in (an importer says so)
        rule = data["resources"][key]
        problems = name_problems(name, rule)
        if not problems:
            continue
        text = _pattern(rule["pattern"])[3]["text"]
        limits = f"{rule['min']}-{rule['max']} characters"
        yield Finding(
            "RES012",
            f"{label} '{_shown(name)}': the name {' and '.join(problems)}; Azure doesn't accept it for "
            f"{rule['type']} ({limits}; {text[0].lower() + text[1:]})",
            node=obj, field=("name",),
            hint="Rename it with letters, digits, '_', '.' and '-' only, starting with a letter or digit and ending "
                 f"with a letter, digit or '_' ({limits}).",
            evidence=[evidence("resource_names", rule["source"], f"{rule['type']} names", f"{limits}; {text}")],
        )


# --------------------------------------------------------------------------- RES013 providers and their circuits

def _same_provider(a: str, b: str) -> bool:
    """'Equinix' and 'Equinix Fabric' name one provider; 'FooTel' and 'Megaport' don't."""
    x, y = facts.norm(a), facts.norm(b)
    return bool(x and y) and (x.startswith(y) or y.startswith(x))


@check("RES013")
def provider_virtual_circuits(design: Design, ctx=None) -> Iterable[Finding]:
    first_on_link: dict[tuple[str, str], tuple] = {}
    for provider in design.providers:
        for vc in provider.virtual_circuits:
            circuit = design.circuit(vc.circuit)
            if circuit is None:
                continue
            if circuit.provider and not _same_provider(provider.name, circuit.provider):
                yield Finding(
                    "RES013",
                    f"provider '{provider.name}' virtual circuit '{vc.name}' carries circuit '{circuit.name}', whose "
                    f"provider is '{circuit.provider}'; a circuit is delivered by the provider it was ordered from",
                    node=vc, field=("circuit",),
                    hint=f"Move virtual circuit '{vc.name}' under provider '{circuit.provider}', or correct the "
                         f"circuit's provider (Azure's name for '{provider.name}').",
                )
            key = (circuit.name, vc.link)
            if key in first_on_link:
                other_provider, other = first_on_link[key]
                yield Finding(
                    "RES013",
                    f"provider '{provider.name}' virtual circuit '{vc.name}': circuit '{circuit.name}' {vc.link} link "
                    f"is already carried by virtual circuit '{other.name}' (provider '{other_provider.name}'); each "
                    "link of a circuit has one virtual circuit",
                    node=vc, field=("link",),
                    hint=f"Set link: {'secondary' if vc.link == 'primary' else 'primary'} on one of them, or remove "
                         "the duplicate.",
                )
            else:
                first_on_link[key] = (provider, vc)
