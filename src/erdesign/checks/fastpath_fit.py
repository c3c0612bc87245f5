"""FastPath where it helps and where it silently doesn't (FP007-FP009).

FP007 Basic load balancer behind a FastPath connection
FP008 IPv6 over FastPath on a provider circuit (Direct only)
FP009 FastPath off although the gateway and circuit allow it (suggestion)
"""
from __future__ import annotations

from typing import Iterator

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design
from ._common import evidence, names, network
from .vnet import spokes_using_gateway


def _fastpath_sku_ok(gw) -> bool:
    fp = table("fastpath")
    sku = facts.expressroute_gateway_sku(gw)
    if sku is None:
        return False
    if sku["name"] == "ErGwScale":
        return gw.scale_units is not None and gw.scale_units.min >= fp["ergwscale_min_units"]
    return sku["name"] in fp["gateway_skus"]


@check("FP007")
def basic_load_balancer_behind_fastpath(design: Design, ctx=None) -> Iterator[Finding]:
    rule = table("retirements")["basic_load_balancer_fastpath"]
    spokes = spokes_using_gateway(design)
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        if not conn.fastpath or gw is None:
            continue
        vnets = [gw.vnet] + spokes.get(gw.vnet, [])
        holders = [f"{v.name}/{s.name}" for v in (design.vnet(n) for n in vnets) if v is not None
                   for s in v.subnets if s.load_balancer_sku == "Basic"]
        if holders:
            yield Finding(
                "FP007",
                f"connection '{conn.name}': Basic load balancers in {names(holders)} are reached through gateway "
                f"'{gw.name}', not FastPath",
                node=conn, field=("fastpath",),
                hint="Move to a Standard load balancer (Basic is retired); FastPath then reaches its front ends",
                evidence=[evidence("retirements", rule["source"], "Basic load balancer over FastPath", "via the gateway")],
            )


@check("FP008")
def ipv6_fastpath_on_provider_circuit(design: Design, ctx=None) -> Iterator[Finding]:
    ipv6 = table("fastpath")["ipv6"]
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        circuit = design.circuit(conn.circuit)
        if not conn.fastpath or gw is None or circuit is None:
            continue
        peering = circuit.peering("AzurePrivatePeering")
        vnet = design.vnet(gw.vnet)
        has_v6 = (peering is not None and peering.ipv6 is not None) or (
            vnet is not None and any((n := network(p)) is not None and n.version == 6 for p in vnet.address_space))
        if not has_v6:
            continue
        location = circuit.peering_location or ""
        dubai = facts.norm(location) in {facts.norm(x) for x in ipv6.get("unsupported_peering_locations", [])}
        if circuit.is_direct and not dubai:
            continue
        why = (f"circuit '{circuit.name}' is a provider circuit and IPv6 over FastPath is ExpressRoute Direct only"
               if not circuit.is_direct else f"IPv6 over FastPath isn't offered at {location}")
        yield Finding(
            "FP008",
            f"connection '{conn.name}': IPv6 traffic goes through gateway '{gw.name}', not FastPath: {why}",
            node=conn, field=("fastpath",),
            hint="Size the gateway for the IPv6 traffic, or use ExpressRoute Direct for IPv6 FastPath",
            evidence=[evidence("fastpath", ipv6.get("supported_circuit_types_source", ipv6["source"]),
                               "IPv6 over FastPath", "ExpressRoute Direct only")],
        )


@check("FP009")
def fastpath_could_be_enabled(design: Design, ctx=None) -> Iterator[Finding]:
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        if conn.fastpath or gw is None or conn.circuit is None or conn.type != "ExpressRoute":
            continue
        if conn.ipsec_over_expressroute or not _fastpath_sku_ok(gw):
            continue
        yield Finding(
            "FP009",
            f"connection '{conn.name}': gateway '{gw.name}' ({gw.sku}) supports FastPath but the connection doesn't "
            "use it; every packet to the VNet crosses the gateway",
            node=conn, field=("fastpath",),
            hint="Enable FastPath on the connection (check the FastPath limitations for peered spokes and UDRs first)",
            evidence=[evidence("fastpath", table("fastpath")["gateway_source"], "gateway SKUs with FastPath",
                               ", ".join(table("fastpath")["gateway_skus"])
                               + f", ErGwScale {table('fastpath')['ergwscale_min_units']}+ units")],
        )
