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
IMPORT_HINT = "import the prices (erdesign pricing import) or pass your quote with --pricing"


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
            row.recommendation = ("on ExpressRoute Direct the data plan is chosen per port pair "
                                  "(billing_type): compare the port-pair quotes")
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
