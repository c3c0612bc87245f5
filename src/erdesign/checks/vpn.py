"""VPN001-VPN003: the VPN gateway that coexists with (or backs up) ExpressRoute.

VPN001 VPN gateway SKU without availability zones (VpnGw1-5 non-AZ retired; legacy Standard/HighPerformance)
VPN002 VPN gateway not active-active
VPN003 VPN gateway public IP not zone-redundant
"""
from __future__ import annotations

from typing import Iterator

from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design
from ._common import evidence


def _vpn_gateways(design: Design):
    return (g for g in design.gateways if g.type == "Vpn" and g.sku)  # a SKU the input leaves out: IMP011


@check("VPN001")
def vpn_sku_not_zone_redundant(design: Design) -> Iterator[Finding]:
    skus = table("gateway_skus")["vpn_skus"]
    retired = skus["retired_non_az"]
    by_lower = {s.lower(): s for s in retired["skus"]}
    legacy = {s.lower() for s in skus.get("legacy", [])}
    for gw in _vpn_gateways(design):
        key = gw.sku.strip().lower()
        if key in by_lower:
            name = by_lower[key]
            replacement = retired["replacement"].get(name)
            yield Finding(
                "VPN001",
                f"gateway '{gw.name}': VPN SKU {name} (not zone-redundant) can't be created since "
                f"{retired['no_new_since']} and is deprecated from {retired['deprecated']}",
                node=gw, field=("sku",),
                hint=f"Use {replacement} (same size, zone-redundant)",
                evidence=[evidence("gateway_skus", retired["source"], f"VPN SKU {name}",
                                   f"no new since {retired['no_new_since']}, deprecated {retired['deprecated']}")],
            )
        elif key in legacy:
            yield Finding(
                "VPN001",
                f"gateway '{gw.name}': {gw.sku} is a legacy VPN gateway SKU without availability zones",
                node=gw, field=("sku",),
                hint="Use a VpnGw<N>AZ SKU",
                evidence=[evidence("gateway_skus", skus["coexistence_source"], "legacy VPN SKUs",
                                   ", ".join(skus["legacy"]))],
            )


@check("VPN002")
def vpn_not_active_active(design: Design) -> Iterator[Finding]:
    for gw in _vpn_gateways(design):
        if gw.active_active or gw.sku.strip().lower() == "basic":
            continue  # Basic can't be active-active: GW016 / GW002 say what to use instead
        state = "is off" if gw.active_active is False else "is not declared"
        yield Finding(
            "VPN002",
            f"gateway '{gw.name}': active-active {state}; in active-standby a failover or planned maintenance drops "
            "the tunnels until the standby instance has taken over",
            node=gw, field=("active_active",) if gw.active_active is False else ("sku",),
            hint="Set active_active: true (two public IPs, two tunnels per on-premises device)",
            evidence=[evidence("gateway_skus", "VPNSKU", "active-active VPN gateways", "recommended")],
        )


@check("VPN003")
def vpn_public_ip_not_zone_redundant(design: Design) -> Iterator[Finding]:
    zone_redundant = {s.lower() for s in table("gateway_skus")["vpn_skus"]["zone_redundant"]}
    for gw in _vpn_gateways(design):
        pip = design.public_ip(gw.public_ip) if gw.public_ip else None
        if pip is None or gw.sku.strip().lower() not in zone_redundant or pip.sku != "Standard":
            continue
        if {"1", "2", "3"} <= set(pip.zones):
            continue
        zones = f"zones {', '.join(pip.zones)}" if pip.zones else "no zones"
        yield Finding(
            "VPN003",
            f"gateway '{gw.name}' ({gw.sku}) public IP '{pip.name}' has {zones}; the zone-redundant VPN gateway "
            "doesn't survive a zone outage on it",
            node=pip, field=("zones",),
            hint="Give the VPN gateway Standard public IPs with zones [1, 2, 3]",
            evidence=[evidence("gateway_skus", "VPNSKU", "AZ VPN SKUs with public IPs", "zone-redundant")],
        )
