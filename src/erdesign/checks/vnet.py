"""VNET rules: VNet peering and gateway transit (hub and spoke).

Also the peering look-ups the FP and CAP rules share.
"""
from __future__ import annotations

import ipaddress
from collections import defaultdict
from typing import Iterator

from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design, VNetPeering
from ._common import names, network, vnet_peering_label
from .gateway import gateways_by_vnet

CONNECTED = "connected"


# --------------------------------------------------------------------------- shared look-ups

def peering_index(design: Design) -> dict[tuple[str, str], VNetPeering]:
    """(vnet, remote_vnet) -> the first peering declared for that direction."""
    index: dict[tuple[str, str], VNetPeering] = {}
    for p in design.vnet_peerings:
        index.setdefault((p.vnet, p.remote_vnet), p)
    return index


def spokes_using_gateway(design: Design) -> dict[str, list[str]]:
    """Hub VNet name -> spoke VNet names whose peering to it has use_remote_gateways."""
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for p in design.vnet_peerings:
        if p.use_remote_gateways:
            out[p.remote_vnet][p.vnet] = None
    return {hub: list(spokes) for hub, spokes in out.items()}


def peers_of(design: Design) -> dict[str, set[str]]:
    """VNet name -> names of every VNet peered with it, declared from either side."""
    out: dict[str, set[str]] = defaultdict(set)
    for p in design.vnet_peerings:
        if p.vnet != p.remote_vnet:
            out[p.vnet].add(p.remote_vnet)
            out[p.remote_vnet].add(p.vnet)
    return out


# --------------------------------------------------------------------------- rules

@check("VNET001")
def remote_gateway_unavailable(design: Design) -> Iterator[Finding]:
    gws = gateways_by_vnet(design)
    index = peering_index(design)
    for p in design.vnet_peerings:
        if not p.use_remote_gateways:
            continue
        if not gws.get(p.remote_vnet):
            yield Finding(
                "VNET001",
                f"{vnet_peering_label(p)}: uses remote gateways, but VNet '{p.remote_vnet}' has no gateway",
                node=p, field=("use_remote_gateways",),
                hint="Point the peering at the hub VNet that holds the gateway, or set use_remote_gateways: false",
            )
            continue
        reverse = index.get((p.remote_vnet, p.vnet))
        if reverse is not None and not reverse.allow_gateway_transit:
            yield Finding(
                "VNET001",
                f"{vnet_peering_label(reverse)}: does not allow gateway transit, but its reverse peering '{p.name}' "
                "uses remote gateways",
                node=reverse, field=("allow_gateway_transit",),
                hint=f"Set allow_gateway_transit: true on peering '{reverse.name}'",
            )


@check("VNET002")
def own_gateway_and_remote_gateways(design: Design) -> Iterator[Finding]:
    gws = gateways_by_vnet(design)
    for p in design.vnet_peerings:
        if p.use_remote_gateways and gws.get(p.vnet):
            yield Finding(
                "VNET002",
                f"{vnet_peering_label(p)}: uses remote gateways, but VNet '{p.vnet}' has its own gateway "
                f"{names(g.name for g in gws[p.vnet])}",
                node=p, field=("use_remote_gateways",),
                hint="Set use_remote_gateways: false, or remove the VNet's own gateway",
            )


@check("VNET003")
def several_remote_gateway_peerings(design: Design) -> Iterator[Finding]:
    using: dict[str, list[VNetPeering]] = defaultdict(list)
    for p in design.vnet_peerings:
        if p.use_remote_gateways:
            using[p.vnet].append(p)
    for vnet_name, ps in using.items():
        for extra in ps[1:]:
            yield Finding(
                "VNET003",
                f"{vnet_peering_label(extra)}: VNet '{vnet_name}' already uses remote gateways through peering "
                f"'{ps[0].name}'; only one peering of a VNet can use remote gateways",
                node=extra, field=("use_remote_gateways",),
                hint="Keep use_remote_gateways on one peering only",
            )


def _networks(vnet) -> list[tuple[int, str, ipaddress._BaseNetwork]]:
    out = []
    for i, text in enumerate(vnet.address_space):
        net = network(text)
        if net is not None:
            out.append((i, text, net))
    return out


@check("VNET004")
def overlapping_peered_vnets(design: Design) -> Iterator[Finding]:
    seen: set[frozenset] = set()
    cache: dict[str, list] = {}
    for p in design.vnet_peerings:
        pair = frozenset((p.vnet, p.remote_vnet))
        if len(pair) < 2 or pair in seen:
            continue
        seen.add(pair)
        a, b = design.vnet(p.vnet), design.vnet(p.remote_vnet)
        if a is None or b is None:
            continue
        nets_a = cache.setdefault(a.name, _networks(a))
        nets_b = cache.setdefault(b.name, _networks(b))
        for _, ta, na in nets_a:
            hit = next(((tb, nb) for _, tb, nb in nets_b if na.version == nb.version and na.overlaps(nb)), None)
            if hit:
                yield Finding(
                    "VNET004",
                    f"{vnet_peering_label(p)}: VNet '{a.name}' address space {ta} overlaps VNet '{b.name}' {hit[0]}; "
                    "peered VNets must not overlap",
                    node=p, field=("remote_vnet",),
                    hint="Re-address one of the VNets; overlapping VNets cannot be peered",
                )
                break


@check("VNET005")
def peering_without_reverse(design: Design) -> Iterator[Finding]:
    index = peering_index(design)
    known = {v.name for v in design.vnets}
    for p in design.vnet_peerings:
        if (p.remote_vnet, p.vnet) in index or p.state is not None:
            continue  # a live state speaks for itself: Connected proves the other side exists, others are VNET006
        if p.remote_vnet not in known:
            continue
        yield Finding(
            "VNET005",
            f"{vnet_peering_label(p)}: VNet '{p.remote_vnet}' has no peering back to '{p.vnet}'; "
            "the peering would stay Initiated and carry no traffic",
            node=p, field=("remote_vnet",),
            hint=f"Add the reverse peering from '{p.remote_vnet}' to '{p.vnet}'",
        )


@check("VNET006")
def peering_not_connected(design: Design) -> Iterator[Finding]:
    for p in design.vnet_peerings:
        if p.state is not None and p.state.strip().lower() != CONNECTED:
            yield Finding(
                "VNET006",
                f"{vnet_peering_label(p)}: peering state is {p.state}, not Connected; no traffic flows over it",
                node=p, field=("state",),
                hint="Create or re-sync the peering on the other VNet until both sides show Connected",
            )
