"""VLAN005-VLAN007: a peering's VLAN and the S-tag, followed end to end.

VLAN005 peering without a VLAN ID
VLAN006 router sub-interface VLAN differs from the peering's VLAN
VLAN007 S-tag differs between the circuit, the carrier's virtual circuit, the peering link and the router interface
"""
from __future__ import annotations

from typing import Iterator

from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design
from ._common import ROLES, evidence, interface_of, link_of, peerings, who

_VLAN_PEERINGS = ("AzurePrivatePeering", "MicrosoftPeering", "AzurePublicPeering")


@check("VLAN005")
def peering_without_vlan(design: Design, ctx=None) -> Iterator[Finding]:
    for circuit, peering in peerings(design):
        if peering.type in _VLAN_PEERINGS and peering.vlan_id is None:
            yield Finding(
                "VLAN005",
                f"{who(circuit, peering)}: no vlan_id; every ExpressRoute peering is carried on its own VLAN, and "
                "Azure refuses a peering without one",
                node=peering, field=("type",),
                hint="Agree the VLAN ID with your provider (or pick a free one on your Direct port) and set vlan_id",
                evidence=[evidence("addressing", "PEERINGS", "VLAN ID on a peering", "required")],
            )


@check("VLAN006")
def router_interface_vlan(design: Design, ctx=None) -> Iterator[Finding]:
    for circuit, peering in peerings(design):
        if peering.vlan_id is None:
            continue
        for role in ROLES:
            link = link_of(peering, role)
            iface = interface_of(design, link) if link is not None else None
            if iface is None or iface.vlan_id is None or iface.vlan_id == peering.vlan_id:
                continue
            yield Finding(
                "VLAN006",
                f"router '{link.router}' interface '{iface.name}' ({role} link of {who(circuit, peering)}) is tagged "
                f"VLAN {iface.vlan_id}, but the peering uses VLAN {peering.vlan_id}; the frames never meet",
                node=iface, field=("vlan_id",),
                hint=f"Tag the sub-interface with VLAN {peering.vlan_id} (or change the peering's vlan_id)",
                evidence=[evidence("addressing", "PEERINGS", "VLAN ID, end to end", "the same on both sides")],
            )


def _s_tags(design: Design, circuit):
    """(label, value, node, field) of every S-tag declared along a circuit's path."""
    for provider in design.providers:
        for vc in provider.virtual_circuits:
            if vc.circuit == circuit.name and vc.s_tag is not None:
                yield f"provider '{provider.name}' virtual circuit '{vc.name}'", vc.s_tag, vc, ("s_tag",)
    seen = set()
    for peering in circuit.peerings:
        for role in ROLES:
            link = link_of(peering, role)
            if link is None:
                continue
            if link.s_tag is not None:
                yield f"{who(circuit, peering)} {role}_link", link.s_tag, link, ("s_tag",)
            iface = interface_of(design, link)
            if iface is not None and iface.s_tag is not None and id(iface) not in seen:
                seen.add(id(iface))
                yield f"router '{link.router}' interface '{iface.name}'", iface.s_tag, iface, ("s_tag",)


@check("VLAN007")
def s_tag_consistency(design: Design, ctx=None) -> Iterator[Finding]:
    for circuit in design.circuits:
        if circuit.is_direct:
            continue  # Direct ports: you choose the outer tag per circuit, there is no provider S-tag
        tags = list(_s_tags(design, circuit))
        if circuit.s_tag is not None:
            ref_label, ref_value = f"circuit '{circuit.name}' (Azure's stag)", circuit.s_tag
        elif tags:
            ref_label, ref_value = tags[0][0], tags[0][1]
            tags = tags[1:]
        else:
            continue
        for label, value, node, fld in tags:
            if value != ref_value:
                yield Finding(
                    "VLAN007",
                    f"{label}: S-tag {value} differs from the S-tag {ref_value} of {ref_label}; the outer tag must be "
                    "the same from the MSEE through the carrier to the router",
                    node=node, field=fld,
                    hint=f"Use S-tag {ref_value} (as Azure shows it in the circuit's stag), or correct the other side",
                    evidence=[evidence("addressing", "PEERINGS", "S-tag (outer 802.1ad tag) of a circuit", "one per circuit")],
                )
