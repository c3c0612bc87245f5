"""Which designed object a live view belongs to.

By content first: the addresses in a circuit view (ARP entries, route next hops, summary neighbors)
fall in one link prefix of one peering; the localAddress of a gateway view falls in one VNet's
GatewaySubnet. Else by file name: a circuit or gateway name in it (the longest that matches), and
"primary"/"secondary", "microsoft" for the path and peering. get-stats of a design with one circuit
belongs to that circuit.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Optional

from ..model import Circuit, Design, Gateway, Peering
from .views import ARP_TABLE, CIRCUIT_STATS, CIRCUIT_VIEWS, ROUTE_TABLE, ROUTE_TABLE_SUMMARY, LiveView

ROLES = ("primary", "secondary")


@dataclass(frozen=True)
class Target:
    circuit: Optional[Circuit] = None
    peering: Optional[Peering] = None
    path: Optional[str] = None
    gateway: Optional[Gateway] = None
    how: str = ""  # "content", "file name", "" (not attributed)

    @property
    def found(self) -> bool:
        return self.circuit is not None or self.gateway is not None

    def describe(self) -> str:
        if self.gateway is not None:
            return f"gateway '{self.gateway.name}'"
        if self.circuit is None:
            return "a view that matches no circuit or gateway of the design"
        text = f"circuit '{self.circuit.name}'"
        if self.peering is not None:
            text += f" peering {self.peering.type}"
        if self.path:
            text += f" {self.path} link"
        return text


def _address(text) -> Optional[ipaddress._BaseAddress]:
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_address(text.strip().split("/")[0])
    except ValueError:
        return None


def _network(text) -> Optional[ipaddress._BaseNetwork]:
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def view_addresses(view: LiveView) -> list:
    key = {ARP_TABLE: "ipAddress", ROUTE_TABLE: "nextHop", ROUTE_TABLE_SUMMARY: "neighbor"}.get(view.kind)
    if key is None:
        key = "localAddress"
    return [a for a in (_address(r.get(key)) for r in view.rows if isinstance(r, dict)) if a is not None]


def link_prefixes(peering: Peering):
    v4 = peering.link_prefixes()
    v6 = peering.link_prefixes_v6()
    for i, role in enumerate(ROLES):
        for prefix in (v4[i], v6[i]):
            net = _network(prefix)
            if net is not None:
                yield role, net


def _by_content_circuit(design: Design, view: LiveView) -> Optional[Target]:
    addresses = view_addresses(view)
    for circuit in design.circuits:
        for peering in circuit.peerings:
            for role, net in link_prefixes(peering):
                if any(a.version == net.version and a in net for a in addresses):
                    return Target(circuit, peering, role, how="content")
    return None


def _by_content_gateway(design: Design, view: LiveView) -> Optional[Target]:
    addresses = view_addresses(view)
    for gw in design.gateways:
        vnet = design.vnet(gw.vnet)
        subnet = vnet.gateway_subnet if vnet is not None else None
        if subnet is None:
            continue
        for prefix in subnet.all_prefixes():
            net = _network(prefix)
            if net is not None and any(a.version == net.version and a in net for a in addresses):
                gateways = [g for g in design.gateways if g.vnet == gw.vnet]
                er = next((g for g in gateways if g.type == "ExpressRoute"), gw)
                return Target(gateway=er, how="content")
    return None


def _longest_name(names, file_name: str) -> Optional[str]:
    hits = [n for n in names if n.lower() in file_name]
    return max(hits, key=len) if hits else None


def _by_name(design: Design, view: LiveView) -> Optional[Target]:
    name = view.name
    if view.kind in CIRCUIT_VIEWS:
        circuit_name = _longest_name([c.name for c in design.circuits], name)
        if circuit_name is None and view.kind == CIRCUIT_STATS and len(design.circuits) == 1:
            circuit_name = design.circuits[0].name
        if circuit_name is None and len(design.circuits) == 1 and view.kind != CIRCUIT_STATS:
            circuit_name = design.circuits[0].name
        if circuit_name is None:
            return None
        circuit = design.circuit(circuit_name)
        if view.kind == CIRCUIT_STATS:
            return Target(circuit, how="file name")
        wanted = "MicrosoftPeering" if "microsoft" in name else "AzurePrivatePeering"
        peering = circuit.peering(wanted)
        path = next((r for r in ROLES if r in name), None)
        return Target(circuit, peering, path, how="file name")
    gw_name = _longest_name([g.name for g in design.gateways], name)
    if gw_name is None:
        ers = [g for g in design.gateways if g.type == "ExpressRoute"]
        gw_name = ers[0].name if len(ers) == 1 else None
    return Target(gateway=design.gateway(gw_name), how="file name") if gw_name else None


def attribute(design: Design, view: LiveView) -> Target:
    """The designed circuit/peering/link or gateway a view belongs to (Target().found is False if none)."""
    if view.kind in CIRCUIT_VIEWS:
        found = None if view.kind == CIRCUIT_STATS else _by_content_circuit(design, view)
    else:
        found = _by_content_gateway(design, view)
    return found or _by_name(design, view) or Target()
