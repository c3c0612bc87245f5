"""MON001-MON002: when a design declares monitoring, it covers what the peers' reviews ask for.

MON001 circuit, gateway or ExpressRoute Direct port without an alert (monitoring declared)
MON002 no Service Health alerts for ExpressRoute maintenance (monitoring declared)
"""
from __future__ import annotations

from typing import Iterator

from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Design
from ._common import evidence

_WATCHED = (("circuits", "circuit", "BgpAvailability, ArpAvailability, BitsInPerSecond/BitsOutPerSecond"),
            ("gateways", "gateway", "CPU utilisation, routes learned, packets per second (ExpressRoute); "
                                    "tunnel and BGP status (VPN)"),
            ("express_route_ports", "ExpressRoute Direct port", "light levels, line protocol, bits per second"))


@check("MON001")
def objects_without_alerts(design: Design, ctx=None) -> Iterator[Finding]:
    if design.monitoring is None:
        return
    watched = {a.resource for a in design.monitoring.alerts}
    for section, label, metrics in _WATCHED:
        for obj in getattr(design, section):
            if obj.name in watched:
                continue
            yield Finding(
                "MON001",
                f"{label} '{obj.name}' has no alert in the design's monitoring; an outage of it would go unnoticed",
                node=obj, field=("name",),
                hint=f"Add an alert for it under monitoring.alerts (resource: {obj.name}), e.g. on {metrics}",
                evidence=[evidence("network_limits", None, "alerts recommended for ExpressRoute resources",
                                   "Azure Monitor baseline alerts (APRL)", "estimate")],
            )


@check("MON002")
def service_health_alerts(design: Design, ctx=None) -> Iterator[Finding]:
    mon = design.monitoring
    if mon is None or mon.service_health_alerts or not (design.circuits or design.gateways):
        return
    yield Finding(
        "MON002",
        "monitoring: no Service Health alerts for ExpressRoute planned maintenance; maintenance on a link or "
        "gateway instance will come unannounced",
        node=mon, field=("service_health_alerts",) if mon.service_health_alerts is False else (),
        hint="Create Service Health alerts for ExpressRoute (planned maintenance) and set service_health_alerts: true",
        evidence=[evidence("network_limits", None, "Service Health maintenance notifications", "recommended (APRL)",
                           "estimate")],
    )
