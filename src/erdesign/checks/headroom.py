"""Capacity headroom (CAP011-CAP014): what fits today but leaves no room, and what carries less than it should.

CAP011 carrier virtual circuit slower than the ExpressRoute circuit it carries
CAP012 nearing a limit (routes, VNet links, circuit connections, routes learned) - from 80 % by default
CAP013 declared traffic above 90 % of what the circuit carries in a month
CAP014 route table with more routes than Azure allows
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design, format_bandwidth
from ._common import evidence, fmt, who
from .capacity import (PrefixCount, global_reach_pairs, max_circuit_connections, monthly_capacity_gb,
                       private_peering_prefixes, private_peerings, router_sites)


def _gb(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def headroom() -> dict:
    return table("network_limits")["headroom"]


def nearing_percent(ctx) -> float:
    """Percent of a limit from which CAP012 warns: `nearing-limit` in the configuration, else the data's default."""
    configured = getattr(getattr(ctx, "config", None), "nearing_limit", None)
    return float(configured) if configured is not None else float(headroom()["nearing_limit_percent"])


# --------------------------------------------------------------------------- CAP011

@check("CAP011")
def virtual_circuit_slower_than_circuit(design: Design) -> Iterator[Finding]:
    for provider in design.providers:
        for vc in provider.virtual_circuits:
            circuit = design.circuit(vc.circuit)
            if circuit is None or vc.bandwidth is None or circuit.bandwidth is None or vc.bandwidth >= circuit.bandwidth:
                continue
            yield Finding(
                "CAP011",
                f"provider '{provider.name}' virtual circuit '{vc.name}' ({vc.link} link) is "
                f"{format_bandwidth(vc.bandwidth)}, slower than circuit '{circuit.name}' "
                f"({format_bandwidth(circuit.bandwidth)}); the carrier caps the link below what Azure bills for",
                node=vc, field=("bandwidth",),
                hint=f"Order a {format_bandwidth(circuit.bandwidth)} virtual circuit, or reduce the circuit's bandwidth",
                evidence=[evidence("bandwidths", "PEERINGS", f"bandwidth of circuit '{circuit.name}'",
                                   format_bandwidth(circuit.bandwidth))],
            )


# --------------------------------------------------------------------------- CAP012

def _near(value: int, limit: Optional[int], percent: float) -> bool:
    return limit is not None and limit != 0 and limit * percent / 100 <= value <= limit


def _pct(value: int, limit: int) -> str:
    return f"{value * 100 / limit:.0f} %"


@check("CAP012")
def nearing_limits(design: Design, ctx=None) -> Iterator[Finding]:
    percent = nearing_percent(ctx)
    threshold = evidence("network_limits", "ADVISOR",
                         "nearing-limit threshold (erdesign's default; Advisor publishes no figure)",
                         f"{percent:g} %", "estimate")
    router_site = router_sites(design)
    route_limits = table("route_limits")["advertised_to_private_peering"]
    per_circuit: dict[str, PrefixCount] = {}
    for circuit, peering in private_peerings(design):
        count = private_peering_prefixes(peering, router_site)
        per_circuit[circuit.name] = count
        for version, key in ((4, "ipv4"), (6, "ipv6")):
            limit = route_limits[key].get(circuit.sku.tier)
            total = count.total(version)
            if _near(total, limit, percent):
                node, fld, origin = count.where.get(version, (peering, (), ""))
                yield Finding(
                    "CAP012",
                    f"{who(circuit, peering)}: {fmt(total)} IPv{version} prefixes from on-premises ({origin}) "
                    f"are {_pct(total, limit)} of the {circuit.sku.tier} limit of {fmt(limit)}; past it the BGP "
                    "session drops",
                    node=node, field=fld,
                    hint="Summarize on-premises routes now, or plan Premium, before growth crosses the limit",
                    evidence=[evidence("route_limits", route_limits["source"],
                                       f"IPv{version} prefixes to private peering, {circuit.sku.tier}", limit), threshold],
                )
    links = table("vnet_links")["by_bandwidth_mbps"]
    conns: dict[str, int] = defaultdict(int)
    for c in design.connections:
        if c.circuit:
            conns[c.circuit] += 1
    gr_pairs = global_reach_pairs(design)
    for circuit in design.circuits:
        row = links.get(str(circuit.bandwidth)) or {}
        limit = row.get(circuit.sku.tier)
        total = conns.get(circuit.name, 0) + len(gr_pairs.get(circuit.name, ()))
        if _near(total, limit, percent):
            yield Finding(
                "CAP012",
                f"circuit '{circuit.name}': {total} VNet links are {_pct(total, limit)} of the {limit} a "
                f"{format_bandwidth(circuit.bandwidth)} {circuit.sku.tier} circuit allows",
                node=circuit, field=("sku", "tier"),
                hint="Plan Premium or more circuits before adding VNets; peer spokes to a hub instead of linking them",
                evidence=[evidence("vnet_links", links["source"], "VNet links", limit), threshold],
            )
    by_gateway: dict[str, list[str]] = defaultdict(list)
    for c in design.connections:
        if c.circuit and c.circuit not in by_gateway[c.gateway]:
            by_gateway[c.gateway].append(c.circuit)
    for gw in design.gateways:
        circuits = by_gateway.get(gw.name, [])
        found = max_circuit_connections(gw) if circuits else None
        if found and _near(len(circuits), found[0], percent) and found[0] > 1:
            yield Finding(
                "CAP012",
                f"gateway '{gw.name}' ({gw.sku}): {len(circuits)} circuit connections are {_pct(len(circuits), found[0])} "
                f"of the {found[0]} its SKU allows",
                node=gw, field=("sku",),
                hint="Plan a larger SKU (or ErGwScale) before connecting more circuits",
                evidence=[found[1], threshold],
            )
        sku = facts.expressroute_gateway_sku(gw)
        limit = sku.get("routes_learned") if sku else None
        if not limit or not circuits:
            continue
        total = PrefixCount()
        for name in circuits:
            if name in per_circuit:
                total.merge(per_circuit[name])
        learned = total.total(4) + total.total(6)
        if _near(learned, limit, percent):
            yield Finding(
                "CAP012",
                f"gateway '{gw.name}' ({sku['name']}): learns {fmt(learned)} on-premises routes, "
                f"{_pct(learned, limit)} of the {fmt(limit)} the SKU holds",
                node=gw, field=("sku",),
                hint="Summarize on-premises routes, or plan a SKU that learns more",
                evidence=[evidence("gateway_skus", sku.get("source", "LIMITS"), f"{sku['name']} routes learned", limit),
                          threshold],
            )


# --------------------------------------------------------------------------- CAP013

@check("CAP013")
def circuit_nearly_full(design: Design) -> Iterator[Finding]:
    rule = headroom()
    percent = float(rule["circuit_utilisation_percent"])
    totals: dict[tuple[str, str], list] = {}
    for entry in design.traffic.circuits:
        for direction, fieldname in (("egress", "egress_gb_month"), ("ingress", "ingress_gb_month")):
            gb = getattr(entry, fieldname) or 0
            row = totals.setdefault((entry.circuit, direction), [0.0, entry, fieldname])
            row[0] += gb
            if gb:
                row[1] = entry
    for (name, direction), (gb, entry, fieldname) in totals.items():
        circuit = design.circuit(name)
        if circuit is None or not gb or circuit.bandwidth is None:
            continue  # bandwidth known only at deployment (imports)
        capacity = monthly_capacity_gb(circuit.bandwidth)
        if not capacity * percent / 100 <= gb <= capacity:
            continue  # above capacity: CAP010
        yield Finding(
            "CAP013",
            f"circuit '{name}': {_gb(gb)} GB/month {direction} is {gb * 100 / capacity:.0f} % of what a "
            f"{format_bandwidth(circuit.bandwidth)} circuit carries at full rate ({_gb(capacity)} GB/month); "
            "any peak above the average is dropped",
            node=entry, field=(fieldname,),
            hint="Upgrade the circuit bandwidth (it can be raised in place), or move traffic to another circuit",
            evidence=[evidence("network_limits", rule.get("circuit_utilisation_source"), "utilisation that calls for a bigger circuit",
                               f"{percent:g} %", rule.get("circuit_utilisation_confidence", "verified"))],
        )


# --------------------------------------------------------------------------- CAP014

@check("CAP014")
def routes_per_route_table(design: Design) -> Iterator[Finding]:
    rule = table("network_limits")["routes_per_route_table"]
    for rt in design.route_tables:
        if len(rt.routes) > rule["value"]:
            yield Finding(
                "CAP014",
                f"route table '{rt.name}': {fmt(len(rt.routes))} routes; a route table holds at most {fmt(rule['value'])}",
                node=rt, field=("routes",),
                hint="Summarize the routes (one covering prefix per next hop), or split the subnets over two tables",
                evidence=[evidence("network_limits", rule["source"], "user-defined routes per route table", rule["value"])],
            )
