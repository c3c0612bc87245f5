"""LIVE: what a running deployment shows (az route tables, ARP tables, BGP peers, learned and
advertised routes, read next to the design) against the design and the limits.

Each live view is matched to the designed circuit peering link or gateway it belongs to
(erdesign.live.attribute); findings point at the line of the live file that shows the problem.
Limits come from rules/data/route_limits.yaml and gateway_skus.yaml, the view facts and the
80 % early-warning threshold (an estimate of ours) from rules/data/live_state.yaml.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional

from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..live import views_of
from ..live.attribute import Target, attribute, view_addresses
from ..live.views import (ADVERTISED_ROUTES, ARP_TABLE, BGP_PEERS, CIRCUIT_STATS, LEARNED_ROUTES, ROUTE_TABLE,
                          ROUTE_TABLE_SUMMARY, LiveView)
from ..model import Circuit, Design, Peering
from ._common import counted, evidence, fmt, network

PRIVATE = "AzurePrivatePeering"


def _views(design: Design) -> list[LiveView]:
    return views_of(design)


def _attributed(design: Design, kinds: Iterable[str]) -> Iterator[tuple[LiveView, Target]]:
    kinds = tuple(kinds)
    for view in _views(design):
        if view.kind in kinds:
            yield view, attribute(design, view)


def _node(target: Target):
    return target.peering or target.circuit or target.gateway


def _facts() -> dict:
    return table("live_state")


# --------------------------------------------------------------------------- LIVE001 BGP sessions

@check("LIVE001")
def bgp_sessions_down(design: Design) -> Iterator[Finding]:
    connected = _facts()["bgp_connected_state"]["value"]
    for view, target in _attributed(design, (BGP_PEERS, ROUTE_TABLE_SUMMARY)):
        where = target.describe()
        for i, row in enumerate(view.rows):
            if not isinstance(row, dict):
                continue
            if view.kind == BGP_PEERS:
                state = row.get("state")
                if state == connected:
                    continue
                asn = row.get("asn")
                role = _peer_role(asn)
                yield Finding(
                    "LIVE001",
                    f"{where}: BGP peer {row.get('neighbor')} (AS {asn}{role}) is {state or 'in no state'}, not "
                    f"{connected} [{view.label}]",
                    node=_node(target), loc=view.row_loc(i, "state"),
                    evidence=[evidence("live_state", "AZCLI", "BGP peer state when the session is up", connected)])
            else:
                value = str(row.get("statePfxRcd", "")).strip()
                if value.isdecimal():
                    continue
                yield Finding(
                    "LIVE001",
                    f"{where}: BGP session with {row.get('neighbor')} (AS {row.get('as')}) is {value or 'down'}, "
                    f"not established (statePfxRcd holds no prefix count) [{view.label}]",
                    node=_node(target), loc=view.row_loc(i, "statePfxRcd"))


def _peer_role(asn) -> str:
    if asn == table("asns")["microsoft_asn"]["value"]:
        return ", a Microsoft edge router (MSEE)"
    if asn == _facts()["gateway_instance_asn"]["value"]:
        return ", the gateway's other instance"
    return ""


# --------------------------------------------------------------------------- LIVE002 ARP

def _usable(net, index: int) -> Optional[str]:
    return str(net.network_address + index) if net is not None and net.num_addresses > index else None


def _link_net(target: Target):
    if target.peering is None or target.path is None:
        return None
    primary, secondary = target.peering.link_prefixes()
    return network((primary if target.path == "primary" else secondary) or "")


@check("LIVE002")
def arp_entries_missing(design: Design) -> Iterator[Finding]:
    on_prem, microsoft = _facts()["arp_interfaces"]["value"]
    for view, target in _attributed(design, (ARP_TABLE,)):
        if target.peering is None:
            continue  # LIVE008 says the view matches no designed peering
        rows = [r for r in view.rows if isinstance(r, dict)]
        net = _link_net(target)
        where = target.describe()
        for interface, index in ((on_prem, 1), (microsoft, 2)):
            entries = [r for r in rows if r.get("interface") == interface]
            expected = _usable(net, index)
            if not entries:
                who = "your router" if interface == on_prem else "the Microsoft edge"
                yield Finding(
                    "LIVE002",
                    f"{where}: the ARP table has no {interface} entry"
                    + (f" ({who}, expected at {expected})" if expected else f" ({who})") + f" [{view.label}]",
                    node=target.peering, loc=view.loc,
                    evidence=[evidence("live_state", "ARPTS", "interfaces a healthy link shows",
                                       f"{on_prem}, {microsoft}")])
            elif expected and not any(str(r.get("ipAddress", "")).strip() == expected for r in entries):
                i = view.rows.index(entries[0])
                yield Finding(
                    "LIVE002",
                    f"{where}: the {interface} ARP entry is {entries[0].get('ipAddress')}, not {expected} (the "
                    f"{'first' if index == 1 else 'second'} usable address of {net}) [{view.label}]",
                    node=target.peering, loc=view.row_loc(i, "ipAddress"))


# --------------------------------------------------------------------------- LIVE003/LIVE004 route counts

def _distinct_networks(rows, *, origin: Optional[str] = None) -> dict[int, list[int]]:
    """{IP version: [row index of the first row of each distinct network]}."""
    seen: dict[int, dict[str, int]] = {4: {}, 6: {}}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        if origin is not None and str(row.get("origin", "")).lower() != origin.lower():
            continue
        net = network(str(row.get("network", "")))
        if net is not None:
            seen[net.version].setdefault(str(net), i)
    return {v: list(d.values()) for v, d in seen.items()}


def _circuit_limit(circuit: Circuit, peering: Peering, version: int):
    limits = table("route_limits")
    if peering.type == PRIVATE:
        entry = limits["advertised_to_private_peering"]
        value = entry[f"ipv{version}"].get(circuit.sku.tier)
        return value, entry["source"], f"IPv{version} routes from on-premises to private peering, {circuit.sku.tier}"
    entry = limits["advertised_to_microsoft_peering"]
    return entry[f"ipv{version}"], entry["source"], f"IPv{version} routes from on-premises to Microsoft peering"


def _count_findings(view: LiveView, target: Target, count: int, limit, source_table: str, source_id: str,
                    label: str, what: tuple[str, str, str], loc) -> Iterator[Finding]:
    """what: (noun, its plural, what follows), e.g. ("IPv4 route", "IPv4 routes", "received from on-premises")."""
    if not limit:
        return
    warn_at = _facts()["nearing_limit_percent"]["value"]
    share = 100 * count / limit
    ev = [evidence(source_table, source_id, label, limit)]
    if count > limit:
        yield Finding("LIVE003", f"{target.describe()}: {counted(count, what[0], what[1])} {what[2]} exceed the limit of {fmt(limit)} "
                                 f"({share:.0f} %) [{view.label}]", node=_node(target), loc=loc, evidence=ev)
    elif share >= warn_at:
        ev.append(evidence("live_state", None, "early-warning threshold (erdesign's, not Microsoft's) in %", warn_at,
                           confidence="estimate"))
        yield Finding("LIVE004", f"{target.describe()}: {counted(count, what[0], what[1])} {what[2]}, {share:.0f} % of the limit of "
                                 f"{fmt(limit)} (warning from {warn_at} %, an erdesign threshold) [{view.label}]",
                      node=_node(target), loc=loc, evidence=ev)


@check("LIVE003", "LIVE004")
def route_counts(design: Design) -> Iterator[Finding]:
    for view, target in _attributed(design, (ROUTE_TABLE, ROUTE_TABLE_SUMMARY, LEARNED_ROUTES, ADVERTISED_ROUTES)):
        if view.kind in (ROUTE_TABLE, ROUTE_TABLE_SUMMARY):
            if target.circuit is None or target.peering is None:
                continue
            if view.kind == ROUTE_TABLE:
                counts = {v: len(rows) for v, rows in _distinct_networks(view.rows).items()}
                loc = view.loc
            else:
                counts, loc = {}, view.loc
                for i, row in enumerate(view.rows):
                    value = str(row.get("statePfxRcd", "")).strip() if isinstance(row, dict) else ""
                    if value.isdecimal():
                        version = 6 if ":" in str(row.get("neighbor", "")) else 4
                        if int(value) > counts.get(version, -1):
                            counts[version], loc = int(value), view.row_loc(i, "statePfxRcd")
            for version, count in counts.items():
                limit, source, label = _circuit_limit(target.circuit, target.peering, version)
                yield from _count_findings(view, target, count, limit, "route_limits", source, label,
                                           (f"IPv{version} route", f"IPv{version} routes", "received from on-premises"), loc)
        elif target.gateway is not None:
            if view.kind == LEARNED_ROUTES:
                sku = table("gateway_skus")["skus"].get(target.gateway.sku, {})
                learned = _distinct_networks(view.rows, origin="EBgp")
                count = len(learned[4]) + len(learned[6])
                yield from _count_findings(view, target, count, sku.get("routes_learned"), "gateway_skus",
                                           sku.get("source"), f"routes a {target.gateway.sku} gateway learns",
                                           ("route", "routes", "learned over BGP"), view.loc)
            else:
                entry = table("route_limits")["advertised_by_gateway"]
                for version, rows in _distinct_networks(view.rows).items():
                    yield from _count_findings(view, target, len(rows), entry[f"ipv{version}"], "route_limits",
                                               entry["source"], f"IPv{version} prefixes a gateway advertises per "
                                               "ExpressRoute connection", (f"IPv{version} prefix", f"IPv{version} prefixes", "advertised"), view.loc)


# --------------------------------------------------------------------------- LIVE005/LIVE007 observed prefixes

def _observed_onprem(view: LiveView) -> Iterator[tuple[int, object]]:
    """(row index, network) of each prefix the view shows as coming from on-premises."""
    for i, row in enumerate(view.rows):
        if not isinstance(row, dict):
            continue
        if view.kind == LEARNED_ROUTES and str(row.get("origin", "")).lower() != "ebgp":
            continue
        net = network(str(row.get("network", "")))
        if net is not None:
            yield i, net


def _declared_prefixes(design: Design, circuits: list[Circuit]) -> Optional[list]:
    """What the design says on-premises advertises to these circuits' private peerings; None if it lists nothing."""
    sites_of_router = {r.name: s for s in design.sites for r in s.routers}
    declared: list = []
    listed = False
    for circuit in circuits:
        for peering in circuit.peerings:
            if peering.advertised_prefixes or peering.advertised_public_prefixes:
                listed = True
                declared += [network(p) for p in peering.advertised_prefixes + peering.advertised_public_prefixes]
                continue
            for link in (peering.primary_link, peering.secondary_link):
                site = sites_of_router.get(link.router) if link is not None and link.router else None
                if site is not None and site.advertised_prefixes:
                    listed = True
                    declared += [network(p) for p in site.advertised_prefixes]
    return [d for d in declared if d is not None] if listed else None


def _circuits_of(design: Design, target: Target) -> list[Circuit]:
    if target.circuit is not None:
        return [target.circuit]
    if target.gateway is not None:
        names = [c.circuit for c in design.connections_of_gateway(target.gateway.name) if c.circuit]
        return [design.circuit(n) for n in dict.fromkeys(names) if design.circuit(n) is not None]
    return []


def _covered(net, declared: list) -> bool:
    return any(net.version == d.version and net.subnet_of(d) for d in declared)


@check("LIVE005")
def observed_prefix_overlaps_vnet(design: Design) -> Iterator[Finding]:
    vnets = [(v, network(p)) for v in design.vnets for p in v.address_space]
    vnets = [(v, n) for v, n in vnets if n is not None]
    for view, target in _attributed(design, (ROUTE_TABLE, LEARNED_ROUTES)):
        declared = _declared_prefixes(design, _circuits_of(design, target)) or []
        for i, net in _observed_onprem(view):
            if any(net == d for d in declared):
                continue  # a declared prefix: NET011 reports its overlaps from the design
            for vnet, space in vnets:
                if net.version == space.version and net.overlaps(space):
                    yield Finding(
                        "LIVE005",
                        f"{target.describe()}: on-premises advertises {net}, which overlaps VNet '{vnet.name}' "
                        f"({space}); Azure keeps VNet routes, so that part of on-premises is unreachable from Azure "
                        f"[{view.label}]",
                        node=vnet, loc=view.row_loc(i, "network"))
                    break


@check("LIVE007")
def prefix_not_in_design(design: Design) -> Iterator[Finding]:
    for view, target in _attributed(design, (ROUTE_TABLE, LEARNED_ROUTES)):
        if not target.found:
            continue
        declared = _declared_prefixes(design, _circuits_of(design, target))
        if declared is None:
            continue  # the design lists no prefixes to compare with
        for i, net in _observed_onprem(view):
            if not _covered(net, declared):
                yield Finding(
                    "LIVE007",
                    f"{target.describe()}: on-premises advertises {net}, which the design does not list "
                    f"[{view.label}]",
                    node=_node(target), loc=view.row_loc(i, "network"))


# --------------------------------------------------------------------------- LIVE006 ASN drift

_AS_SPLIT = re.compile(r"[\s,-]+")


def _path_asns(text) -> list[int]:
    return [int(p) for p in _AS_SPLIT.split(str(text or "")) if p.isdecimal()]


@check("LIVE006")
def asn_drift(design: Design) -> Iterator[Finding]:
    microsoft = table("asns")["microsoft_asn"]["value"]
    for view, target in _attributed(design, (ROUTE_TABLE, ROUTE_TABLE_SUMMARY, LEARNED_ROUTES)):
        if view.kind in (ROUTE_TABLE, ROUTE_TABLE_SUMMARY):
            if target.peering is None or target.peering.peer_asn is None:
                continue
            expected = {target.peering.peer_asn}
        else:
            expected = {p.peer_asn for c in _circuits_of(design, target) for p in c.peerings if p.peer_asn is not None}
            for c in _circuits_of(design, target):  # Global Reach brings the other circuit's on-premises ASN
                for gr in c.global_reach:
                    peer = design.circuit(gr.peer_circuit)
                    expected |= {p.peer_asn for p in (peer.peerings if peer else []) if p.peer_asn is not None}
            if not expected:
                continue
        for i, row in enumerate(view.rows):
            if not isinstance(row, dict):
                continue
            if view.kind == ROUTE_TABLE:
                asns, key = _path_asns(row.get("path")), "path"
                seen = asns[0] if asns else None
            elif view.kind == ROUTE_TABLE_SUMMARY:
                seen, key = row.get("as"), "as"
            else:
                if str(row.get("origin", "")).lower() != "ebgp":
                    continue
                asns, key = _path_asns(row.get("asPath")), "asPath"
                asns = asns[1:] if asns and asns[0] == microsoft else asns
                seen = asns[0] if asns else None
            if isinstance(seen, int) and seen not in expected:
                want = ", ".join(str(a) for a in sorted(expected))
                yield Finding(
                    "LIVE006",
                    f"{target.describe()}: on-premises peers with AS {seen}, the design says {want} "
                    f"[{view.label}]",
                    node=_node(target), field=("peer_asn",) if target.peering is not None else (),
                    loc=view.row_loc(i, key))
                break  # one finding per view


# --------------------------------------------------------------------------- LIVE008 views of undesigned things

@check("LIVE008")
def view_not_in_design(design: Design) -> Iterator[Finding]:
    for view in _views(design):
        target = attribute(design, view)
        addresses = view_addresses(view) if view.kind != CIRCUIT_STATS else []
        if not target.found:
            what = "circuit" if view.kind in (ROUTE_TABLE, ROUTE_TABLE_SUMMARY, ARP_TABLE, CIRCUIT_STATS) else "gateway"
            shown = f" (addresses {', '.join(sorted({str(a) for a in addresses})[:3])})" if addresses else ""
            yield Finding(
                "LIVE008",
                f"{view.label}{shown} matches no {what} of the design; name the file after the {what} it comes "
                f"from, or add the {what} to the design",
                loc=view.loc)
            continue
        if target.how == "content":
            continue
        if view.kind in (ROUTE_TABLE, ROUTE_TABLE_SUMMARY, ARP_TABLE):
            if target.peering is None:
                yield Finding(
                    "LIVE008",
                    f"{view.label} of circuit '{target.circuit.name}' shows a peering the design does not have "
                    f"({'MicrosoftPeering' if 'microsoft' in view.name else PRIVATE})",
                    node=target.circuit, loc=view.loc)
            elif addresses:
                shown = ", ".join(sorted({str(a) for a in addresses})[:3])
                yield Finding(
                    "LIVE008",
                    f"{target.describe()}: the {view.label} shows {shown}, in no link prefix of the design's "
                    f"peering (a peering or link the design does not have, or changed addresses)",
                    node=target.peering, loc=view.row_loc(0))
        elif addresses and view.kind in (BGP_PEERS, LEARNED_ROUTES, ADVERTISED_ROUTES):
            shown = ", ".join(sorted({str(a) for a in addresses})[:3])
            yield Finding(
                "LIVE008",
                f"gateway '{target.gateway.name}': the {view.label} shows local address {shown}, outside the "
                "GatewaySubnet of its VNet in the design",
                node=target.gateway, loc=view.row_loc(0))



# --------------------------------------------------------------------------- LIVE009 idle link

@check("LIVE009")
def idle_link(design: Design) -> Iterator[Finding]:
    for view, target in _attributed(design, (CIRCUIT_STATS,)):
        root = view.root
        if target.circuit is None or not isinstance(root, dict):
            continue
        totals = {}
        for role in ("primary", "secondary"):
            values = [root.get(f"{role}bytes{d}") for d in ("In", "Out")]
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                break
            totals[role] = sum(values)
        if len(totals) != 2 or (totals["primary"] == 0) == (totals["secondary"] == 0):
            continue
        idle = "primary" if totals["primary"] == 0 else "secondary"
        busy = "secondary" if idle == "primary" else "primary"
        loc = root.value_loc(f"{idle}bytesIn") if hasattr(root, "value_loc") else view.loc
        yield Finding(
            "LIVE009",
            f"circuit '{target.circuit.name}': the {idle} link carried no traffic while the {busy} link carried "
            f"{fmt(totals[busy])} bytes; the links are used active/passive, or the {idle} one is down "
            f"[{view.label}]",
            node=target.circuit, loc=loc or view.loc,
            evidence=[evidence("live_state", "RESIL", "both links of a circuit used active-active", "recommended")])
