"""Gateways sized and run the way the circuits and peers expect (GW019-GW021).

GW019 gateway throughput below the bandwidth of a circuit it serves
GW020 gateway without customer-controlled maintenance
GW021 ExpressRoute gateway with a retired SKU (Basic)
"""
from __future__ import annotations

from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design, Gateway, format_bandwidth
from ._common import evidence
from .gateway import retired_er_skus, scale_limits


def gateway_throughput_mbps(gw: Gateway) -> Optional[tuple[int, str]]:
    """(Mbps, how it was found) of an ExpressRoute gateway, or None when its SKU or size is unknown."""
    sku = facts.expressroute_gateway_sku(gw)
    if sku is None:
        return None
    if sku["name"] == "ErGwScale":
        if gw.scale_units is None:
            return None
        per_unit = scale_limits()["per_scale_unit"]["throughput_mbps"]
        return gw.scale_units.max * per_unit, f"{gw.scale_units.max} scale units x {format_bandwidth(per_unit)}"
    if sku.get("throughput_mbps") is None:
        return None
    return sku["throughput_mbps"], f"{sku['name']}"


def _sizing_hint(mbps: int) -> str:
    skus = table("gateway_skus")["skus"]
    fits = [f"{name} ({format_bandwidth(s['throughput_mbps'])})" for name, s in skus.items()
            if s.get("family") == "az" and (s.get("throughput_mbps") or 0) >= mbps]
    per_unit = scale_limits()["per_scale_unit"]["throughput_mbps"]
    units = -(-mbps // per_unit)
    options = fits + [f"ErGwScale with {units}+ maximum scale units"]
    return f"Use a gateway sized for the circuit: {', '.join(options)}; or enable FastPath"


@check("GW019")
def gateway_slower_than_circuit(design: Design) -> Iterator[Finding]:
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        circuit = design.circuit(conn.circuit)
        if gw is None or circuit is None or conn.fastpath or circuit.bandwidth is None:
            continue  # with FastPath the data path bypasses the gateway
        found = gateway_throughput_mbps(gw)
        if found is None or found[0] >= circuit.bandwidth:
            continue
        mbps, how = found
        sku = facts.expressroute_gateway_sku(gw)
        yield Finding(
            "GW019",
            f"connection '{conn.name}': gateway '{gw.name}' ({how}) carries about {format_bandwidth(mbps)}, less than "
            f"circuit '{circuit.name}' ({format_bandwidth(circuit.bandwidth)}); the gateway, not the circuit, sets "
            "the throughput to this VNet",
            node=gw, field=("scale_units", "max") if sku["name"] == "ErGwScale" else ("sku",),
            hint=_sizing_hint(circuit.bandwidth),
            evidence=[evidence("gateway_skus", sku.get("source", "LIMITS"), f"{sku['name']} throughput (Mbps)",
                               mbps if sku["name"] != "ErGwScale" else scale_limits()["per_scale_unit"]["throughput_mbps"])],
        )


@check("GW020")
def customer_controlled_maintenance(design: Design) -> Iterator[Finding]:
    for gw in design.gateways:
        if gw.maintenance_configuration:
            continue
        kind = "ExpressRoute" if gw.type == "ExpressRoute" else "VPN"
        state = "is off" if gw.maintenance_configuration is False else "is not declared"
        yield Finding(
            "GW020",
            f"gateway '{gw.name}': customer-controlled maintenance {state}; Azure updates the {kind} gateway when "
            "it chooses, not in your maintenance window",
            node=gw, field=("maintenance_configuration",) if gw.maintenance_configuration is False else ("name",),
            hint="Attach a maintenance configuration (scope: Network gateways) and set maintenance_configuration: true",
            # declared off on purpose is a warning; merely not declared (most imports) stays the page's info
            severity="warning" if gw.maintenance_configuration is False else "",
            evidence=[evidence("gateway_skus", "FAQ26", "customer-controlled gateway maintenance", "available")],
        )


@check("GW021")
def retired_expressroute_sku(design: Design) -> Iterator[Finding]:
    retired = retired_er_skus()
    for gw in design.gateways:
        entry = retired.get(gw.sku.strip().lower()) if gw.type == "ExpressRoute" and gw.sku else None
        if entry is None:
            continue
        yield Finding(
            "GW021",
            f"gateway '{gw.name}': {entry['name']} is a retired ExpressRoute gateway SKU; it can't be created, and "
            f"Azure's ExpressRoute gateway SKUs are {', '.join(facts.known_gateway_skus())}",
            node=gw, field=("sku",),
            hint=f"Use {entry.get('replacement', 'ErGw1AZ')} (zone-redundant) or a larger SKU",
            evidence=[evidence("gateway_skus", entry.get("source"), f"ExpressRoute gateway SKU {entry['name']}", "retired")],
        )
