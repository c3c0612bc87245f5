"""Metered vs Unlimited per circuit: both monthly costs side by side and the break-even volume.

Break-even V (GB/month) solves  metered_port + V × egress_rate = unlimited_port.
Capacity is what the circuit could carry out of Azure in a month at full rate:
bandwidth (Mbps) × 10^6 / 8 bytes/s × 3600 s × hours, in GB of 10^9 bytes
(1 Gbps × 730 h = 328,500 GB).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from ..model import format_bandwidth
from .book import PriceBooks, Quote
from .money import cents, fmt_money, fmt_number, quantize
from .pricer import metro_reason
from .report import PlanComparison
from .usage import Usage

_RANK = {"verified": 0, "quote": 1, "estimate": 2}
IMPORT_HINT = "fetch the prices (erdesign pricing fetch) or pass your quote with --pricing"


def not_comparable(what: str) -> str:
    """The recommendation when a price of either plan is missing: no plan is called cheaper."""
    return f"not comparable: {what} unpriced; {IMPORT_HINT}"


def capacity_gb(bandwidth_mbps: int, hours: int) -> Decimal:
    return Decimal(bandwidth_mbps) * Decimal("0.45") * Decimal(hours)  # Mbps × 10^6/8 × 3600 / 10^9 = × 0.45


def break_even_gb(metered_port: Decimal, unlimited_port: Decimal, rate: Decimal) -> Decimal:
    """Outbound GB/month at which both plans cost the same (0 when Unlimited is never dearer)."""
    if unlimited_port <= metered_port:
        return Decimal(0)
    return (unlimited_port - metered_port) / rate


def compare(design, books: PriceBooks, usage: Usage, *, hours: int, plan_of, zone_of) -> list[PlanComparison]:
    out = []
    for c in design.circuits:
        zone, why, location = zone_of(c)
        plan = plan_of(c)
        gb = usage.egress.get(c.name)
        row = PlanComparison(circuit=c.name, plan=plan, bandwidth_mbps=c.bandwidth, zone=zone, egress_gb=gb)
        out.append(row)
        if c.bandwidth is None:
            row.confidence = "n/a"
            row.recommendation = "bandwidth unknown at design time; no plan comparison"
            continue
        if c.sku.tier == "Local":
            row.confidence = "n/a"
            row.recommendation = "ExpressRoute Local is Unlimited only (outbound data included); no plan to choose"
            continue
        if c.is_direct:
            row.confidence = "n/a"
            row.recommendation = (f"on ExpressRoute Direct the data plan is the port pair's (billing_type): see the row "
                                  f"of port pair {c.express_route_port}")
            continue
        metro = metro_reason(location)
        if metro:
            row.missing.append(f"{c.sku.tier} {format_bandwidth(c.bandwidth)} Metro port fees")
            row.recommendation = f"not comparable: {metro}"
            row.confidence = "unpriced"
            continue
        if zone is None:
            row.confidence = "unpriced"
            row.missing.append(f"pricing zone ({why})")
            row.recommendation = f"not comparable: the port fees depend on the pricing zone, and {why}"
            continue
        bw = format_bandwidth(c.bandwidth)
        asked = {"tier": c.sku.tier, "bandwidth": c.bandwidth, "zone": zone, "direct": False}
        metered = books.find("circuit_port", "month", plan="MeteredData", **asked)
        unlimited = books.find("circuit_port", "month", plan="UnlimitedData", **asked)
        rate = books.find("circuit_egress", "GB", plan="MeteredData", tier=c.sku.tier, zone=zone, bandwidth=c.bandwidth)
        for quote, label in ((metered, f"{c.sku.tier} Metered {bw} port fee ({zone})"),
                             (unlimited, f"{c.sku.tier} Unlimited {bw} port fee ({zone})"),
                             (rate, f"metered outbound rate ({zone})")):
            if quote is None:
                row.missing.append(label)
        row.metered_port = metered.amount if metered else None
        row.unlimited_port = unlimited.amount if unlimited else None
        row.egress_rate = rate.amount if rate else None
        if metered and rate and gb is not None:
            row.metered_monthly = cents(metered.amount + cents(gb * rate.amount))
        if unlimited:
            row.unlimited_monthly = cents(unlimited.amount)
        if row.missing:
            row.recommendation = not_comparable(_and(row.missing))
            row.confidence = "unpriced"
            continue
        row.confidence = _weakest(metered, unlimited, rate)
        if rate.amount <= 0:
            row.recommendation = "no break-even: the metered outbound rate is 0"
            continue
        row.break_even_gb = break_even_gb(metered.amount, unlimited.amount, rate.amount)
        row.capacity_gb = capacity_gb(c.bandwidth, hours)
        row.break_even_pct = quantize(row.break_even_gb / row.capacity_gb * 100, Decimal("0.1"))
        row.recommendation = _recommend(row, books.currency)
    for port in design.express_route_ports:
        out.append(_port_row(design, port, books, usage, hours, plan_of))
    return out


def _port_row(design, port, books: PriceBooks, usage: Usage, hours: int, plan_of) -> PlanComparison:
    """Metered vs Unlimited for an ExpressRoute Direct port pair: the pair's fee on each plan, plus the
    outbound data of its circuits (billed per circuit, by the zone of the peering location) on Metered."""
    from .pricer import location_zone

    circuits = [c for c in design.circuits if c.express_route_port == port.name]
    zone, why = location_zone(port.peering_location)
    given = [usage.egress[c.name] for c in circuits if c.name in usage.egress]
    gb = sum(given, Decimal(0)) if given else None
    row = PlanComparison(circuit=f"{port.name} (Direct port pair)", plan=port.billing_type,
                         bandwidth_mbps=port.bandwidth, zone=zone, egress_gb=gb)
    if zone is None:
        row.confidence = "unpriced"
        row.missing.append(f"pricing zone ({why})")
        row.recommendation = f"not comparable: the port-pair fees depend on the pricing zone, and {why}"
        return row
    bw = format_bandwidth(port.bandwidth)
    metered = books.find("direct_port_pair", "month", port_bandwidth=port.bandwidth, plan="MeteredData", zone=zone)
    unlimited = books.find("direct_port_pair", "month", port_bandwidth=port.bandwidth, plan="UnlimitedData", zone=zone)
    rate = _port_rate(books, circuits, usage, zone)
    for quote, label in ((metered, f"Metered {bw} port-pair fee ({zone})"),
                         (unlimited, f"Unlimited {bw} port-pair fee ({zone})"),
                         (rate, f"metered outbound rate ({zone})")):
        if quote is None:
            row.missing.append(label)
    row.metered_port = metered.amount if metered else None
    row.unlimited_port = unlimited.amount if unlimited else None
    row.egress_rate = rate.amount if rate else None
    if metered and rate and gb is not None:
        row.metered_monthly = cents(metered.amount + cents(gb * rate.amount))
    if unlimited:
        row.unlimited_monthly = cents(unlimited.amount)
    if row.missing:
        row.recommendation = not_comparable(_and(row.missing))
        row.confidence = "unpriced"
        return row
    row.confidence = _weakest(metered, unlimited, rate)
    if rate.amount <= 0:
        row.recommendation = "no break-even: the metered outbound rate is 0"
        return row
    row.break_even_gb = break_even_gb(metered.amount, unlimited.amount, rate.amount)
    row.capacity_gb = capacity_gb(port.bandwidth, hours)
    row.break_even_pct = quantize(row.break_even_gb / row.capacity_gb * 100, Decimal("0.1"))
    row.recommendation = _recommend(row, books.currency)
    return row


def _port_rate(books: PriceBooks, circuits, usage: Usage, zone: str) -> Optional[Quote]:
    """The metered outbound rate of a port pair's circuits (billed per circuit, by zone). When their
    rates differ (by bandwidth), the average weighted by their egress; missing if any is unpriced."""
    if not circuits:
        return books.find("circuit_egress", "GB", plan="MeteredData", zone=zone, direct=True)
    quotes = [books.find("circuit_egress", "GB", plan="MeteredData", tier=c.sku.tier, zone=zone, bandwidth=c.bandwidth,
                         direct=True) for c in circuits]
    if any(q is None for q in quotes):
        return None
    if len({q.amount for q in quotes}) == 1:
        return quotes[0]
    volumes = [usage.egress.get(c.name, Decimal(0)) for c in circuits]
    total = sum(volumes, Decimal(0))
    if not total:
        return None
    weighted = sum((v * q.amount for v, q in zip(volumes, quotes)), Decimal(0)) / total
    weakest = max(quotes, key=lambda q: _RANK.get(q.confidence, 3))
    return Quote(amount=weighted, unit="GB", currency=weakest.currency, confidence=weakest.confidence,
                 source_id=weakest.source_id, source_text=weakest.source_text, as_of=weakest.as_of, book=weakest.book)


def plan_changes(design) -> list[str]:
    """How a plan may change later (it matters when choosing): listed once under the comparison."""
    from ..data import table

    rules = table("sku_rules")

    def source_line(_table: str, source_id: str) -> str:
        found = next((src for src in rules.get("sources", []) if src.get("id") == source_id), {})
        title = str(found.get("title", source_id)).split(" (")[0]
        return f"source: {title}, {found['url']}" if found.get("url") else f"source: {title}"

    out = []
    if any(not c.is_direct and c.sku.tier != "Local" for c in design.circuits):
        allowed = {(t["from"], t["to"]): t["allowed"] for t in rules["transitions"]["billing"]}
        if allowed.get(("MeteredData", "UnlimitedData")) and not allowed.get(("UnlimitedData", "MeteredData")):
            out.append(f"a provider circuit can move from Metered to Unlimited later, but not back "
                       f"({source_line('sku_rules', rules['transitions']['source'])}): when unsure, start Metered")
    if design.express_route_ports:
        direct = rules["direct"]
        changes = {(t["from"], t["to"]): t["allowed"] for t in direct.get("port_billing_changes", [])}
        if changes.get(("MeteredData", "UnlimitedData")) and changes.get(("UnlimitedData", "MeteredData")):
            out.append(f"an ExpressRoute Direct port pair can switch between Metered and Unlimited in either "
                       f"direction ({source_line('sku_rules', direct['port_billing_changes_source'])})")
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _weakest(*quotes: Optional[Quote]) -> str:
    return max((q.confidence for q in quotes if q), key=lambda c: _RANK.get(c, 3))


def _recommend(row: PlanComparison, currency: str) -> str:
    threshold = f"{fmt_number(row.break_even_gb, 0)} GB/month ({fmt_number(row.break_even_pct, 1)}% of capacity)"
    caveat = "" if row.confidence == "verified" else f" [{row.confidence} prices]"
    if row.break_even_gb == 0:
        return f"Unlimited: it costs no more than Metered at any volume{caveat}"
    if row.egress_gb is None:
        return f"no outbound usage given: Metered is cheaper below {threshold}, Unlimited above{caveat}"
    diff = row.unlimited_monthly - row.metered_monthly
    if diff > 0:
        return (f"Metered: {fmt_money(diff)} {currency}/month cheaper at {fmt_number(row.egress_gb)} GB/month; "
                f"Unlimited pays off above {threshold}{caveat}")
    if diff < 0:
        return (f"Unlimited: {fmt_money(-diff)} {currency}/month cheaper at {fmt_number(row.egress_gb)} GB/month; "
                f"Metered only pays off below {threshold}{caveat}")
    return f"either: both plans cost the same at {fmt_number(row.egress_gb)} GB/month{caveat}"


def scenario_verdicts(report) -> list[str]:
    """Per circuit (and Direct port pair) whose plans are comparable: which plan wins in which
    scenario, holding the break-even against the range of egress the scenarios span."""
    out = []
    for row in report.comparisons:
        if row.break_even_gb is None:
            continue
        volumes: list[tuple[str, Decimal]] = []
        if row.egress_gb is not None:
            volumes.append(("base", row.egress_gb))
        for result in report.scenarios:
            other = next((r for r in result.report.comparisons if r.circuit == row.circuit), None)
            if other is None or other.egress_gb is None:
                continue
            span = result.report.egress_range.get(row.circuit)
            if span:
                months = result.report.months
                volumes += [(f"{result.name} (month 1)", span[0]), (f"{result.name} (month {months})", span[1])]
            else:
                volumes.append((result.name, other.egress_gb))
        if not volumes:
            out.append(f"{row.circuit}: no egress given in any scenario; break-even at "
                       f"{fmt_number(row.break_even_gb, 0)} GB/month")
            continue
        low, high = min(v for _, v in volumes), max(v for _, v in volumes)
        span_text = f"{fmt_number(low, 0)}–{fmt_number(high, 0)} GB/month" if low != high else \
            f"{fmt_number(low, 0)} GB/month"
        threshold = f"{fmt_number(row.break_even_gb, 0)} GB/month ({fmt_number(row.break_even_pct, 1)}% of capacity)"
        if row.break_even_gb == 0:
            out.append(f"{row.circuit}: Unlimited in every scenario: it costs no more than Metered at any volume")
            continue
        below = [name for name, v in volumes if v < row.break_even_gb]
        above = [name for name, v in volumes if v > row.break_even_gb]
        if not above:
            out.append(f"{row.circuit}: Metered in every scenario: egress {span_text} stays below the break-even "
                       f"of {threshold}")
        elif not below:
            out.append(f"{row.circuit}: Unlimited in every scenario: egress {span_text} stays above the break-even "
                       f"of {threshold}")
        else:
            out.append(f"{row.circuit}: the break-even ({threshold}) falls inside the scenario range ({span_text}): "
                       f"Metered for {_and(below)}; Unlimited for {_and(above)}")
    return out
