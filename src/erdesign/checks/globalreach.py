"""GR rules: ExpressRoute Global Reach connections between circuits.

GR001 Global Reach on an ExpressRoute Local circuit
GR002 both circuits at the same peering location
GR003 circuits in different geopolitical regions without Premium on both
GR004 circuit at a peering location where Global Reach isn't available
GR005 Global Reach address prefix missing or not a /29 (IPv6 /125)
GR006 Global Reach address prefix overlapping a range in use
GR007 a circuit of the connection has no Azure private peering
GR008 the same connection listed on both circuits (or twice)
GR009 Global Reach traffic between circuits that have no direct connection (not transitive)
"""
from __future__ import annotations

import ipaddress
from collections import deque
from typing import Iterable, Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Circuit, Design, GlobalReachLink
from . import _places as P
from ._common import evidence


def _gr() -> dict:
    return table("global_reach")


def _links(design: Design) -> Iterator[tuple[Circuit, GlobalReachLink, Circuit, bool]]:
    """(circuit, link, peer, first) for every Global Reach link; first=False for the
    second listing of the same pair of circuits."""
    seen: set[frozenset] = set()
    for circuit in design.circuits:
        for link in circuit.global_reach:
            peer = design.circuit(link.peer_circuit)
            if peer is None:
                continue
            key = frozenset((circuit.name, peer.name))
            yield circuit, link, peer, key not in seen
            seen.add(key)


def _title(circuit: Circuit, link: GlobalReachLink) -> str:
    return f"circuit '{circuit.name}' global_reach to '{link.peer_circuit}'"


def _blame(circuit: Circuit, culprit: Circuit) -> tuple:
    """The field of the link to point at: peer_circuit when the peer is at fault."""
    return () if culprit is circuit else ("peer_circuit",)


# --------------------------------------------------------------------------- GR001-GR004, GR007, GR008

@check("GR001", "GR002", "GR003", "GR004", "GR007", "GR008")
def global_reach_pairs(design: Design, ctx=None) -> Iterable[Finding]:
    gr = _gr()
    for circuit, link, peer, first in _links(design):
        title = _title(circuit, link)
        if not first:
            yield Finding(
                "GR008",
                f"{title}: this Global Reach connection is already listed (one connection joins both circuits; "
                "it is configured on one of them)",
                node=link, field=("peer_circuit",),
                hint="Keep the connection on one circuit only (the one that holds the address prefix).",
            )
            continue
        pair = (circuit,) if peer is circuit else (circuit, peer)
        locals_ = [c for c in pair if c.sku.tier == "Local"]
        for c in locals_:
            yield Finding(
                "GR001",
                f"{title}: circuit '{c.name}' is ExpressRoute Local, which doesn't support Global Reach",
                node=link, field=_blame(circuit, c),
                hint=f"Upgrade circuit '{c.name}' to Standard or Premium (Local -> Standard needs UnlimitedData).",
                evidence=[evidence("global_reach", gr["not_on_local"].get("source"),
                                   "Global Reach on ExpressRoute Local", "not available", flag_stale=True)],
            )
        for c in pair:
            p = next((p for p in c.peerings if p.type == "AzurePrivatePeering"), None)
            if p is None:
                yield Finding(
                    "GR007",
                    f"{title}: circuit '{c.name}' has no Azure private peering; Global Reach needs private "
                    "peering configured on both circuits",
                    node=link, field=_blame(circuit, c),
                    hint=f"Configure AzurePrivatePeering on circuit '{c.name}' (or declare it in the design).",
                    evidence=[evidence("global_reach", gr["prerequisites"].get("source"),
                                       "private peering required on both circuits", True, flag_stale=True)],
                )
        loc_a = P.circuit_location(design, circuit)
        loc_b = P.circuit_location(design, peer)
        name_a, name_b = P.circuit_location_name(design, circuit), P.circuit_location_name(design, peer)
        if peer is circuit:
            yield Finding("GR002", f"{title}: a circuit can't have Global Reach to itself",
                          node=link, field=("peer_circuit",))
            continue
        if name_a and name_b and facts.norm(name_a) == facts.norm(name_b):
            yield Finding(
                "GR002",
                f"{title}: both circuits are at peering location {loc_a['name'] if loc_a else name_a}; "
                "Global Reach connects circuits at different peering locations",
                node=link, field=("peer_circuit",),
                hint="Use a circuit at another peering location (e.g. City2 of the same metro).",
                evidence=[evidence("global_reach", gr["different_peering_locations_required"].get("source"),
                                   "circuits must be at different peering locations", True, flag_stale=True)],
            )
        for c, loc in ((circuit, loc_a), (peer, loc_b)):
            if loc is not None:
                yield from _availability(circuit, link, c, loc, gr)
        if loc_a is None or loc_b is None or locals_:
            continue
        geo_a, geo_b = loc_a.get("geopolitical_region"), loc_b.get("geopolitical_region")
        not_premium = [c for c in pair if c.sku.tier != "Premium"]
        if geo_a and geo_b and geo_a != geo_b and not_premium:
            rule = gr["premium_required_across_geopolitical_regions"]
            estimate = loc_a.get("confidence") == "estimate" or loc_b.get("confidence") == "estimate"
            yield Finding(
                "GR003",
                f"{title}: '{circuit.name}' at {loc_a['name']} ({geo_a}) and '{peer.name}' at {loc_b['name']} "
                f"({geo_b}) are in different geopolitical regions, which needs Premium on both circuits; "
                f"{' and '.join(repr(c.name) for c in not_premium)} "
                f"{'is' if len(not_premium) == 1 else 'are'} not Premium"
                + (" (one of the regions is an estimate)" if estimate else ""),
                node=link, field=_blame(circuit, not_premium[0]),
                hint="Set sku.tier: Premium on " + " and ".join(f"'{c.name}'" for c in not_premium) + ".",
                evidence=[P.location_geo_evidence(loc_a), P.location_geo_evidence(loc_b),
                          evidence("global_reach", rule.get("source"),
                                   "Premium needed on both circuits across geopolitical regions", True,
                                   flag_stale=True)],
            )


def _availability(circuit: Circuit, link: GlobalReachLink, c: Circuit, loc: dict, gr: dict) -> Iterable[Finding]:
    country = loc.get("country")
    if not country:
        return
    countries = gr["available_countries"]["values"]
    only = (gr.get("only_at_locations") or {}).get(country) or {}
    city = loc["name"][: -len(" Metro")] if loc.get("is_metro") else loc["name"]
    if country in countries and (not only or city in only.get("values", [])):
        return
    why = (f"in {country} Global Reach is offered at {', '.join(only.get('values', []))} only"
           if country in countries else f"Global Reach isn't available in {country}")
    only_evidence = []
    if only:
        confidence = "estimate" if only.get("confidence") == "estimate" else "verified"
        only_evidence = [evidence("global_reach", only.get("source"), f"{country} locations with Global Reach",
                                  ", ".join(only["values"]), confidence, flag_stale=True)]
    yield Finding(
        "GR004",
        f"{_title(circuit, link)}: circuit '{c.name}' is at {loc['name']}; {why}",
        node=link, field=_blame(circuit, c),
        hint="Global Reach needs both circuits at peering locations in a supported country.",
        evidence=[
            evidence("peering_locations", loc.get("source"), f"country of {loc['name']}", country, flag_stale=True),
            evidence("global_reach", gr["available_countries"].get("source"), "countries with Global Reach",
                     ", ".join(countries), flag_stale=True),
        ] + only_evidence,
    )


# --------------------------------------------------------------------------- GR005 / GR006

def _used_ranges(design: Design, skip_link: GlobalReachLink) -> list[tuple[ipaddress._BaseNetwork, str]]:
    """Ranges a Global Reach prefix must not overlap. Peering link subnets are left to NET008."""
    used: list[tuple[ipaddress._BaseNetwork, str]] = []

    def add(prefix: Optional[str], what: str) -> None:
        if prefix:
            used.append((ipaddress.ip_network(prefix, strict=False), what))

    for vnet in design.vnets:
        for prefix in vnet.address_space:
            add(prefix, f"VNet '{vnet.name}' address space {prefix}")
    for site in design.sites:
        for prefix in site.advertised_prefixes:
            add(prefix, f"on-premises prefix {prefix} of site '{site.name}'")
    for circuit in design.circuits:
        for peering in circuit.peerings:
            where = f"circuit '{circuit.name}' {peering.type}"
            for prefix in peering.advertised_prefixes:
                add(prefix, f"on-premises prefix {prefix} advertised on {where}")
            for prefix in peering.advertised_public_prefixes:
                add(prefix, f"{where} advertised public prefix {prefix}")
        for other in circuit.global_reach:
            if other is skip_link:
                continue
            title = _title(circuit, other)
            add(other.address_prefix, f"{title} address prefix {other.address_prefix}")
            add(other.address_prefix_v6, f"{title} IPv6 address prefix {other.address_prefix_v6}")
    return used


@check("GR005", "GR006")
def global_reach_prefixes(design: Design, ctx=None) -> Iterable[Finding]:
    lengths = _gr()["address_prefix_length"]
    has_prefix = {frozenset((c.name, l.peer_circuit)) for c in design.circuits for l in c.global_reach
                  if l.address_prefix or l.address_prefix_v6}
    for circuit, link, peer, first in _links(design):
        title = _title(circuit, link)
        if not link.address_prefix and not link.address_prefix_v6:
            if first or frozenset((circuit.name, peer.name)) not in has_prefix:
                yield Finding(
                    "GR005",
                    f"{title}: no address_prefix; Global Reach needs a /{lengths['ipv4']} not used in Azure or "
                    "on-premises",
                    node=link, field=("address_prefix",),
                    evidence=[evidence("global_reach", lengths.get("source"),
                                       "Global Reach address prefix length (IPv4)", f"/{lengths['ipv4']}",
                                       flag_stale=True)],
                )
            continue
        for fieldname, version in (("address_prefix", "ipv4"), ("address_prefix_v6", "ipv6")):
            prefix = getattr(link, fieldname)
            if not prefix:
                continue
            net = ipaddress.ip_network(prefix, strict=False)
            want = lengths[version]
            if net.prefixlen != want:
                yield Finding(
                    "GR005",
                    f"{title}: {fieldname} {prefix} is a /{net.prefixlen}; Global Reach takes exactly a /{want}",
                    node=link, field=(fieldname,),
                    hint=f"Use a /{want} that no VNet, peering or on-premises network uses.",
                    evidence=[evidence("global_reach", lengths.get("source"),
                                       f"Global Reach address prefix length ({version})", f"/{want}", flag_stale=True)],
                )
            clashes = [what for used, what in _used_ranges(design, link)
                       if used.version == net.version and used.overlaps(net)]
            if clashes:
                more = f" (and {len(clashes) - 1} more: {'; '.join(clashes[1:4])})" if len(clashes) > 1 else ""
                yield Finding(
                    "GR006",
                    f"{title}: {fieldname} {prefix} overlaps {clashes[0]}{more}",
                    node=link, field=(fieldname,),
                    hint=f"Pick a /{want} that no VNet, peering subnet or on-premises network uses.",
                    evidence=[evidence("global_reach", lengths.get("source"),
                                       "Global Reach prefix must not overlap Azure or on-premises", True,
                                       flag_stale=True)],
                )


# --------------------------------------------------------------------------- GR009

def _path(adj: dict[str, set[str]], start: str, goal: str) -> Optional[list[str]]:
    prev: dict[str, Optional[str]] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while prev[path[-1]] is not None:
                path.append(prev[path[-1]])
            return path[::-1]
        for nxt in sorted(adj.get(node, ())):
            if nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    return None


@check("GR009")
def global_reach_transit(design: Design, ctx=None) -> Iterable[Finding]:
    adj: dict[str, set[str]] = {}
    for circuit, link, peer, _ in _links(design):
        adj.setdefault(circuit.name, set()).add(peer.name)
        adj.setdefault(peer.name, set()).add(circuit.name)
    transitive = _gr()["transitive"]
    for entry in design.traffic.global_reach:
        a, b = entry.circuit, entry.peer_circuit
        if a == b or b in adj.get(a, ()):
            continue
        path = _path(adj, a, b)
        via = (f"; the design links {' <-> '.join(path)}, but Global Reach isn't transitive"
               if path else "; the design has no Global Reach connection between them")
        yield Finding(
            "GR009",
            f"traffic.global_reach: {entry.gb_month:g} GB/month between circuits '{a}' and '{b}', which have no "
            f"direct Global Reach connection{via}",
            node=entry, field=("peer_circuit",),
            hint=f"Add a Global Reach connection between '{a}' and '{b}' (a full mesh needs every pair).",
            evidence=[evidence("global_reach", transitive.get("source"), "Global Reach is transitive", False,
                               flag_stale=True)],
        )
