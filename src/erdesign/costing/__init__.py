"""Costing: the whole TCO of an ExpressRoute design, honest about where each price comes from.

``compute(design, **options)`` prices every building block - circuit port fees,
outbound data, ExpressRoute Direct port pairs and the Premium add-on, gateways and
their public IPs, VPN gateways, VNet peering data, Global Reach data and add-on,
carrier virtual circuits and cross-connects - from layered price books
(pricing/*.yaml, then the book of `erdesign pricing fetch` when it is newer, then
``pricing=[...]`` overlays) for the base traffic or one of its usage scenarios, and
returns a :class:`CostReport`. A price that no book has is an UNPRICED line,
never a silent 0, and the totals say what they leave out.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from .report import CostLine, CostReport, PlanComparison, ScenarioResult, Totals

__all__ = ["compute", "compute_scenarios", "CostReport", "CostLine", "Totals", "PlanComparison", "ScenarioResult",
           "normalize_plan", "MAX_MONTHS"]

# what the hourly meters price, for the assumption about hours a month
HOURLY = {"er_gateway": "ExpressRoute gateways", "vpn_gateway": "VPN gateways", "public_ip": "public IPs"}

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
            vpn: Optional[Mapping[str, Any]] = None, books=None, scenario: Optional[str] = None) -> CostReport:
    """Price a resolved design.

    months: TCO horizon (default 36). plan: 'metered' | 'unlimited' to reprice every
    circuit on that plan (what-if), None for each circuit's own plan. pricing: extra
    price books (paths or PriceBook objects), applied over the packaged ones in order.
    egress / peering_out / peering_in / vpn: {name: GB per month}; global_reach:
    {(circuit, peer) or 'circuit:peer': GB per month} - they replace the design's traffic.
    scenario: the name of one of the design's traffic.scenarios to price instead of the base
    traffic ('all' prices the base and adds every scenario, see :func:`compute_scenarios`).
    """
    if scenario == "all":
        return compute_scenarios(design, months=months, plan=plan, pricing=pricing, egress=egress,
                                 peering_out=peering_out, peering_in=peering_in, global_reach=global_reach, vpn=vpn,
                                 books=books)
    from ..errors import InputError
    from .book import PriceBooks, load_books
    from .breakeven import compare, plan_changes
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
                       global_reach=global_reach, vpn=vpn, scenario_name=scenario, months=months)
    from .vwan import price_virtual_wan

    pricer = Pricer(design, books, usage, hours=hours, plan=plan)
    for notice in books.notices:
        pricer.assume(notice)
    if usage.scenario:
        from .usage import scenario as scenario_of

        pricer.assume(f"usage scenario '{usage.scenario}': {scenario_of(design, usage.scenario, months).description}")
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
    hourly = sorted({HOURLY.get(line.component, line.component) for line in pricer.lines if line.unit in ("h", "SU·h")})
    if hourly:
        cited = f" (source {books.hours_per_month_source})" if books.hours_per_month_source else ""
        pricer.quantities = {"hours": {
            "assumed": f"{hours} hours a month for every hourly meter, the Azure pricing calculator's convention{cited}",
            "applies_to": hourly,
            "change": "hours_per_month in a price book (--pricing FILE)"}, **pricer.quantities}
    return CostReport(design=design.name or "design", currency=books.currency, months=months, hours_per_month=hours,
                      plan_override=plan, lines=pricer.lines, comparisons=comparisons,
                      assumptions=pricer.assumptions, sources=sources, books=books.describe(),
                      hours_source=books.hours_per_month_source, assumed=list(pricer.quantities.values()),
                      plan_changes=plan_changes(design), scenario=usage.scenario,
                      scenario_names=[s.name for s in design.traffic.scenarios],
                      egress_range=_egress_range(usage))


def _egress_range(usage) -> dict:
    """circuit -> (first month, last month) egress of a growing scenario."""
    return {name: (usage.egress_first[name], usage.egress_last[name]) for name in usage.egress_first
            if name in usage.egress_last}


def compute_scenarios(design, **options) -> CostReport:
    """The base report, with every scenario of traffic.scenarios priced beside it (report.scenarios) and,
    per circuit, the break-even held against the range of egress the scenarios span."""
    from .breakeven import scenario_verdicts
    from .book import load_books
    from .usage import scenario as scenario_of

    options = dict(options)
    if options.get("books") is None:
        options["books"] = load_books(list(options.pop("pricing", None) or ()))
    else:
        options.pop("pricing", None)
    base = compute(design, **options)
    months = options.get("months", 36)
    for name in [s.name for s in design.traffic.scenarios]:
        report = compute(design, scenario=name, **options)
        base.scenarios.append(ScenarioResult(name=name, description=scenario_of(design, name, months).description,
                                             report=report))
    base.scenario_verdicts = scenario_verdicts(base)
    return base
