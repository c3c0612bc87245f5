"""GW rules: ExpressRoute/VPN virtual network gateways, their public IPs,
the GatewaySubnet, gateway connections and ErGwScale scale units.

Also home of the gateway look-ups the FP, CAP and VNET rules share.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Evidence, Finding
from ..engine.registry import check
from ..errors import closest
from ..model import Design, Gateway, VNet
from ._common import evidence, names, network

GATEWAY_SUBNET = "GatewaySubnet"


# --------------------------------------------------------------------------- helpers

def gateways_by_vnet(design: Design) -> dict[str, list[Gateway]]:
    out: dict[str, list[Gateway]] = defaultdict(list)
    for gw in design.gateways:
        out[gw.vnet].append(gw)
    return out


def er_gateway_in(gws: list[Gateway]) -> Optional[Gateway]:
    return next((g for g in gws if g.type == "ExpressRoute"), None)


def retired_er_skus() -> dict[str, dict]:
    """ExpressRoute gateway SKU names no longer offered (lowercased name -> entry with 'name')."""
    return {name.lower(): {"name": name, **info} for name, info in (table("gateway_skus").get("retired_skus") or {}).items()}


def scale_limits() -> dict:
    """The ErGwScale entry of gateway_skus.yaml."""
    return table("gateway_skus")["skus"]["ErGwScale"]


def _sku_evidence(sku: dict, label: str, key: str) -> Evidence:
    return evidence("gateway_skus", sku.get("source", "LIMITS"), f"{sku['name']} {label}", sku.get(key))


def _ipv4_prefix(subnet):
    for text in subnet.all_prefixes():
        net = network(text)
        if net is not None and net.version == 4:
            return text, net
    return None, None


# --------------------------------------------------------------------------- SKUs

@check("GW001")
def legacy_gateway_sku(design: Design, ctx=None) -> Iterator[Finding]:
    for gw in design.gateways:
        sku = facts.expressroute_gateway_sku(gw)
        if not sku or sku.get("family") != "legacy":
            continue
        equivalent = sku.get("az_equivalent")
        msg = f"gateway '{gw.name}': SKU {sku['name']} is a legacy non-zone-redundant SKU"
        if equivalent:
            msg += f"; {equivalent} is its zone-redundant equivalent"
        pre = table("gateway_skus")["sku_changes"]["migration_preconditions"]
        hint = f"Migrate the gateway to {equivalent or 'an AZ SKU'} (or ErGwScale) with the ExpressRoute gateway migration tool"
        vnet = design.vnet(gw.vnet)
        subnet = vnet.gateway_subnet if vnet else None
        _, net = _ipv4_prefix(subnet) if subnet else (None, None)
        if net is not None and net.prefixlen > pre["gateway_subnet_min_prefix_length"]:
            hint += (f"; the migration needs a GatewaySubnet of /{pre['gateway_subnet_min_prefix_length']} or larger, "
                     f"and {subnet.prefix} is a /{net.prefixlen}")
        yield Finding(
            "GW001", msg, node=gw, field=("sku",),
            hint=hint,
            evidence=[
                _sku_evidence(sku, "zone-redundant", "zone_redundant"),
                _sku_evidence(sku, "zone-redundant equivalent", "az_equivalent"),
                evidence("gateway_skus", pre["source"], "migration preconditions",
                         f"GatewaySubnet /{pre['gateway_subnet_min_prefix_length']} or larger; no "
                         f"{pre['blockers'][0]}; commit within {pre['commit_within_days']} days; {pre['downtime']} of downtime"),
            ],
        )


def _vpn_sku_names() -> list[str]:
    vpn = table("gateway_skus")["vpn_skus"]
    legacy = table("gateway_extras")["vpn_legacy_skus"]["skus"]
    return list(dict.fromkeys(vpn["generation1"] + vpn["generation2"] + legacy))


# Checks that need an ExpressRoute gateway's SKU and are skipped for an unknown one (GW002 names them).
SKU_DEPENDENT_RULES = {
    "CAP005": "circuit connections", "CAP007": "routes learned", "FP001": "FastPath support",
    "GW001": "legacy SKU", "GW004": "zone-redundant public IP",
}


@check("GW002")
def unknown_gateway_sku(design: Design, ctx=None) -> Iterator[Finding]:
    er_names = facts.known_gateway_skus()
    vpn_names = _vpn_sku_names()
    vpn_lower = {n.lower(): n for n in vpn_names}
    # names shared by both gateway types (Basic, Standard, HighPerformance) don't prove a VPN SKU
    vpn_only = set(vpn_lower) - {n.lower() for n in table("gateway_extras")["vpn_legacy_skus"]["skus"]}
    er_as_of = table("gateway_skus").get("as_of")
    for gw in design.gateways:
        if gw.sku is None:
            continue  # not given by the input (IMP011): nothing to compare
        if gw.type == "ExpressRoute":
            if facts.gateway_sku(gw.sku) or gw.sku.strip().lower() in retired_er_skus():
                continue  # a retired SKU is GW021's
            if gw.sku.strip().lower() in vpn_only:
                msg = (f"gateway '{gw.name}': SKU {gw.sku} is a VPN gateway SKU, not an ExpressRoute gateway SKU "
                       f"({', '.join(er_names)})")
            else:
                guess = closest(gw.sku, er_names)
                msg = (f"gateway '{gw.name}': SKU '{gw.sku}' is not a known ExpressRoute gateway SKU"
                       + (f" (closest: {guess})" if guess else f" (known: {', '.join(er_names)})"))
            msg += "; checks that need its SKU are skipped for this gateway: " + ", ".join(
                f"{rid} ({what})" for rid, what in SKU_DEPENDENT_RULES.items())
            ev = [evidence("gateway_skus", "GW", "known ExpressRoute gateway SKUs", ", ".join(er_names))]
        else:
            if gw.sku.strip().lower() in vpn_lower:
                continue
            guess = closest(gw.sku, vpn_names)
            msg = (f"gateway '{gw.name}': SKU '{gw.sku}' is not a known VPN gateway SKU"
                   + (f" (closest: {guess})" if guess else ""))
            ev = [evidence("gateway_skus", "VPNSKUTABLE", "known VPN gateway SKUs", ", ".join(vpn_names))]
        yield Finding(
            "GW002", msg, node=gw, field=("sku",),
            hint=f"Check the SKU name; if it is a new Azure SKU, erdesign's table (as of {er_as_of}) does not know it yet",
            evidence=ev,
        )


# --------------------------------------------------------------------------- public IPs

@check("GW003")
def basic_or_dynamic_public_ip(design: Design, ctx=None) -> Iterator[Finding]:
    retired = table("gateway_skus")["basic_public_ip_retired"]
    extras = table("gateway_extras")["standard_public_ip"]
    seen: set[str] = set()
    for gw in design.gateways:
        pip = design.public_ip(gw.public_ip)
        if pip is None or pip.name in seen:
            continue
        seen.add(pip.name)
        ev = [evidence("gateway_skus", retired["source"], "Basic SKU public IP retirement", str(retired["date"]))]
        if pip.sku == "Basic":
            yield Finding(
                "GW003",
                f"gateway '{gw.name}' public IP '{pip.name}': Basic SKU public IPs were retired on {retired['date']}",
                node=pip, field=("sku",),
                hint="Use a Standard SKU, static, zone-redundant public IP (gateway migration moves it for you)",
                evidence=ev,
            )
        elif pip.allocation != extras["allocation"]:
            yield Finding(
                "GW003",
                f"gateway '{gw.name}' public IP '{pip.name}': {pip.allocation} allocation exists only on Basic SKU "
                f"public IPs, retired on {retired['date']}; Standard public IPs are {extras['allocation']}",
                node=pip, field=("allocation",),
                hint=f"Set allocation: {extras['allocation']} with sku: Standard",
                evidence=ev + [evidence("gateway_extras", extras["source"], "Standard public IP allocation",
                                        extras["allocation"])],
            )


@check("GW004")
def zone_redundant_gateway_pip(design: Design, ctx=None) -> Iterator[Finding]:
    zr = table("gateway_extras")["zone_redundant_public_ip"]
    wanted = [str(z) for z in zr["zones"]]
    for gw in design.gateways:
        sku = facts.expressroute_gateway_sku(gw)
        pip = design.public_ip(gw.public_ip)
        if not sku or not sku.get("zone_redundant") or pip is None or pip.sku == "Basic":
            continue  # Basic: GW003 already says to replace it
        zones = sorted(set(pip.zones))
        if set(wanted) <= set(zones):
            continue
        what = "no zones (non-zonal)" if not zones else f"zones {', '.join(zones)} only"
        yield Finding(
            "GW004",
            f"gateway '{gw.name}' ({sku['name']}) public IP '{pip.name}' has {what}; "
            f"the zone-redundant gateway's public IP should span zones {', '.join(wanted)}",
            node=pip, field=("zones",),
            hint=f"Create a Standard public IP with zones: [{', '.join(wanted)}] for the gateway",
            evidence=[evidence("gateway_extras", zr["source"], "zone-redundant public IP zones", ", ".join(wanted))],
        )


# --------------------------------------------------------------------------- GatewaySubnet

def _gateway_vnets(design: Design) -> list[tuple[VNet, list[Gateway]]]:
    by_vnet = gateways_by_vnet(design)
    return [(v, by_vnet[v.name]) for v in design.vnets if v.name in by_vnet]


@check("GW005")
def missing_gateway_subnet(design: Design, ctx=None) -> Iterator[Finding]:
    src = table("gateway_skus")["gateway_subnet"]
    for vnet, gws in _gateway_vnets(design):
        if vnet.subnet(GATEWAY_SUBNET) is not None:
            continue
        near = vnet.gateway_subnet
        gw_names = names(g.name for g in gws)
        ev = [evidence("gateway_skus", src["source"], "required gateway subnet name", src["name"])]
        if near is not None:
            yield Finding(
                "GW005",
                f"VNet '{vnet.name}' subnet '{near.name}': the gateway subnet must be named exactly "
                f"{GATEWAY_SUBNET} (gateway {gw_names})",
                node=near, field=("name",), hint=f"Rename the subnet to {GATEWAY_SUBNET}",
                evidence=ev,
            )
        else:
            yield Finding(
                "GW005",
                f"VNet '{vnet.name}' has no subnet named {GATEWAY_SUBNET}, which gateway {gw_names} needs",
                node=vnet, field=("subnets",),
                hint=f"Add a subnet named {GATEWAY_SUBNET} (/{src['min_prefix_length_recommended']} or larger)",
                evidence=ev,
            )


@check("GW006")
def gateway_subnet_too_small(design: Design, ctx=None) -> Iterator[Finding]:
    src = table("gateway_skus")["gateway_subnet"]
    big = table("gateway_extras")["gateway_subnet_for_max_circuits"]
    conns_by_gw: dict[str, int] = defaultdict(int)
    for c in design.connections:
        if c.circuit:
            conns_by_gw[c.gateway] += 1
    for vnet, gws in _gateway_vnets(design):
        subnet = vnet.gateway_subnet
        er = er_gateway_in(gws)
        if subnet is None or er is None:
            continue  # a VPN-only GatewaySubnet may be as small as /29 (VPN FAQ)
        text, net = _ipv4_prefix(subnet)
        if net is None:
            continue
        circuits = conns_by_gw.get(er.name, 0)
        if circuits >= big["circuits"]:
            need = big["min_prefix_length"]
            reason = f" (gateway '{er.name}' connects {circuits} circuits)"
            ev = evidence("gateway_extras", big["source"], f"GatewaySubnet size for {big['circuits']} circuits", f"/{need}")
        else:
            need, reason = src["min_prefix_length_recommended"], ""
            ev = evidence("gateway_skus", src["source"], "GatewaySubnet minimum size", f"/{need}")
        if net.prefixlen <= need:
            continue
        yield Finding(
            "GW006",
            f"VNet '{vnet.name}' {subnet.name} {text} is smaller than /{need}{reason}",
            node=subnet, field=("prefix",) if subnet.prefix else ("prefixes",),
            hint=f"Recreate the {GATEWAY_SUBNET} as /{need} or larger (the gateway must be deleted first)",
            evidence=[ev],
        )


def _gateway_subnets(design: Design):
    for vnet in design.vnets:
        subnet = vnet.gateway_subnet
        if subnet is not None:
            yield vnet, subnet


def _gateway_subnet_route_tables(design: Design):
    """(vnet, gateway subnet, its route table) for every gateway subnet with a known route table."""
    for vnet, subnet in _gateway_subnets(design):
        rt = design.route_table(subnet.route_table)
        if rt is not None:
            yield vnet, subnet, rt


def _unsupported_on_gateway_subnet(what: str) -> Evidence:
    src = table("gateway_skus")["gateway_subnet"]
    return evidence("gateway_skus", src["source"], "unsupported on GatewaySubnet", what)


@check("GW007")
def nsg_on_gateway_subnet(design: Design, ctx=None) -> Iterator[Finding]:
    for vnet, subnet in _gateway_subnets(design):
        if subnet.nsg:
            yield Finding(
                "GW007",
                f"VNet '{vnet.name}' {subnet.name}: NSG '{subnet.nsg}' is associated; NSGs on the gateway subnet are not supported",
                node=subnet, field=("nsg",),
                evidence=[_unsupported_on_gateway_subnet("NSG")],
            )


@check("GW008")
def default_route_on_gateway_subnet(design: Design, ctx=None) -> Iterator[Finding]:
    for vnet, subnet, rt in _gateway_subnet_route_tables(design):
        for route in rt.routes:
            net = network(route.prefix)
            if net is not None and net.version == 4 and net.prefixlen == 0:
                yield Finding(
                    "GW008",
                    f"VNet '{vnet.name}' {subnet.name} route table '{rt.name}' route '{route.name}': a 0.0.0.0/0 "
                    "route on the gateway subnet is not supported",
                    node=route, field=("prefix",),
                    evidence=[_unsupported_on_gateway_subnet("UDR with 0.0.0.0/0")],
                )


@check("GW009")
def gateway_subnet_propagation_disabled(design: Design, ctx=None) -> Iterator[Finding]:
    for vnet, subnet, rt in _gateway_subnet_route_tables(design):
        if not rt.bgp_route_propagation:
            yield Finding(
                "GW009",
                f"VNet '{vnet.name}' {subnet.name} route table '{rt.name}': BGP route propagation is disabled; "
                "the gateway won't function",
                node=rt, field=("bgp_route_propagation",),
                hint="Set bgp_route_propagation: true on the GatewaySubnet's route table",
                evidence=[_unsupported_on_gateway_subnet("BGP route propagation disabled")],
            )


@check("GW010")
def gateway_subnet_blackhole_route(design: Design, ctx=None) -> Iterator[Finding]:
    for vnet, subnet, rt in _gateway_subnet_route_tables(design):
        text, gsn = _ipv4_prefix(subnet)
        if gsn is None:
            continue
        for route in rt.routes:
            net = network(route.prefix)
            if (route.next_hop_type == "None" and net is not None and net.version == 4 and net.prefixlen > 0
                    and gsn.subnet_of(net)):
                yield Finding(
                    "GW010",
                    f"VNet '{vnet.name}' {subnet.name} route table '{rt.name}' route '{route.name}': {route.prefix} "
                    f"with next hop None covers the gateway subnet {text}; gateways with this route are blocked",
                    node=route, field=("next_hop_type",),
                    evidence=[_unsupported_on_gateway_subnet("UDR covering the GatewaySubnet range with next hop None")],
                )


# --------------------------------------------------------------------------- gateways per VNet, coexistence

@check("GW011")
def multiple_gateways_per_vnet(design: Design, ctx=None) -> Iterator[Finding]:
    limits = table("network_limits")["gateways_per_vnet"]
    for vnet_name, gws in gateways_by_vnet(design).items():
        for gw_type in ("ExpressRoute", "Vpn"):
            same = [g for g in gws if g.type == gw_type]
            limit = limits.get(gw_type)
            if limit is None or len(same) <= limit:
                continue
            label = "ExpressRoute" if gw_type == "ExpressRoute" else "VPN"
            for extra in same[limit:]:
                yield Finding(
                    "GW011",
                    f"gateway '{extra.name}': VNet '{vnet_name}' already has {label} gateway "
                    f"{names(g.name for g in same[:limit])}; a VNet can have {limit} {label} gateway",
                    node=extra, field=("vnet",),
                    hint="Put each extra gateway in its own VNet, or connect its circuits to the existing gateway",
                    evidence=[evidence("network_limits", limits["source"], f"{label} gateways per VNet", limit)],
                )


@check("GW015")
def ipsec_over_er_with_scale_gateway(design: Design, ctx=None) -> Iterator[Finding]:
    by_vnet = gateways_by_vnet(design)
    scale = scale_limits()
    for conn in design.connections:
        if not conn.ipsec_over_expressroute:
            continue
        gw = design.gateway(conn.gateway)
        if gw is None:
            continue
        er = gw if gw.type == "ExpressRoute" else er_gateway_in(by_vnet.get(gw.vnet, []))
        sku = facts.expressroute_gateway_sku(er) if er else None
        if sku and sku["name"] == "ErGwScale":
            yield Finding(
                "GW015",
                f"connection '{conn.name}': IPsec over ExpressRoute is not supported with the ErGwScale gateway "
                f"'{er.name}' in VNet '{er.vnet}'",
                node=conn, field=("ipsec_over_expressroute",),
                hint="Use ErGw1AZ/ErGw2AZ/ErGw3AZ for the ExpressRoute gateway, or drop IPsec over ExpressRoute",
                evidence=[evidence("gateway_skus", scale["source"], "ErGwScale supports IPsec over ExpressRoute",
                                   scale["ipsec_over_expressroute"])],
            )


@check("GW016")
def coexisting_vpn_gateway(design: Design, ctx=None) -> Iterator[Finding]:
    coex = table("gateway_skus")["vpn_coexistence"]
    not_capable = {s.lower() for s in table("gateway_skus")["vpn_skus"]["not_coexistence_capable"]}
    for vnet_name, gws in gateways_by_vnet(design).items():
        er = er_gateway_in(gws)
        if er is None:
            continue
        for vpn in (g for g in gws if g.type == "Vpn"):
            if coex["route_based_only"] and vpn.vpn_type == "PolicyBased":
                yield Finding(
                    "GW016",
                    f"gateway '{vpn.name}': a policy-based VPN gateway cannot coexist with ExpressRoute gateway "
                    f"'{er.name}' in VNet '{vnet_name}'; it must be route-based",
                    node=vpn, field=("vpn_type",), hint="Use vpn_type: RouteBased",
                    evidence=[evidence("gateway_skus", coex["source"], "coexistence VPN type", "RouteBased only")],
                )
            if vpn.sku and vpn.sku.strip().lower() in not_capable:
                yield Finding(
                    "GW016",
                    f"gateway '{vpn.name}': VPN SKU {vpn.sku} cannot coexist with ExpressRoute gateway "
                    f"'{er.name}' in VNet '{vnet_name}'",
                    node=vpn, field=("sku",),
                    hint="Use a route-based VpnGw SKU (preferably an AZ one); Basic cannot coexist",
                    evidence=[evidence("gateway_skus", coex["source"], "coexistence with Basic VPN SKU",
                                       "not supported")],
                )


# --------------------------------------------------------------------------- ErGwScale

@check("GW012")
def scale_unit_bounds(design: Design, ctx=None) -> Iterator[Finding]:
    scale = scale_limits()
    lo, hi = scale["scale_units"]["min"], scale["scale_units"]["max"]
    auto_min = scale["autoscale_min_units"]
    for gw in design.gateways:
        sku = facts.expressroute_gateway_sku(gw)
        su = gw.scale_units
        if not sku or sku["name"] != "ErGwScale" or su is None:
            continue
        ev = evidence("gateway_skus", scale["source"], "ErGwScale scale units", f"{lo}-{hi}")
        if su.min < lo:
            yield Finding("GW012", f"gateway '{gw.name}': scale_units min {su.min} is below {lo}",
                          node=su, field=("min",), evidence=[ev])
        if su.max > hi:
            yield Finding("GW012", f"gateway '{gw.name}': scale_units max {su.max} is above the ErGwScale maximum of {hi}",
                          node=su, field=("max",), hint=f"Set max to {hi} or less", evidence=[ev])
        if su.min != su.max and su.min < auto_min:
            yield Finding(
                "GW012",
                f"gateway '{gw.name}': autoscaling ({su.min}-{su.max} scale units) needs min {auto_min} or more",
                node=su, field=("min",),
                hint=f"Set min to {auto_min} or more, or min = max for a fixed-size gateway",
                evidence=[evidence("gateway_skus", scale["source"], "ErGwScale autoscaling minimum", auto_min)],
            )


@check("GW013")
def scale_units_missing(design: Design, ctx=None) -> Iterator[Finding]:
    scale = scale_limits()
    for gw in design.gateways:
        sku = facts.expressroute_gateway_sku(gw)
        if sku and sku["name"] == "ErGwScale" and gw.scale_units is None:
            yield Finding(
                "GW013",
                f"gateway '{gw.name}': ErGwScale without scale_units; its capacity (bandwidth, circuit "
                "connections, FastPath) cannot be checked",
                node=gw, field=("sku",),
                hint=(f"Add scale_units: {{min: N, max: M}} ({scale['scale_units']['min']}-{scale['scale_units']['max']}; "
                      "min = max for a fixed size)"),
                evidence=[evidence("gateway_skus", scale["source"], "ErGwScale scale units",
                                   f"{scale['scale_units']['min']}-{scale['scale_units']['max']}")],
            )


@check("GW014")
def scale_gateway_region(design: Design, ctx=None) -> Iterator[Finding]:
    scale = scale_limits()
    unavailable = {facts.norm(r) for r in scale["unavailable_regions"]}
    for gw in design.gateways:
        sku = facts.expressroute_gateway_sku(gw)
        if not sku or sku["name"] != "ErGwScale":
            continue
        region = design.gateway_region(gw)
        if not region:
            continue
        known = facts.region(region)
        key = facts.norm(known["name"] if known else region)
        if key not in unavailable:
            continue
        shown = known.get("display_name", known["name"]) if known else region
        node, field = (gw, ("region",)) if gw.region else (design.vnet(gw.vnet), ("region",))
        yield Finding(
            "GW014",
            f"gateway '{gw.name}': ErGwScale is not available in {shown} "
            f"(as of {scale['unavailable_regions_as_of']})",
            node=node, field=field,
            hint="Use ErGw1AZ/ErGw2AZ/ErGw3AZ in this region, or check current availability",
            evidence=[evidence("gateway_skus", scale["source"], "regions without ErGwScale",
                               ", ".join(scale["unavailable_regions"]))],
        )


# --------------------------------------------------------------------------- connections

@check("GW017")
def routing_weight_range(design: Design, ctx=None) -> Iterator[Finding]:
    rw = table("gateway_skus")["routing_weight"]
    for conn in design.connections:
        if not rw["min"] <= conn.routing_weight <= rw["max"]:
            yield Finding(
                "GW017",
                f"connection '{conn.name}': routing_weight {conn.routing_weight} is outside {rw['min']}-{rw['max']}",
                node=conn, field=("routing_weight",),
                evidence=[evidence("gateway_skus", rw["source"], "connection routing weight range",
                                   f"{rw['min']}-{rw['max']}")],
            )


@check("GW018")
def connection_gateway_type(design: Design, ctx=None) -> Iterator[Finding]:
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        if gw is None:
            continue
        if gw.type == "Vpn" and (conn.circuit or conn.type == "ExpressRoute"):
            what = f"links circuit '{conn.circuit}'" if conn.circuit else "is of type ExpressRoute"
            yield Finding(
                "GW018",
                f"connection '{conn.name}' {what} but gateway '{gw.name}' is a VPN gateway; "
                "circuits connect to ExpressRoute gateways",
                node=conn, field=("gateway",),
                hint="Point the connection at the VNet's ExpressRoute gateway",
            )
        elif gw.type == "ExpressRoute" and conn.type != "ExpressRoute":
            yield Finding(
                "GW018",
                f"connection '{conn.name}' is of type {conn.type} but gateway '{gw.name}' is an ExpressRoute "
                "gateway; IPsec and VNet-to-VNet connections need a VPN gateway",
                node=conn, field=("type",),
                hint="Use type: ExpressRoute, or attach the connection to a VPN gateway",
            )
