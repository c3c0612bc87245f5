"""Virtual WAN ExpressRoute lines: the hub (Standard hub per hour), the hub ExpressRoute gateway
(scale units per hour) and each ExpressRoute connection (connection unit per hour).

Autoscaling gateways are priced at their minimum, as ErGwScale gateways are, and say what the
maximum would cost; a gateway whose scale units are unknown gets an unpriced line that says why.
"""
from __future__ import annotations

from decimal import Decimal

from .money import cents, fmt_money

ZERO = Decimal(0)


def price_virtual_wan(pricer) -> None:
    design = pricer.design
    gateway_hubs = {gw.hub for gw in design.hub_gateways}
    for index, hub in enumerate(design.virtual_hubs):
        if hub.description and hub.description.startswith("placeholder:"):
            continue  # not in the inputs: priced where it is described
        group = f"virtual hub {hub.name}"
        path = hub.path or f"virtual_hubs[{index}]"
        sku = hub.sku
        if sku is None and hub.name in gateway_hubs:
            sku = "Standard"
            pricer.assume(f"virtual hub '{hub.name}' has no sku: priced as Standard, since ExpressRoute in Virtual "
                          "WAN needs a Standard Virtual WAN")
        if sku is None or sku == "Basic":
            continue
        pricer.line(group=group, kind="virtual hub", obj=hub.name, path=path, component="vwan_hub",
                    description=f"Virtual WAN hub ({sku}), {hub.region or 'no region'}",
                    factors=[(pricer.hours, "h")], unit="h", book_unit="hour", request={"sku": sku})
    for index, gw in enumerate(design.hub_gateways):
        group = f"hub gateway {gw.name}"
        path = gw.path or f"hub_gateways[{index}]"
        region = design.hub_gateway_region(gw)
        description = f"Virtual WAN ExpressRoute gateway scale units (2 Gbps each), {region or 'no region'}"
        if gw.scale_units is None:
            pricer.line(group=group, kind="hub gateway", obj=gw.name, path=path, component="vwan_er_scale_unit",
                        description=description, factors=[(ZERO, "SU"), (pricer.hours, "h")], unit="SU·h",
                        book_unit="hour", request={}, quantity_known=False,
                        missing_reason="a hub ExpressRoute gateway is billed per scale unit, and its scale units "
                                       "are not known")
        else:
            units = Decimal(gw.scale_units.min)
            line = pricer.line(group=group, kind="hub gateway", obj=gw.name, path=path,
                               component="vwan_er_scale_unit", description=description,
                               factors=[(units, "SU"), (pricer.hours, "h")], unit="SU·h", book_unit="hour",
                               request={})
            if gw.scale_units.max != gw.scale_units.min:
                at_max = ""
                if line.unit_price is not None:
                    monthly = cents(line.unit_price * gw.scale_units.max * pricer.hours)
                    at_max = f"; at the maximum it would be {fmt_money(monthly)} {pricer.currency}/month"
                pricer.assume(f"hub gateway '{gw.name}' autoscales between {gw.scale_units.min} and "
                              f"{gw.scale_units.max} scale units: priced at the minimum, {gw.scale_units.min}{at_max}")
        for conn in design.hub_connections:
            if conn.hub_gateway != gw.name:
                continue
            target = conn.circuit or "a circuit outside the inputs"
            pricer.line(group=group, kind="hub connection", obj=conn.name, path=conn.path or path,
                        component="vwan_er_connection",
                        description=f"ExpressRoute connection '{conn.name}' to {target}",
                        factors=[(pricer.hours, "h")], unit="h", book_unit="hour", request={})
