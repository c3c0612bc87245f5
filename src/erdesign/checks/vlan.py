"""VLAN: tag range, unique VLAN per peering in a circuit, on an ExpressRoute Direct
Dot1Q port pair, and on an on-prem router's physical interface and S-tag.

Rules and the (estimated) range come from rules/data/addressing.yaml ``vlan``.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..data import table
from ..engine.finding import Evidence, Finding
from ..engine.registry import check
from ..model import Design, Node
from ._common import ROLES, evidence, interface_of, link_of, peerings, who


def _vlan() -> dict:
    return table("addressing")["vlan"]


def _range_evidence() -> Evidence:
    v = _vlan()
    return evidence("addressing", v["source"], f"usable VLAN IDs ({v['derivation'].rstrip('.')})", f"{v['min']}–{v['max']}",
                    confidence=v.get("confidence", "verified"))


def _tags(design: Design) -> Iterator[tuple[str, str, int, Node, tuple]]:
    """(owner text, what, tag, node, field) for every VLAN tag written in the design."""
    for circuit, peering in peerings(design):
        if peering.vlan_id is not None:
            yield who(circuit, peering), "VLAN ID", peering.vlan_id, peering, ("vlan_id",)
        for role in ROLES:
            link = link_of(peering, role)
            if link is not None and link.s_tag is not None:
                yield f"{who(circuit, peering)} {role}_link", "S-tag", link.s_tag, link, ("s_tag",)
    for router in design.routers:
        for iface in router.interfaces:
            owner = f"router '{router.name}' interface {iface.name}"
            if iface.vlan_id is not None:
                yield owner, "VLAN ID", iface.vlan_id, iface, ("vlan_id",)
            if iface.s_tag is not None:
                yield owner, "S-tag", iface.s_tag, iface, ("s_tag",)
    for provider in design.providers:
        for vc in provider.virtual_circuits:
            if vc.s_tag is not None:
                yield f"provider '{provider.name}' virtual circuit '{vc.name}'", "S-tag", vc.s_tag, vc, ("s_tag",)


@check("VLAN001")
def vlan_range(design: Design) -> Iterable[Finding]:
    v = _vlan()
    low, high = v["min"], v["max"]
    for owner, what, tag, node, field in _tags(design):
        if low <= tag <= high:
            continue
        yield Finding(
            "VLAN001",
            f"{owner}: {what} {tag} is outside the usable range {low}–{high}",
            node=node, field=field, evidence=[_range_evidence()],
        )


@check("VLAN002")
def vlan_unique_in_circuit(design: Design) -> Iterable[Finding]:
    v = _vlan()
    if not v.get("unique_per_peering_in_circuit"):
        return
    ev = evidence("addressing", v["rules_source"], "VLAN ID per peering", "unique within the circuit")
    for circuit in design.circuits:
        first: dict[int, str] = {}
        for peering in circuit.peerings:
            if peering.vlan_id is None:
                continue
            if peering.vlan_id in first:
                yield Finding(
                    "VLAN002",
                    f"{who(circuit, peering)}: VLAN ID {peering.vlan_id} is already used by peering "
                    f"{first[peering.vlan_id]} of the same circuit; each peering needs its own VLAN",
                    node=peering, field=("vlan_id",), evidence=[ev],
                )
            else:
                first[peering.vlan_id] = peering.type


@check("VLAN003")
def vlan_unique_on_dot1q_port(design: Design) -> Iterable[Finding]:
    direct = _vlan()["direct"]
    if not direct.get("dot1q_ctag_unique_across_port_pair"):
        return
    ev = evidence("addressing", direct["source"], "Dot1Q C-tag on an ExpressRoute Direct port pair",
                  "unique across all circuits and peerings")
    first: dict[tuple[str, int], tuple[str, str]] = {}
    for circuit, peering in peerings(design):
        port = design.port(circuit.express_route_port) if circuit.express_route_port else None
        if port is None or port.encapsulation != "Dot1Q" or peering.vlan_id is None:
            continue
        key = (port.name, peering.vlan_id)
        owner = who(circuit, peering)
        if key not in first:
            first[key] = (circuit.name, owner)
            continue
        other_circuit, other = first[key]
        if other_circuit == circuit.name:
            continue  # same circuit: VLAN002
        yield Finding(
            "VLAN003",
            f"{owner}: VLAN ID {peering.vlan_id} is already used by {other} on the same ExpressRoute Direct "
            f"port pair '{port.name}' (Dot1Q); with Dot1Q a VLAN must be unique across all circuits on the port",
            node=peering, field=("vlan_id",), evidence=[ev],
            hint="Pick an unused VLAN ID, or use QinQ encapsulation (each circuit gets its own S-tag).",
        )


def physical_interface(name: str) -> str:
    """'Te0/0/0.28' -> 'Te0/0/0' (subinterface or unit number dropped)."""
    return name.split(".", 1)[0]


@check("VLAN004")
def vlan_unique_on_router_interface(design: Design) -> Iterable[Finding]:
    first: dict[tuple, tuple[str, str]] = {}
    for circuit, peering in peerings(design):
        for role in ROLES:
            link = link_of(peering, role)
            if link is None or not link.router or not link.interface:
                continue
            iface = interface_of(design, link)
            s_tag = link.s_tag if link.s_tag is not None else (iface.s_tag if iface else None)
            vlan = peering.vlan_id if peering.vlan_id is not None else (iface.vlan_id if iface else None)
            if vlan is None:
                continue
            phys = physical_interface(link.interface)
            key = (link.router, phys, s_tag, vlan)
            owner = f"{who(circuit, peering)} {role} link"
            if key not in first:
                first[key] = (circuit.name, owner)
                continue
            other_circuit, other = first[key]
            if other_circuit == circuit.name:
                continue  # one circuit: VLAN002 or BGP009
            tags = f"VLAN {vlan}" + (f" with S-tag {s_tag}" if s_tag is not None else " (no S-tag)")
            yield Finding(
                "VLAN004",
                f"{owner}: {tags} on router '{link.router}' physical interface {phys} is already used by {other}; "
                "the router can't tell the two circuits apart",
                node=link, field=("interface",),
                hint="Use another VLAN ID or S-tag for one of the circuits, or terminate it on another interface.",
            )
