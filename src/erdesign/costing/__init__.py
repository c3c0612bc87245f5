"""Costing: the whole TCO of an ExpressRoute design, honest about where each price comes from.

``compute(design, **options)`` prices every building block - circuit port fees,
outbound data, ExpressRoute Direct port pairs, gateways, VPN gateways, VNet
peering data, Global Reach data, carrier virtual circuits and cross-connects -
from layered price books (pricing/*.yaml plus ``pricing=[...]`` overlays) and
returns a :class:`CostReport`. A price that no book has is an UNPRICED line,
never a silent 0, and the totals say what they leave out.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from .report import CostLine, CostReport, PlanComparison, Totals

__all__ = ["compute", "CostReport", "CostLine", "Totals", "PlanComparison", "normalize_plan", "MAX_MONTHS"]

# A sanity bound on the TCO horizon (a typo guard, not an Azure fact): a hundred years.
MAX_MONTHS = 1200


def normalize_plan(plan: Optional[str]) -> Optional[str]:
    """'metered' / 'MeteredData' -> 'MeteredData'; None stays None (each circuit's own plan)."""
    if plan is None:
        return None
    from ..errors import InputError
    from ..facts import norm

    key = norm(plan)
    if key in ("metered", "metereddata"):
        return "MeteredData"
    if key in ("unlimited", "unlimiteddata"):
        return "UnlimitedData"
    raise InputError(f"plan {plan!r} is not metered or unlimited")


def compute(design, *, months: int = 36, plan: Optional[str] = None, pricing: Iterable[Any] = (),
            egress: Optional[Mapping[str, Any]] = None, peering_out: Optional[Mapping[str, Any]] = None,
            peering_in: Optional[Mapping[str, Any]] = None, global_reach: Optional[Mapping[Any, Any]] = None,
            vpn: Optional[Mapping[str, Any]] = None, books=None) -> CostReport:
    """Price a resolved design.

    months: TCO horizon (default 36). plan: 'metered' | 'unlimited' to reprice every
    circuit on that plan (what-if), None for each circuit's own plan. pricing: extra
    price books (paths or PriceBook objects), applied over the packaged ones in order.
    egress / peering_out / peering_in / vpn: {name: GB per month}; global_reach:
    {(circuit, peer) or 'circuit:peer': GB per month} - they replace the design's traffic.
    """
    from ..errors import InputError
    from .book import PriceBooks, load_books
    from .breakeven import compare
    from .pricer import DESIGN_SOURCE, Pricer
    from .usage import read_usage

    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise InputError(f"months must be a whole number of months from 1 to {MAX_MONTHS}, got {months!r}")
    plan = normalize_plan(plan)
    if books is None:
        books = load_books(list(pricing or ()))
    elif not isinstance(books, PriceBooks):
        raise TypeError("books must be a PriceBooks")
    hours = books.hours_per_month
    if not hours:
        raise InputError("no price book defines hours_per_month")
    usage = read_usage(design, egress=egress, peering_out=peering_out, peering_in=peering_in,
                       global_reach=global_reach, vpn=vpn)
    from .vwan import price_virtual_wan

    pricer = Pricer(design, books, usage, hours=hours, plan=plan)
    pricer.circuits()
    pricer.direct_ports()
    pricer.gateways()
    price_virtual_wan(pricer)
    pricer.vnet_peerings()
    pricer.global_reach()
    pricer.carriers()
    pricer.note_not_listed()
    comparisons = compare(design, books, usage, hours=hours, plan_of=pricer.circuit_plan, zone_of=pricer.circuit_zone)
    sources = books.sources_used()
    sources.setdefault("design", DESIGN_SOURCE)
    if books.hours_per_month_source:
        pricer.assume(f"hourly meters are priced at {hours} hours a month, the Azure pricing calculator's convention "
                      f"(source {books.hours_per_month_source})")
    return CostReport(design=design.name or "design", currency=books.currency, months=months, hours_per_month=hours,
                      plan_override=plan, lines=pricer.lines, comparisons=comparisons,
                      assumptions=pricer.assumptions, sources=sources, books=books.describe(),
                      hours_source=books.hours_per_month_source)
