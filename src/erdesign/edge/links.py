"""The ExpressRoute links a design puts on each customer router, with everything the router side needs:
tags, addresses, VRF, BGP numbers, MD5, BFD, the maximum-prefix ceiling and the prefixes to advertise.

Both `erdesign router-config` (rendering) and the RTR checks (reading a configuration) work from these, so
that what is rendered is exactly what is checked. Every number comes from rules/data (customer_edge.yaml,
asns.yaml, route_limits.yaml).
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Optional

from ..data import table
from ..model import Circuit, Design, Peering, PeeringLink, Router, RouterInterface

ROLES = ("primary", "secondary")
EDGE_PEERING_TYPES = ("AzurePrivatePeering", "MicrosoftPeering")

# Other names people give the three dialects (platform or vendor fields of a router).
PLATFORM_ALIASES = {
    "ios-xe": "ios-xe", "iosxe": "ios-xe", "ios xe": "ios-xe", "ios": "ios-xe", "cisco": "ios-xe", "cisco ios-xe": "ios-xe",
    "junos": "junos", "juniper": "junos", "junos os": "junos",
    "eos": "eos", "arista": "eos", "arista eos": "eos",
}


def config_token(text: str) -> str:
    """A name safe as one word in any of the three dialects: other characters become '-'."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", text)


def edge_table() -> dict:
    return table("customer_edge")


def microsoft_asn() -> int:
    return int(table("asns")["microsoft_asn"]["value"])


def bfd_timers() -> dict:
    return edge_table()["bfd"]


def platform_of(router: Optional[Router]) -> Optional[str]:
    """ios-xe, junos or eos from the router's platform (else vendor) field, or None."""
    if router is None:
        return None
    for text in (router.platform, router.vendor):
        if text and (known := PLATFORM_ALIASES.get(text.strip().lower())):
            return known
    return None


@dataclass
class EdgeLink:
    """One link (primary or secondary) of one peering, as the customer router must configure it."""

    circuit: Circuit
    peering: Peering
    role: str
    link: Optional[PeeringLink]
    router: Optional[str]  # the design's router name, None when the link names none
    subnet: ipaddress.IPv4Network
    customer_ip: ipaddress.IPv4Address
    microsoft_ip: ipaddress.IPv4Address
    interface: Optional[str]  # sub-interface name as the design gives it
    design_interface: Optional[RouterInterface]
    parent: Optional[str]
    unit: Optional[str]  # the part after the dot (sub-interface / unit number)
    s_tag: Optional[int]
    c_tag: Optional[int]
    s_tag_from: str
    vrf: Optional[str]
    local_asn: Optional[int]
    remote_asn: int
    md5: bool
    bfd: bool
    max_prefix: Optional[int]
    max_prefix_basis: str
    advertised: list[str] = field(default_factory=list)
    advertised_from: str = ""

    @property
    def label(self) -> str:
        return f"circuit '{self.circuit.name}' peering {self.peering.type} {self.role} link"

    @property
    def short_peering(self) -> str:
        return "PRIVATE" if self.peering.type == "AzurePrivatePeering" else "MICROSOFT"

    @property
    def policy_name(self) -> str:
        """Prefix-list / route-map / policy name for what this peering advertises."""
        return f"ER-{config_token(self.circuit.name)}-{self.short_peering}-OUT"


# --------------------------------------------------------------------------- deriving the links

def _design_interface(design: Design, router: Optional[Router], link: Optional[PeeringLink],
                      subnet: ipaddress.IPv4Network) -> Optional[RouterInterface]:
    if router is None:
        return None
    if link is not None and link.interface:
        named = next((i for i in router.interfaces if i.name == link.interface), None)
        if named is not None:
            return named
    for iface in router.interfaces:
        if iface.ip:
            try:
                if ipaddress.ip_address(iface.ip.split("/")[0]) in subnet:
                    return iface
            except ValueError:
                continue
    return None


def _virtual_circuit_s_tag(design: Design, circuit: Circuit, role: str) -> Optional[int]:
    for provider in design.providers:
        for vc in provider.virtual_circuits:
            if vc.circuit == circuit.name and vc.link == role and vc.s_tag is not None:
                return vc.s_tag
    return None


def _s_tag(design: Design, circuit: Circuit, role: str, link: Optional[PeeringLink],
           iface: Optional[RouterInterface]) -> tuple[Optional[int], str]:
    if link is not None and link.s_tag is not None:
        return link.s_tag, f"{role}_link.s_tag"
    if iface is not None and iface.s_tag is not None:
        return iface.s_tag, f"interface {iface.name} s_tag"
    vc_tag = _virtual_circuit_s_tag(design, circuit, role)
    if vc_tag is not None:
        return vc_tag, "the provider's virtual circuit s_tag"
    port = design.port(circuit.express_route_port) if circuit.express_route_port else None
    if port is not None and port.encapsulation == "QinQ" and circuit.s_tag is not None:
        return circuit.s_tag, f"circuit '{circuit.name}' s_tag (ExpressRoute Direct, QinQ)"
    return None, ""


def max_prefix_ceiling(design: Design, circuit: Circuit, peering: Peering) -> tuple[Optional[int], str]:
    """The most routes Azure may send on one session of this peering, and how it was derived."""
    if peering.type != "AzurePrivatePeering":
        return None, "Microsoft documents no ceiling for the routes Microsoft peering sends"
    limits = table("route_limits")
    per_connection = int(limits["advertised_by_gateway"]["ipv4"])
    connections = [c for c in design.connections_of_circuit(circuit.name) if c.type == "ExpressRoute"]
    count = max(1, len(connections))
    total = per_connection * count
    basis = f"{count} gateway connection{'s' if count != 1 else ''} x {per_connection:,} VNet routes"
    peers = {gr.peer_circuit for gr in circuit.global_reach}
    peers |= {c.name for c in design.circuits if any(gr.peer_circuit == circuit.name for gr in c.global_reach)}
    peers.discard(circuit.name)
    per_tier = limits["advertised_to_private_peering"]["ipv4"]
    for name in sorted(peers):
        peer = design.circuit(name)
        tier = peer.sku.tier if peer is not None else "Premium"
        total += int(per_tier[tier])
        basis += f" + Global Reach peer '{name}' ({tier}) {int(per_tier[tier]):,} on-premises routes"
    return total, basis


def _advertised(design: Design, router: Optional[Router], peering: Peering) -> tuple[list[str], str]:
    if peering.type != "AzurePrivatePeering":
        return list(peering.advertised_public_prefixes), "the peering's advertised_public_prefixes"
    if peering.advertised_prefixes:
        return list(peering.advertised_prefixes), "the peering's advertised_prefixes"
    if router is not None:
        site = next((s for s in design.sites if any(r is router for r in s.routers)), None)
        if site is not None and site.advertised_prefixes:
            return list(site.advertised_prefixes), f"site '{site.name}' advertised_prefixes"
    return [], ""


def _split_name(name: Optional[str], parent: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    if not name:
        return parent, None
    base, dot, unit = name.rpartition(".")
    if dot:
        return parent or base, unit
    return parent or name, None


def edge_links(design: Design) -> list[EdgeLink]:
    """Every link of every enabled private or Microsoft peering that has a /30, in design order."""
    out: list[EdgeLink] = []
    asn = microsoft_asn()
    for circuit in design.circuits:
        for peering in circuit.peerings:
            if peering.type not in EDGE_PEERING_TYPES or peering.state == "Disabled":
                continue
            prefixes = dict(zip(ROLES, peering.link_prefixes()))
            ceiling, basis = max_prefix_ceiling(design, circuit, peering)
            for role in ROLES:
                text = prefixes.get(role)
                if not text:
                    continue
                subnet = ipaddress.ip_network(text, strict=False)
                if subnet.version != 4 or subnet.num_addresses < 4:
                    continue
                link = getattr(peering, f"{role}_link")
                router = design.router(link.router) if link is not None and link.router else None
                iface = _design_interface(design, router, link, subnet)
                name = (link.interface if link is not None and link.interface else None) or (iface.name if iface else None)
                parent, unit = _split_name(name, iface.parent if iface else None)
                s_tag, s_from = _s_tag(design, circuit, role, link, iface)
                c_tag = iface.vlan_id if iface is not None and iface.vlan_id is not None else peering.vlan_id
                vrf = (iface.vrf if iface is not None and iface.vrf else None) or (router.vrf if router else None)
                local = peering.peer_asn if peering.peer_asn is not None else (router.asn if router else None)
                advertised, adv_from = _advertised(design, router, peering)
                out.append(EdgeLink(
                    circuit=circuit, peering=peering, role=role, link=link,
                    router=link.router if link is not None and link.router else None,
                    subnet=subnet, customer_ip=subnet.network_address + 1, microsoft_ip=subnet.network_address + 2,
                    interface=name, design_interface=iface, parent=parent, unit=unit,
                    s_tag=s_tag, c_tag=c_tag, s_tag_from=s_from, vrf=vrf, local_asn=local, remote_asn=asn,
                    md5=peering.md5, bfd=peering.bfd is not False, max_prefix=ceiling, max_prefix_basis=basis,
                    advertised=advertised, advertised_from=adv_from,
                ))
    return out


@dataclass
class EdgeRouter:
    """A router to render or check: a design router, or the unnamed router of one role."""

    name: str
    router: Optional[Router]
    links: list[EdgeLink]

    @property
    def platform(self) -> Optional[str]:
        return platform_of(self.router)

    @property
    def asn(self) -> Optional[int]:
        if self.router is not None and self.router.asn is not None:
            return self.router.asn
        return next((link.local_asn for link in self.links if link.local_asn is not None), None)


UNNAMED = {role: f"unnamed-{role}-router" for role in ROLES}


def edge_routers(design: Design) -> list[EdgeRouter]:
    """The design's routers that terminate at least one link, then one unnamed router per role for links that
    name no router (so that a design without routers still renders a primary and a secondary configuration)."""
    links = edge_links(design)
    out = []
    for router in design.routers:
        mine = [link for link in links if link.router == router.name]
        if mine:
            out.append(EdgeRouter(router.name, router, mine))
    for role in ROLES:
        orphans = [link for link in links if link.router is None and link.role == role]
        if orphans:
            out.append(EdgeRouter(UNNAMED[role], None, orphans))
    return out


def links_for_config(design: Design, router_name: Optional[str], addresses: set) -> list[EdgeLink]:
    """The links a configuration of `router_name` should carry: those that name the router, plus those naming no
    router whose /30 holds one of the configuration's `addresses`. A configuration given without a router name
    (None) carries the links whose /30 holds one of its addresses, whichever router the design puts them on."""
    out = []
    for link in edge_links(design):
        if router_name is not None and link.router == router_name:
            out.append(link)
        elif (link.router is None or router_name is None) and any(a in link.subnet for a in addresses):
            out.append(link)
    return out
