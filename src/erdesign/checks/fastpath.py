"""FP rules: ExpressRoute FastPath (connection `fastpath: true`).

FastPath sends on-premises traffic straight to VMs, bypassing the gateway's
data path; what it covers depends on the gateway SKU and on whether the circuit
is ExpressRoute Direct. Where it doesn't apply, traffic silently goes through
the gateway again, so those rules are warnings.
"""
from __future__ import annotations

from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Circuit, Connection, Design, Gateway, VNet, format_bandwidth
from ._common import counted, evidence, names, plural, vnet_peering_label
from .gateway import gateways_by_vnet
from .vnet import peering_index, peers_of, spokes_using_gateway


def _fp() -> dict:
    return table("fastpath")


def _fastpath_connections(design: Design) -> Iterator[tuple[Connection, Gateway, Optional[Circuit], Optional[VNet]]]:
    for conn in design.connections:
        if not conn.fastpath:
            continue
        gw = design.gateway(conn.gateway)
        if gw is None or gw.type != "ExpressRoute":
            continue
        yield conn, gw, design.circuit(conn.circuit), design.vnet(gw.vnet)


def _is_provider(circuit: Optional[Circuit]) -> bool:
    return circuit is not None and not circuit.is_direct


def _feature_evidence(feature: str, text: str):
    f = _fp()["features"][feature]
    return evidence("fastpath", f["source"], f"FastPath {text}", "ExpressRoute Direct only")


@check("FP001")
def fastpath_gateway_sku(design: Design, ctx=None) -> Iterator[Finding]:
    fp = _fp()
    capable = {s.lower() for s in fp["gateway_skus"]}
    min_units = fp["ergwscale_min_units"]
    ev = [evidence("fastpath", fp["gateway_source"], "FastPath gateway SKUs",
                   f"{', '.join(fp['gateway_skus'])}, ErGwScale with {min_units}+ scale units")]
    for conn, gw, _, _ in _fastpath_connections(design):
        sku = facts.expressroute_gateway_sku(gw)
        if sku is None or sku["name"].lower() in capable:
            continue  # unknown SKU: GW002 says so
        if sku["name"] == "ErGwScale":
            if gw.scale_units is None or gw.scale_units.min >= min_units:
                continue  # missing scale units: GW013 says so
            why = (f"ErGwScale gateway '{gw.name}' can run at {gw.scale_units.min} scale units; "
                   f"FastPath needs at least {min_units}")
            hint = f"Set the gateway's scale_units min to {min_units} or more, or disable FastPath"
        else:
            why = f"gateway '{gw.name}' SKU {sku['name']} does not support FastPath"
            hint = f"Use {' or '.join(fp['gateway_skus'])}, or ErGwScale with {min_units}+ scale units"
        yield Finding("FP001", f"connection '{conn.name}': FastPath is enabled but {why}",
                      node=conn, field=("fastpath",), hint=hint, evidence=ev)


@check("FP002")
def fastpath_spokes_on_provider_circuit(design: Design, ctx=None) -> Iterator[Finding]:
    spokes = spokes_using_gateway(design)
    for conn, gw, circuit, _ in _fastpath_connections(design):
        if not _is_provider(circuit) or not spokes.get(gw.vnet):
            continue
        hub_spokes = spokes[gw.vnet]
        yield Finding(
            "FP002",
            f"connection '{conn.name}': FastPath on provider circuit '{circuit.name}' reaches only the hub VNet "
            f"'{gw.vnet}'; traffic to {counted(len(hub_spokes), 'peered spoke VNet')} ({names(hub_spokes)}) still crosses "
            f"gateway '{gw.name}'",
            node=conn, field=("fastpath",),
            hint="Size the gateway for the spoke traffic, or use ExpressRoute Direct for VNet peering over FastPath",
            evidence=[_feature_evidence("vnet_peering", "VNet peering")],
        )


@check("FP003")
def fastpath_udr_on_provider_circuit(design: Design, ctx=None) -> Iterator[Finding]:
    for conn, gw, circuit, hub in _fastpath_connections(design):
        if not _is_provider(circuit) or hub is None or hub.gateway_subnet is None:
            continue
        rt = design.route_table(hub.gateway_subnet.route_table)
        if rt is None or not rt.routes:
            continue
        yield Finding(
            "FP003",
            f"connection '{conn.name}': FastPath on provider circuit '{circuit.name}' does not honour the UDRs of "
            f"route table '{rt.name}' on VNet '{hub.name}' {hub.gateway_subnet.name}; that traffic still crosses "
            f"gateway '{gw.name}'",
            node=conn, field=("fastpath",),
            hint="Use ExpressRoute Direct for UDR over FastPath, or size the gateway for the routed traffic",
            evidence=[_feature_evidence("udr", "UDR on the GatewaySubnet")],
        )


@check("FP004")
def fastpath_global_peering(design: Design, ctx=None) -> Iterator[Finding]:
    spokes = spokes_using_gateway(design)
    feature = _fp()["features"]["vnet_peering"]
    for conn, gw, circuit, hub in _fastpath_connections(design):
        if circuit is None or not circuit.is_direct or hub is None:
            continue  # provider circuits: FP002 already covers every spoke
        hub_region = facts.region_key(hub.region)
        remote = []
        for name in spokes.get(gw.vnet, []):
            spoke = design.vnet(name)
            region = facts.region_key(spoke.region) if spoke else None
            if hub_region and region and region != hub_region:
                remote.append(f"{name} ({spoke.region})")
        if remote:
            yield Finding(
                "FP004",
                f"connection '{conn.name}': FastPath does not cover global VNet peering; "
                f"{plural(len(remote), 'spoke VNet')} {names(remote)} {plural(len(remote), 'is', 'are')} not in the "
                f"hub's region ({hub.region}), so {plural(len(remote), 'its', 'their')} traffic crosses gateway "
                f"'{gw.name}'",
                node=conn, field=("fastpath",),
                hint="Keep FastPath spokes in the hub's region, or give the remote region its own hub and gateway",
                evidence=[evidence("fastpath", feature["source"], "FastPath global VNet peering", "not supported"),
                          evidence("fastpath", _fp()["cross_region"]["source"], "FastPath cross-region connectivity",
                                   "not supported")],
            )


@check("FP005")
def fastpath_private_endpoints(design: Design, ctx=None) -> Iterator[Finding]:
    spokes = spokes_using_gateway(design)
    pe = _fp()["features"]["private_endpoint"]
    pe_regions = {facts.norm(r) for r in pe["regions"]}
    for conn, gw, circuit, hub in _fastpath_connections(design):
        if circuit is None or hub is None:
            continue
        holders = []
        for vnet in [hub] + [design.vnet(n) for n in spokes.get(gw.vnet, [])]:
            if vnet is not None:
                count = sum(s.private_endpoints for s in vnet.subnets)
                if count:
                    holders.append(f"{vnet.name} ({count})")
        if not holders:
            continue
        if not circuit.is_direct:
            why = f"Private Endpoint over FastPath is ExpressRoute Direct only and circuit '{circuit.name}' is a provider circuit"
            ev = _feature_evidence("private_endpoint", "Private Endpoint / Private Link")
        else:
            region = facts.region_key(hub.region)
            port = design.port(circuit.express_route_port)
            if region and facts.norm(region) not in pe_regions:
                why = f"Private Endpoint over FastPath is not offered in region {hub.region}"
                ev = evidence("fastpath", pe.get("regions_source", pe["source"]), "FastPath Private Endpoint regions", ", ".join(pe["regions"]))
            elif port is not None and port.bandwidth not in pe["direct_port_mbps"]:
                speeds = "/".join(format_bandwidth(m) for m in pe["direct_port_mbps"])
                why = f"Private Endpoint over FastPath is offered only on {speeds} ExpressRoute Direct ports"
                ev = evidence("fastpath", pe["source"], "FastPath Private Endpoint port speeds (Mbps)",
                              ", ".join(str(m) for m in pe["direct_port_mbps"]))
            else:
                continue
        yield Finding(
            "FP005",
            f"connection '{conn.name}': private endpoints in {names(holders)} are reached through gateway "
            f"'{gw.name}', not FastPath: {why}",
            node=conn, field=("fastpath",),
            hint="Size the gateway for private-endpoint traffic (or use ExpressRoute Direct and enrol in Private Link over FastPath)",
            evidence=[ev],
        )


@check("FP006")
def fastpath_peered_hubs_gateway_transit(design: Design, ctx=None) -> Iterator[Finding]:
    by_vnet = gateways_by_vnet(design)
    index = peering_index(design)
    peers = peers_of(design)
    circuits_of_vnet: dict[str, set[str]] = {}
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        if gw is not None and gw.type == "ExpressRoute" and conn.circuit:
            circuits_of_vnet.setdefault(gw.vnet, set()).add(conn.circuit)
    source = _fp()["limitations"]["source"]
    reported: set[str] = set()
    for conn, gw, circuit, _ in _fastpath_connections(design):
        if circuit is None:
            continue
        for other in sorted(peers.get(gw.vnet, ())):
            if not any(g.type == "ExpressRoute" for g in by_vnet.get(other, [])):
                continue
            if circuit.name not in circuits_of_vnet.get(other, set()):
                continue
            for p in (index.get((gw.vnet, other)), index.get((other, gw.vnet))):
                if p is None or not p.allow_gateway_transit or p.name in reported:
                    continue
                reported.add(p.name)
                yield Finding(
                    "FP006",
                    f"{vnet_peering_label(p)}: both hubs connect circuit "
                    f"'{circuit.name}' and connection '{conn.name}' uses FastPath; allow_gateway_transit must be "
                    "false on this hub-to-hub peering",
                    node=p, field=("allow_gateway_transit",),
                    hint="Set allow_gateway_transit: false on peerings between hubs that share a circuit",
                    evidence=[evidence("fastpath", source, "FastPath hub-to-hub peering on one circuit",
                                       "Allow Gateway Transit = false")],
                )
