"""Turn a design plus price books plus usage into cost lines.

One function per kind of design object; each appends CostLines through
:class:`Pricer.line`, which looks the price up, computes the amount to the
cent and writes the formula, or records an UNPRICED line with the reason.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from .. import facts
from ..errors import did_you_mean
from ..model import format_bandwidth
from .book import PriceBooks, Quote, zone_name
from .components import (
    CARRIER_VIRTUAL_CIRCUIT,
    CIRCUIT_EGRESS,
    CIRCUIT_PORT,
    CROSS_CONNECT,
    DIRECT_PORT_PAIR,
    DIRECT_PREMIUM_ADDON,
    ER_GATEWAY,
    GLOBAL_REACH_ADDON,
    GLOBAL_REACH_DATA,
    PUBLIC_IP,
    VNET_PEERING,
    VPN_DATA,
    VPN_GATEWAY,
)
from .money import ZERO, cents, dec, fmt_money, fmt_number
from .report import CostLine
from .usage import Usage

PLAN_LABEL = {"MeteredData": "Metered", "UnlimitedData": "Unlimited"}
DESIGN_SOURCE = "your quotes, written in the design (monthly_fee / one_time_fee of virtual circuits and cross-connects)"
UNIT_LABEL = {"hour": "h", "month": "month", "GB": "GB", "one-time": "one-time"}


def location_zone(name: Optional[str]) -> tuple[Optional[str], str]:
    """Pricing zone of a peering location, or (None, why not)."""
    if not name:
        return None, "no peering_location given, so its pricing zone is unknown"
    found = facts.peering_location(name)
    if found is None:
        hint = did_you_mean(name, facts.known_peering_locations())
        return None, f"peering location '{name}' is unknown{hint}, so its pricing zone is unknown"
    zone = zone_name(found.get("pricing_zone"))
    if zone is None:
        return None, f"peering location '{found['name']}' has no pricing zone in the location table"
    return zone, ""


def region_zone(region: Optional[str]) -> tuple[Optional[str], str]:
    """VNet-peering (bandwidth) zone of an Azure region, or (None, why not)."""
    if not region:
        return None, "the VNet has no region"
    found = facts.region(region)
    if found is None:
        return None, f"region '{region}' is unknown{did_you_mean(region, facts.known_regions())}"
    zone = found.get("vnet_peering_zone")
    if not zone:
        return None, f"region '{found['name']}' has no known VNet peering zone"
    return str(zone), ""


def metro_reason(location: Optional[str]) -> str:
    """Why a circuit at an ExpressRoute Metro location has no port price ('' if it is not Metro)."""
    found = facts.peering_location(location) if location else None
    if found and found.get("is_metro"):
        return (f"'{found['name']}' is an ExpressRoute Metro location, whose port pricing is unverified; "
                "pass your quote with --pricing")
    return ""


def _canonical_region(region: Optional[str]) -> Optional[str]:
    found = facts.region(region) if region else None
    return found["name"] if found else (facts.norm(region) if region else None)


class Pricer:
    def __init__(self, design, books: PriceBooks, usage: Usage, *, hours: int, plan: Optional[str]):
        self.design = design
        self.books = books
        self.usage = usage
        self.hours = Decimal(hours)
        self.plan = plan
        self.currency = books.currency
        self.lines: list[CostLine] = []
        self.assumptions: list[str] = list(usage.notes)
        self._assumed: set[str] = set(self.assumptions)
        # assumed quantities, each listed once: what -> {"assumed", "applies_to", "change"}
        self.quantities: dict[str, dict[str, Any]] = {}
        self.not_listed: list[CostLine] = []  # unpriced lines of 0 units: they cost nothing, whatever the rate

    # ------------------------------------------------------------------ one line
    def line(self, *, group: str, kind: str, obj: str, path: str, component: str, description: str,
             factors: list[tuple[Decimal, str]], unit: str, book_unit: str, request: dict[str, Any],
             missing_reason: str = "", quote: Optional[Quote] = None, label: str = "",
             quantity_known: bool = True) -> CostLine:
        """Price one line and add it to the report. An unpriced line whose (known) quantity is 0
        costs nothing whatever its rate: it is not listed, and :meth:`note_not_listed` says so."""
        quantity = Decimal(1)
        for value, _ in factors:
            quantity *= dec(value)
        if quote is None and not missing_reason:
            quote = self.books.find(component, book_unit, **request)
        if quote is None:
            reason = missing_reason or self.books.gap(component, book_unit, **request) or (
                f"no price for {component} ({_describe(request)}) in the price books")
            line = CostLine(object_kind=kind, object=obj, component=component, description=description,
                            quantity=quantity, unit=unit, unit_price=None, confidence="unpriced",
                            formula="", source="", note=reason, group=group, path=path, label=label)
            if quantity == 0 and quantity_known:
                self.not_listed.append(line)
                return line
        else:
            amount = cents(quantity * quote.amount)
            per = "" if quote.unit == "one-time" else f"/{UNIT_LABEL.get(quote.unit, quote.unit)}"
            formula = f"{fmt_number(quote.amount, 6)} {self.currency}{per}"
            formula += "".join(f" × {fmt_number(dec(v), 4)} {label}" for v, label in factors)
            if quote.unit == "one-time":
                formula += ", once"
            note = (quote.derivation if quote.confidence == "estimate" else quote.note) or ""
            if quote.range:
                note = (note + " " if note else "") + f"(range {fmt_money(quote.range[0])}–{fmt_money(quote.range[1])})"
            if quote.illustrative and "illustrative" not in note.lower():
                note = "ILLUSTRATIVE typical figure. " + note
            line = CostLine(object_kind=kind, object=obj, component=component, description=description,
                            quantity=quantity, unit=unit, unit_price=quote.amount,
                            monthly=None if book_unit == "one-time" else amount,
                            one_time=amount if book_unit == "one-time" else None,
                            confidence=quote.confidence, formula=formula, source=quote.source_id,
                            as_of=quote.as_of, note=note.strip(), group=group, path=path, label=label,
                            none_expected=(book_unit == "one-time" and quote.confidence == "estimate"
                                           and quote.amount == 0 and not quote.range))
        self.lines.append(line)
        return line

    def assume(self, text: str) -> None:
        if text not in self._assumed:
            self._assumed.add(text)
            self.assumptions.append(text)

    def assume_quantity(self, assumed: str, applies_to: str, change: str) -> None:
        """An assumed quantity (0 GB of missing traffic, 730 h, ...): listed once, with every object it
        applies to and where to change it - not repeated on each line."""
        entry = self.quantities.setdefault(assumed, {"assumed": assumed, "applies_to": [], "change": change})
        if applies_to and applies_to not in entry["applies_to"]:
            entry["applies_to"].append(applies_to)

    def note_not_listed(self) -> None:
        """One assumption per object for the unpriced lines left out because their quantity is 0."""
        by_group: dict[tuple[str, str], list[CostLine]] = {}
        for line in self.not_listed:
            by_group.setdefault((line.group, line.note), []).append(line)
        for (group, reason), lines in by_group.items():
            what = "; ".join(line.description for line in lines)
            units = sorted({line.unit for line in lines})
            self.assume(f"{group}: {what}: not listed, as 0 {'/'.join(units)} a month costs nothing whatever the "
                        f"rate (the rate is unpriced: {reason.rstrip('.')})")

    # ------------------------------------------------------------------ circuits
    def circuit_plan(self, circuit) -> str:
        plan = self.plan or circuit.sku.family
        if circuit.sku.tier == "Local" and plan != "UnlimitedData":
            if self.plan:
                self.assume(f"circuit '{circuit.name}' is ExpressRoute Local, which is always Unlimited: priced as Unlimited")
            plan = "UnlimitedData"
        return plan

    def circuit_zone(self, circuit) -> tuple[Optional[str], str, Optional[str]]:
        """(zone, why unknown, peering location used)."""
        location = circuit.peering_location
        if not location and circuit.is_direct:
            port = self.design.port(circuit.express_route_port)
            location = port.peering_location if port else None
        zone, why = location_zone(location)
        return zone, why, location

    def circuits(self) -> None:
        for index, c in enumerate(self.design.circuits):
            group = f"circuit {c.name}"
            path = c.path or f"circuits[{index}]"
            tier = c.sku.tier
            plan = self.circuit_plan(c)
            zone, why, location = self.circuit_zone(c)
            where = f"{location} ({zone})" if location and zone else (location or "no peering location")
            bw = format_bandwidth(c.bandwidth)
            if c.is_direct:
                base_tier = "Local" if tier == "Local" else "Standard"
                self.line(group=group, kind="circuit", obj=c.name, path=path, component=CIRCUIT_PORT.key,
                          description=f"Circuit fee on ExpressRoute Direct {c.express_route_port or '(port not in the inputs)'} "
                                      f"({base_tier} {bw})",
                          factors=[(Decimal(1), "month")], unit="month", book_unit="month",
                          request={"tier": base_tier, "direct": True})
                if tier == "Premium":
                    self.line(group=group, kind="circuit", obj=c.name, path=path, component=DIRECT_PREMIUM_ADDON.key,
                              description=f"Premium add-on ({bw}, on ExpressRoute Direct)",
                              factors=[(Decimal(1), "month")], unit="month", book_unit="month",
                              request={"bandwidth": c.bandwidth, "zone": zone})
            elif c.sku.is_unknown("tier") or c.sku.is_unknown("family"):
                self.line(group=group, kind="circuit", obj=c.name, path=path, component=CIRCUIT_PORT.key,
                          description=f"Port fee: {bw}, {where} (SKU known only at deployment)",
                          factors=[(Decimal(1), "month")], unit="month", book_unit="month", request={},
                          missing_reason="the circuit's SKU tier or billing model is known only at deployment")
            else:
                plan_text = "" if tier == "Local" else f" {PLAN_LABEL[plan]}"
                if tier == "Premium":  # Microsoft bills a provider Premium circuit as one meter, Premium included
                    bw = f"{bw} (Premium included)"
                self.line(group=group, kind="circuit", obj=c.name, path=path, component=CIRCUIT_PORT.key,
                          description=f"Port fee: {tier}{plan_text} {bw}, {where}",
                          factors=[(Decimal(1), "month")], unit="month", book_unit="month",
                          request={"tier": tier, "plan": plan, "bandwidth": c.bandwidth, "zone": zone, "direct": False},
                          missing_reason=("the bandwidth is known only at deployment" if c.bandwidth is None
                                          else metro_reason(location) if zone else why))
            self.circuit_egress(c, group, path, tier, plan, zone, why)

    def circuit_egress(self, c, group: str, path: str, tier: str, plan: str, zone: Optional[str], why: str) -> None:
        gb = self.usage.egress.get(c.name)
        if gb is None:
            gb = ZERO
            if plan == "MeteredData":
                self.assume_quantity("outbound data not given: 0 GB/month on a Metered circuit (the total leaves out "
                                     "its data charges)", f"circuit {c.name}",
                                     "traffic.circuits[].egress_gb_month, or --egress CIRCUIT=GB")
            else:
                self.assume_quantity("outbound data not given: 0 GB/month (included in Unlimited anyway)",
                                     f"circuit {c.name}", "traffic.circuits[].egress_gb_month, or --egress CIRCUIT=GB")
        request = {"plan": plan, "tier": tier, "zone": zone, "bandwidth": c.bandwidth, "direct": c.is_direct}
        if plan == "UnlimitedData":
            description = "Outbound data (included in Unlimited)"
            missing = ""
        else:
            description = f"Outbound data, metered, {zone or 'unknown zone'}"
            missing = why if zone is None else ""
        self.line(group=group, kind="circuit", obj=c.name, path=path, component=CIRCUIT_EGRESS.key,
                  description=description, factors=[(gb, "GB")], unit="GB", book_unit="GB", request=request,
                  missing_reason=missing)

    # ------------------------------------------------------------------ ExpressRoute Direct ports
    def direct_ports(self) -> None:
        for index, port in enumerate(self.design.express_route_ports):
            plan = self.plan or port.billing_type
            zone, _ = location_zone(port.peering_location)
            self.line(group=f"ExpressRoute Direct {port.name}", kind="express_route_port", obj=port.name,
                      path=port.path or f"express_route_ports[{index}]", component=DIRECT_PORT_PAIR.key,
                      description=f"Port pair {format_bandwidth(port.bandwidth)} ({PLAN_LABEL[plan]}), "
                                  f"{port.peering_location or 'no peering location'}",
                      factors=[(Decimal(1), "month")], unit="month", book_unit="month",
                      request={"port_bandwidth": port.bandwidth, "plan": plan, "zone": zone})

    # ------------------------------------------------------------------ gateways
    def gateways(self) -> None:
        ipsec_gateways = {c.gateway for c in self.design.connections if c.ipsec_over_expressroute}
        for index, gw in enumerate(self.design.gateways):
            group = f"gateway {gw.name}"
            path = gw.path or f"gateways[{index}]"
            region = self.design.gateway_region(gw)
            request = {"region": _canonical_region(region)}
            if gw.sku is None:
                self.line(group=group, kind="gateway", obj=gw.name, path=path,
                          component=ER_GATEWAY.key if gw.type == "ExpressRoute" else VPN_GATEWAY.key,
                          description=f"{gw.type} gateway (SKU not given), {region or 'no region'}",
                          factors=[(self.hours, "h")], unit="h", book_unit="hour", request=request,
                          missing_reason="the input gives no SKU, and the price depends on it")
                continue
            if gw.type == "ExpressRoute":
                known = facts.gateway_sku(gw.sku)
                sku = known["name"] if known else gw.sku
                request["sku"] = sku
                if facts.norm(sku) == "ergwscale":
                    self.scale_gateway(gw, group, path, sku, request)
                    self.gateway_public_ip(gw, group, path, region)
                    continue
                self.line(group=group, kind="gateway", obj=gw.name, path=path, component=ER_GATEWAY.key,
                          description=f"ExpressRoute gateway {sku}, {region or 'no region'}",
                          factors=[(self.hours, "h")], unit="h", book_unit="hour", request=request)
                self.gateway_public_ip(gw, group, path, region)
            else:
                request["sku"] = gw.sku
                purpose = " (IPsec over ExpressRoute)" if gw.name in ipsec_gateways else ""
                self.line(group=group, kind="gateway", obj=gw.name, path=path, component=VPN_GATEWAY.key,
                          description=f"VPN gateway {gw.sku}{purpose}, {region or 'no region'}",
                          factors=[(self.hours, "h")], unit="h", book_unit="hour", request=request)
                self.gateway_public_ip(gw, group, path, region)
                self.vpn_data(gw, group, path, ipsec=gw.name in ipsec_gateways)

    def gateway_public_ip(self, gw, group: str, path: str, region: Optional[str]) -> None:
        """The gateway's public IP address, billed per hour like any other (Standard or Basic, static)."""
        if not gw.public_ip:
            self.assume_quantity("no public IP address given for the gateway: none priced", f"gateway {gw.name}",
                                 "gateways[].public_ip, naming an entry of public_ips[]")
            return
        ip = self.design.public_ip(gw.public_ip)
        sku = ip.sku if ip else None
        what = f"Public IP {gw.public_ip} ({sku or 'SKU unknown'}, static)" if ip else f"Public IP {gw.public_ip}"
        self.line(group=group, kind="gateway", obj=gw.name, path=path, component=PUBLIC_IP.key,
                  description=f"{what}, {region or 'no region'}", factors=[(self.hours, "h")], unit="h",
                  book_unit="hour", request={"sku": sku, "region": _canonical_region(region)},
                  missing_reason="" if ip else f"public IP '{gw.public_ip}' is not in public_ips[], so its SKU is unknown")

    def scale_gateway(self, gw, group: str, path: str, sku: str, request: dict) -> None:
        description = f"ExpressRoute gateway {sku} (per scale unit), {self.design.gateway_region(gw) or 'no region'}"
        if gw.scale_units is None:
            self.line(group=group, kind="gateway", obj=gw.name, path=path, component=ER_GATEWAY.key,
                      description=description, factors=[(ZERO, "SU"), (self.hours, "h")], unit="SU·h",
                      book_unit="hour", request=request, quantity_known=False,
                      missing_reason="an ErGwScale gateway is billed per scale unit, and scale_units is not given")
            return
        units = Decimal(gw.scale_units.min)
        line = self.line(group=group, kind="gateway", obj=gw.name, path=path, component=ER_GATEWAY.key,
                         description=description, factors=[(units, "SU"), (self.hours, "h")], unit="SU·h",
                         book_unit="hour", request=request)
        if gw.scale_units.max != gw.scale_units.min:
            at_max = ""
            if line.unit_price is not None:
                at_max = f"; at the maximum it would be {fmt_money(cents(line.unit_price * gw.scale_units.max * self.hours))} {self.currency}/month"
            self.assume_quantity("an autoscaling ErGwScale gateway runs at its minimum scale units all month",
                                 f"gateway {gw.name} ({gw.scale_units.min}-{gw.scale_units.max} SU, priced at "
                                 f"{gw.scale_units.min}{at_max})", "gateways[].scale_units.min")

    def vpn_data(self, gw, group: str, path: str, ipsec: bool) -> None:
        gb = self.usage.vpn.get(gw.name)
        if not gb:
            return
        if ipsec:
            self.assume(f"VPN traffic of gateway '{gw.name}' ({fmt_number(gb)} GB/month) runs over ExpressRoute and is "
                        "billed as the circuit's outbound data: count it in the circuit's egress, not here")
            return
        self.line(group=group, kind="gateway", obj=gw.name, path=path, component=VPN_DATA.key,
                  description="VPN outbound data over the internet", factors=[(gb, "GB")], unit="GB", book_unit="GB",
                  request={}, missing_reason="internet data transfer (tiered, by zone) is not in the price books")

    # ------------------------------------------------------------------ VNet peering
    def vnet_peerings(self) -> None:
        links: dict[frozenset, list] = {}
        for p in self.design.vnet_peerings:
            if p.vnet != p.remote_vnet:
                links.setdefault(frozenset((p.vnet, p.remote_vnet)), []).append(p)
        for link, peerings in links.items():
            first = peerings[0]
            group = f"VNet peering {first.vnet} <-> {first.remote_vnet}"
            flows = self.usage.flows.get(link)
            if not flows:
                self.assume_quantity("VNet peering traffic not given: 0 GB/month",
                                     f"{first.vnet} <-> {first.remote_vnet}",
                                     "traffic.vnet_peerings[], or --peering-out / --peering-in PEERING=GB")
                continue
            for flow in flows:
                self.flow_lines(group, first, flow)

    def flow_lines(self, group: str, peering, flow) -> None:
        src, dst = self.design.vnet(flow.src), self.design.vnet(flow.dst)
        src_region, dst_region = (src.region if src else None), (dst.region if dst else None)
        names = ", ".join(flow.peerings)
        path = peering.path
        if not src_region or not dst_region:
            for direction in ("egress", "ingress"):
                self.line(group=group, kind="vnet_peering", obj=names, path=path, component=VNET_PEERING.key,
                          description=f"{flow.src} -> {flow.dst}: {direction}", factors=[(flow.gb, "GB")], unit="GB",
                          book_unit="GB", request={},
                          missing_reason=f"VNet '{flow.src if not src_region else flow.dst}' has no region, "
                                         "so intra-region or global peering cannot be told")
            return
        if _canonical_region(src_region) == _canonical_region(dst_region):
            for direction, vnet in (("egress", flow.src), ("ingress", flow.dst)):
                self.line(group=group, kind="vnet_peering", obj=names, path=path, component=VNET_PEERING.key,
                          description=f"{flow.src} -> {flow.dst}: {direction} at {vnet} (intra-region)",
                          factors=[(flow.gb, "GB")], unit="GB", book_unit="GB",
                          request={"scope": "intra_region", "direction": direction,
                                   "region": _canonical_region(src_region)},
                          label=f"{flow.src} -> {flow.dst}: {direction} (intra-region)")
            return
        for direction, vnet, region in (("egress", flow.src, src_region), ("ingress", flow.dst, dst_region)):
            zone, why = region_zone(region)
            self.line(group=group, kind="vnet_peering", obj=names, path=path, component=VNET_PEERING.key,
                      description=f"{flow.src} -> {flow.dst}: {direction} at {vnet} (global, {zone or region})",
                      factors=[(flow.gb, "GB")], unit="GB", book_unit="GB",
                      request={"scope": "global", "direction": direction, "zone": zone,
                               "region": _canonical_region(region)},
                      missing_reason=why if zone is None else "",
                      label=f"{flow.src} -> {flow.dst}: {direction} (global, {zone or region})")

    # ------------------------------------------------------------------ Global Reach
    def global_reach(self) -> None:
        links: list[tuple[str, str]] = []
        seen: set[frozenset] = set()
        for c in self.design.circuits:
            for gr in c.global_reach:
                key = frozenset((c.name, gr.peer_circuit))
                if len(key) == 2 and key not in seen:
                    seen.add(key)
                    links.append((c.name, gr.peer_circuit))
        for key in self.usage.global_reach:
            if key not in seen and len(key) == 2:
                seen.add(key)
                links.append(tuple(sorted(key)))
        for a, b in links:
            self.global_reach_link(a, b)
        self.global_reach_addons(links)

    def global_reach_addons(self, links: list[tuple[str, str]]) -> None:
        """The Global Reach add-on: a monthly fee on each circuit with Global Reach enabled, besides the data."""
        enabled: list[str] = []
        for pair in links:
            for name in pair:
                if name not in enabled:
                    enabled.append(name)
        for name in enabled:
            circuit = self.design.circuit(name)
            if circuit is None:
                continue
            zone, why, _ = self.circuit_zone(circuit)
            index = self.design.circuits.index(circuit)
            self.line(group=f"circuit {name}", kind="circuit", obj=name, path=circuit.path or f"circuits[{index}]",
                      component=GLOBAL_REACH_ADDON.key,
                      description=f"Global Reach add-on ({format_bandwidth(circuit.bandwidth)}, {zone or 'unknown zone'})",
                      factors=[(Decimal(1), "month")], unit="month", book_unit="month",
                      request={"zone": zone, "bandwidth": circuit.bandwidth, "tier": circuit.sku.tier},
                      missing_reason="" if zone else why)

    def global_reach_link(self, a: str, b: str) -> None:
        group = f"Global Reach {a} <-> {b}"
        gb = self.usage.global_reach.get(frozenset((a, b)))
        if gb is None:
            gb = ZERO
            self.assume_quantity("Global Reach traffic not given: 0 GB/month", f"{a} <-> {b}",
                                 "traffic.global_reach[].gb_month, or --global-reach CIRCUIT:PEER=GB")
        zones = {}
        reasons = {}
        for name in (a, b):
            circuit = self.design.circuit(name)
            zone, why, _ = self.circuit_zone(circuit) if circuit else (None, f"no circuit '{name}'", None)
            zones[name], reasons[name] = zone, why
        if zones[a] == zones[b]:
            per_side = [(a, b, gb)]
        else:
            half = gb / 2
            per_side = [(a, b, half), (b, a, half)]
            if gb:
                self.assume(f"Global Reach {a} <-> {b} joins different pricing zones and only the two-way total is "
                            "known: half of it is priced in each direction")
        quantities: dict[tuple[str, Optional[str]], list] = {}
        for src, dst, volume in per_side:
            for direction, circuit in (("egress", src), ("ingress", dst)):
                key = (direction, zones[circuit])
                entry = quantities.setdefault(key, [ZERO, circuit])
                entry[0] += volume
        for (direction, zone), (volume, circuit) in quantities.items():
            where = "source" if direction == "egress" else "destination"
            self.line(group=group, kind="global_reach", obj=f"{a} <-> {b}", path="",
                      component=GLOBAL_REACH_DATA.key,
                      description=f"Global Reach data, {direction} at the {where} ({zone or 'unknown zone'})",
                      factors=[(volume, "GB")], unit="GB", book_unit="GB",
                      request={"direction": direction, "zone": zone},
                      missing_reason=reasons[circuit] if zone is None else "",
                      label=f"Data {direction} at the {where} ({zone or 'unknown zone'})")

    # ------------------------------------------------------------------ carrier side
    def carriers(self) -> None:
        covered: set[str] = set()
        for p_index, provider in enumerate(self.design.providers):
            group = f"carrier {provider.name}"
            for v_index, vc in enumerate(provider.virtual_circuits):
                covered.add(vc.circuit)
                path = vc.path or f"providers[{p_index}].virtual_circuits[{v_index}]"
                circuit = self.design.circuit(vc.circuit)
                bandwidth = vc.bandwidth or (circuit.bandwidth if circuit else None)
                label = f"Virtual circuit {vc.name} ({vc.link}, {format_bandwidth(bandwidth) if bandwidth else '?'}) to {vc.circuit}"
                request = {"bandwidth": bandwidth, "provider_kind": provider.kind}
                for book_unit, fee, suffix in (("month", vc.monthly_fee, "monthly"), ("one-time", vc.one_time_fee, "one-time")):
                    self.carrier_line(group, "virtual_circuit", vc, path, CARRIER_VIRTUAL_CIRCUIT.key,
                                      f"{label}: {suffix}", Decimal(1), "virtual circuit", book_unit, fee, request,
                                      "monthly_fee" if book_unit == "month" else "one_time_fee", label,
                                      other_quoted=(vc.one_time_fee if book_unit == "month" else vc.monthly_fee) is not None)
            for x_index, xc in enumerate(provider.cross_connects):
                path = xc.path or f"providers[{p_index}].cross_connects[{x_index}]"
                count = Decimal(xc.count)
                noun = "cross-connect" if xc.count == 1 else "cross-connects"
                request = {"provider_kind": provider.kind}
                label = (f"Cross-connect {xc.name}{f' ×{xc.count}' if xc.count > 1 else ''}"
                         f"{f' at {xc.site}' if xc.site else ''}")
                for book_unit, fee, suffix in (("month", xc.monthly_fee, "monthly"), ("one-time", xc.one_time_fee, "one-time")):
                    self.carrier_line(group, "cross_connect", xc, path, CROSS_CONNECT.key, f"{label}: {suffix}",
                                      count, noun, book_unit, fee, request,
                                      "monthly_fee" if book_unit == "month" else "one_time_fee", label,
                                      other_quoted=(xc.one_time_fee if book_unit == "month" else xc.monthly_fee) is not None)
        for c in self.design.circuits:
            if not c.is_direct and c.name not in covered:
                self.assume_quantity("no carrier virtual circuits in the design: the carrier side (a layer-2 link to "
                                     "each of the two Microsoft edge routers) is not included", f"circuit {c.name}",
                                     "providers[].virtual_circuits[] (with monthly_fee / one_time_fee from your quote)")

    def carrier_line(self, group, kind, node, path, component, description, count, noun, book_unit, fee, request,
                     field_name, label="", other_quoted=False) -> None:
        """A carrier fee: the design's quote, else the books. When the design quotes the other fee of the
        same link but not this one, this one is 'not quoted' (unpriced), never filled with an estimate."""
        unit = "one-time" if book_unit == "one-time" else "month"
        factors = [(count, noun)]
        if fee is None and other_quoted:
            other = "one_time_fee" if field_name == "monthly_fee" else "monthly_fee"
            self.line(group=group, kind=kind, obj=node.name, path=path, component=component, description=description,
                      factors=factors, unit=unit, book_unit=book_unit, request=request, label=label,
                      missing_reason=f"not quoted: the design gives its {other} but no {field_name} "
                                     f"(write {field_name}: 0 if there is none)")
            return
        if fee is None:
            self.line(group=group, kind=kind, obj=node.name, path=path, component=component, description=description,
                      factors=factors, unit=unit, book_unit=book_unit, request=request, label=label)
            return
        where = node.loc(field_name)
        if node.currency.upper() != self.currency:
            self.line(group=group, kind=kind, obj=node.name, path=path, component=component, description=description,
                      factors=factors, unit=unit, book_unit=book_unit, request=request,
                      missing_reason=f"the quote is in {node.currency} and the report in {self.currency}; "
                                     "erdesign does not convert currencies", label=label)
            return
        quote = Quote(amount=dec(fee), unit=book_unit, currency=self.currency, confidence="quote", source_id="design",
                      source_text=DESIGN_SOURCE, as_of=None, book="design",
                      note=f"quote written in the design at {where}" if where else "quote written in the design")
        self.line(group=group, kind=kind, obj=node.name, path=path, component=component, description=description,
                  factors=factors, unit=unit, book_unit=book_unit, request=request, quote=quote, label=label)


def _describe(request: dict[str, Any]) -> str:
    parts = []
    for key, value in request.items():
        if value is None:
            continue
        if key in ("bandwidth", "port_bandwidth"):
            value = format_bandwidth(value)
        parts.append(f"{key} {value}")
    return ", ".join(parts) or "any"
