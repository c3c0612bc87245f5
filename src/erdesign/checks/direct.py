"""DIR: ExpressRoute Direct port pairs and their links.

DIR001 a link of a port pair is administratively disabled
DIR002 MACsec configured on one link of a port pair but not the other
"""
from __future__ import annotations

from typing import Iterable

from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design
from ._common import names


@check("DIR001")
def port_link_disabled(design: Design, ctx=None) -> Iterable[Finding]:
    for port in design.express_route_ports:
        circuits = [c.name for c in design.circuits if c.express_route_port == port.name]
        for link in port.links:
            if link.admin_state != "Disabled":
                continue
            on = f"; its circuits ({names(circuits)}) run on the other link alone" if circuits else ""
            yield Finding(
                "DIR001",
                f"ExpressRoute Direct port '{port.name}': {link.name} is administratively disabled (adminState "
                f"Disabled): no traffic passes on it, so the port pair has no redundancy{on}",
                node=link, field=("admin_state",),
            )


@check("DIR002")
def macsec_on_one_link(design: Design, ctx=None) -> Iterable[Finding]:
    for port in design.express_route_ports:
        if len(port.links) < 2:
            continue
        with_macsec = [link for link in port.links if link.macsec_cipher]
        if not with_macsec or len(with_macsec) == len(port.links):
            continue
        without = [link.name for link in port.links if not link.macsec_cipher]
        yield Finding(
            "DIR002",
            f"ExpressRoute Direct port '{port.name}': MACsec is configured on {names(l.name for l in with_macsec)} "
            f"but not on {names(without)}; traffic that fails over to the other link is not encrypted",
            node=port,
        )
