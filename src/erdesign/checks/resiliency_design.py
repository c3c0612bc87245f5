"""Design choices the peers' resiliency reviews ask about (RES024-RES026, RES028, SKU011, SKU012).

RES024 connection from another subscription without an authorization
RES025 the two links of a private peering advertise different prefixes (not active-active)
RES026 two VNets that talk only through an ExpressRoute circuit (VNet-to-VNet over ExpressRoute)
RES028 Basic load balancer (retired)
SKU011 circuit sku.name contradicting its tier or family
SKU012 ExpressRoute Direct circuit without rate limiting
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Connection, Design
from ._common import ROLES, evidence, link_of, names, network, who
from .vnet import peers_of


def connection_subscription(design: Design, conn: Connection) -> Optional[str]:
    """The subscription a connection is created in: its own, else its gateway's, else the gateway VNet's."""
    if conn.subscription:
        return conn.subscription
    gw = design.gateway(conn.gateway)
    if gw is None:
        return None
    if gw.subscription:
        return gw.subscription
    vnet = design.vnet(gw.vnet)
    return vnet.subscription if vnet else None


@check("RES024")
def cross_subscription_without_authorization(design: Design, ctx=None) -> Iterator[Finding]:
    for conn in design.connections:
        circuit = design.circuit(conn.circuit)
        if circuit is None or not circuit.subscription:
            continue
        sub = connection_subscription(design, conn)
        if not sub or facts.norm(sub) == facts.norm(circuit.subscription):
            continue
        redeemed = any(a.used_by == conn.name for a in circuit.authorizations)
        unassigned = any(a.used_by is None for a in circuit.authorizations)
        if conn.authorization or redeemed or unassigned:
            continue  # an authorization whose user isn't stated (live estates) may be this connection's
        yield Finding(
            "RES024",
            f"connection '{conn.name}' (subscription '{sub}') links circuit '{circuit.name}' of subscription "
            f"'{circuit.subscription}' without an authorization; Azure refuses a cross-subscription link without one",
            node=conn, field=("circuit",),
            hint=f"Create an authorization on circuit '{circuit.name}' (authorizations: [{{name: ..., used_by: {conn.name}}}]) "
                 "and give its key to the connection (authorization: <name>)",
            evidence=[evidence("global_reach", "FAQ26", "cross-subscription link", "needs an authorization key")],
        )


def _site_of(design: Design, router_name: Optional[str]):
    return next((s for s in design.sites for r in s.routers if r.name == router_name), None)


@check("RES025")
def links_not_active_active(design: Design, ctx=None) -> Iterator[Finding]:
    for circuit in design.circuits:
        peering = circuit.peering("AzurePrivatePeering")
        if peering is None or peering.advertised_prefixes or peering.advertised_prefix_count is not None:
            continue  # the peering declares one list for both links
        sites = [_site_of(design, link.router) if (link := link_of(peering, role)) is not None else None
                 for role in ROLES]
        if None in sites or sites[0] is sites[1]:
            continue
        lists = [{str(n) for p in s.advertised_prefixes if (n := network(p)) is not None} for s in sites]
        if not lists[0] or not lists[1] or lists[0] == lists[1]:
            continue
        only = sorted(lists[0] ^ lists[1])
        yield Finding(
            "RES025",
            f"{who(circuit, peering)}: sites '{sites[0].name}' (primary link) and '{sites[1].name}' (secondary link) "
            f"advertise different prefixes ({names(only)} over one link only); those prefixes have no second path and "
            "the links are not active-active",
            node=sites[1], field=("advertised_prefixes",),
            hint="Advertise the same prefixes over both links (with equal AS path), so that both carry traffic and "
                 "either can take it all",
            evidence=[evidence("addressing", "ROUTING", "ExpressRoute links", "active-active, both advertised")],
        )


@check("RES026")
def vnet_to_vnet_over_expressroute(design: Design, ctx=None) -> Iterator[Finding]:
    vnets_of_circuit: dict[str, list[str]] = defaultdict(list)
    first_conn: dict[tuple[str, str], Connection] = {}
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        if gw is None or gw.type != "ExpressRoute" or not conn.circuit:
            continue
        if gw.vnet not in vnets_of_circuit[conn.circuit]:
            vnets_of_circuit[conn.circuit].append(gw.vnet)
            first_conn[(conn.circuit, gw.vnet)] = conn
    peers = peers_of(design)
    reported: set[frozenset] = set()
    for circuit_name, vnets in vnets_of_circuit.items():
        for i, a in enumerate(vnets):
            for b in vnets[i + 1:]:
                pair = frozenset((a, b))
                if b in peers.get(a, ()) or pair in reported:
                    continue
                reported.add(pair)
                conn = first_conn[(circuit_name, b)]
                yield Finding(
                    "RES026",
                    f"VNets '{a}' and '{b}' are not peered but both link circuit '{circuit_name}': traffic between "
                    "them hairpins through the peering location (ExpressRoute used for VNet-to-VNet)",
                    node=conn, field=("circuit",),
                    hint="Peer the VNets (or route through a hub firewall, Virtual WAN or Route Server) for VNet-to-VNet traffic",
                    evidence=[evidence("gateway_skus", "GW", "VNet-to-VNet over ExpressRoute", "not recommended")],
                )


@check("RES028")
def basic_load_balancer(design: Design, ctx=None) -> Iterator[Finding]:
    rule = table("retirements")["basic_load_balancer"]
    for vnet in design.vnets:
        for subnet in vnet.subnets:
            if subnet.load_balancer_sku == "Basic":
                yield Finding(
                    "RES028",
                    f"VNet '{vnet.name}' subnet '{subnet.name}': Basic load balancer; Basic Load Balancer was retired "
                    f"on {rule['retired']}",
                    node=subnet, field=("load_balancer_sku",),
                    hint="Upgrade to a Standard load balancer",
                    evidence=[evidence("retirements", rule["source"], "Basic Load Balancer", f"retired {rule['retired']}")],
                )


@check("SKU011")
def sku_name_contradicts(design: Design, ctx=None) -> Iterator[Finding]:
    for circuit in design.circuits:
        name = circuit.sku.name
        if not name:
            continue
        tier, _, family = name.strip().partition("_")
        wrong = []
        if tier.lower() != circuit.sku.tier.lower():
            wrong.append(f"tier {circuit.sku.tier}")
        if family and family.lower() != circuit.sku.family.lower():
            wrong.append(f"family {circuit.sku.family}")
        if not wrong:
            continue
        yield Finding(
            "SKU011",
            f"circuit '{circuit.name}': sku.name {name} contradicts its {' and '.join(wrong)}; Azure rejects a SKU "
            "whose name is not <tier>_<family>",
            node=circuit.sku, field=("name",),
            hint=f"Set sku.name to {circuit.sku.tier}_{circuit.sku.family}, or correct tier/family",
            evidence=[evidence("sku_rules", None, "ExpressRoute circuit sku.name (as ARM and az show it)", "<tier>_<family>",
                               "estimate")],
        )


@check("SKU012")
def direct_circuit_rate_limiting(design: Design, ctx=None) -> Iterator[Finding]:
    for circuit in design.circuits:
        if not circuit.is_direct or circuit.rate_limiting:
            continue
        state = "is off" if circuit.rate_limiting is False else "is not declared"
        yield Finding(
            "SKU012",
            f"circuit '{circuit.name}': rate limiting {state} on this ExpressRoute Direct circuit; one circuit can take "
            "the whole port from the others",
            node=circuit, field=("rate_limiting",) if circuit.rate_limiting is False else ("express_route_port",),
            hint="Enable rate limiting on the circuit (and set rate_limiting: true)",
            severity="warning" if circuit.rate_limiting is False else "",
            evidence=[evidence("direct_oversubscription", "DIRECT", "rate limiting on ExpressRoute Direct circuits",
                               "per circuit")],
        )
