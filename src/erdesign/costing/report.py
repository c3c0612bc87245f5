"""The cost report: lines per object and component, totals, plan comparisons, assumptions."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from .money import ZERO, cents, plain, quantize

CONFIDENCES = ("verified", "quote", "estimate", "unpriced")

# What an unpriced line leaves out of a total, in words: component -> (one, many); carrier fees
# say whether they are the monthly or the one-time fee.
_NOUNS = {
    "circuit_port": ("port fee", "port fees"),
    "circuit_egress": ("outbound data charge", "outbound data charges"),
    "direct_port_pair": ("Direct port pair fee", "Direct port pair fees"),
    "direct_premium_addon": ("Premium add-on fee", "Premium add-on fees"),
    "er_gateway": ("gateway fee", "gateway fees"),
    "vpn_gateway": ("VPN gateway fee", "VPN gateway fees"),
    "vpn_data": ("VPN data charge", "VPN data charges"),
    "vnet_peering": ("VNet peering data charge", "VNet peering data charges"),
    "global_reach_data": ("Global Reach data charge", "Global Reach data charges"),
    "global_reach_addon": ("Global Reach add-on fee", "Global Reach add-on fees"),
    "public_ip": ("public IP fee", "public IP fees"),
    "carrier_virtual_circuit": ("virtual circuit fee", "virtual circuit fees"),
    "cross_connect": ("cross-connect fee", "cross-connect fees"),
}


@dataclass
class CostLine:
    """One priced (or unpriceable) component of one design object.

    ``monthly`` / ``one_time`` are already rounded to the cent; an unpriced
    line has ``unit_price`` None and no amounts, and ``reason`` says why.
    """

    object_kind: str  # circuit, express_route_port, gateway, vnet_peering, global_reach, virtual_circuit, cross_connect
    object: str  # object name (or 'A <-> B' for a link)
    component: str  # book component: circuit_port, circuit_egress, er_gateway, ...
    description: str  # 'Port fee: Standard Unlimited 1Gbps, Zone 1'
    quantity: Decimal
    unit: str  # h, SU·h, month, GB, one-time
    unit_price: Optional[Decimal]
    monthly: Optional[Decimal] = None
    one_time: Optional[Decimal] = None
    confidence: str = "verified"  # verified | quote | estimate | unpriced
    formula: str = ""
    source: str = ""  # source id or citation
    as_of: Optional[str] = None
    note: str = ""  # derivation (estimates), reason (unpriced), or remark
    group: str = ""  # the tree node this line hangs under, e.g. "circuit useasterc1cust1"
    path: str = ""  # design path, e.g. circuits[0]
    # Short name in the table's tree (not serialized): consecutive lines of one object with the same
    # label - a virtual circuit's monthly and one-time fees - are shown as one item there.
    label: str = ""
    # A one-time estimate of exactly 0 with no range: no fee is expected. Table and markdown fold
    # it into its item instead of printing a 0.00 ESTIMATE row (not serialized).
    none_expected: bool = False

    @property
    def priced(self) -> bool:
        return self.confidence != "unpriced"

    @property
    def is_one_time(self) -> bool:
        return self.unit == "one-time"

    def noun(self) -> tuple[str, str]:
        one, many = _NOUNS.get(self.component, (f"{self.component} line", f"{self.component} lines"))
        if self.component in ("carrier_virtual_circuit", "cross_connect") and self.is_one_time:
            one, many = one.replace(" fee", " one-time fee"), many.replace(" fees", " one-time fees")
        return one, many

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "object_kind": self.object_kind,
            "object": self.object,
            "path": self.path,
            "component": self.component,
            "description": self.description,
            "quantity": plain(self.quantity),
            "unit": self.unit,
            "unit_price": plain(self.unit_price),
            "monthly": plain(self.monthly),
            "one_time": plain(self.one_time),
            "confidence": self.confidence,
            "formula": self.formula,
            "source": self.source,
            "as_of": self.as_of,
            "note": self.note,
        }


def unpriced_summary(lines: list[CostLine]) -> str:
    """'4 port fees, 2 Global Reach data charges unpriced' ('' when there is none)."""
    order = list(_NOUNS)
    counts: dict[tuple[str, str], int] = {}
    for line in sorted(lines, key=lambda l: (order.index(l.component) if l.component in order else len(order),
                                             l.is_one_time)):
        counts[line.noun()] = counts.get(line.noun(), 0) + 1
    if not counts:
        return ""
    return ", ".join(f"{n} {one if n == 1 else many}" for (one, many), n in counts.items()) + " unpriced"


@dataclass
class Totals:
    """Sums of the priced lines. A total that leaves out an unpriced line is a lower bound:
    ``monthly_complete`` / ``one_time_complete`` say which (first year and TCO add both)."""

    monthly: Decimal
    one_time: Decimal
    months: int
    monthly_by_confidence: dict[str, Decimal]
    one_time_by_confidence: dict[str, Decimal]
    unpriced: list[CostLine]

    @property
    def first_year(self) -> Decimal:
        return self.monthly * 12 + self.one_time

    @property
    def tco(self) -> Decimal:
        return self.monthly * self.months + self.one_time

    @property
    def estimate_monthly(self) -> Decimal:
        return self.monthly_by_confidence.get("estimate", ZERO)

    @property
    def estimate_one_time(self) -> Decimal:
        return self.one_time_by_confidence.get("estimate", ZERO)

    @property
    def unpriced_monthly(self) -> list[CostLine]:
        return [line for line in self.unpriced if not line.is_one_time]

    @property
    def unpriced_one_time(self) -> list[CostLine]:
        return [line for line in self.unpriced if line.is_one_time]

    @property
    def complete(self) -> bool:
        """True when every line that carries a cost is priced: no total is a lower bound."""
        return not self.unpriced

    @property
    def monthly_complete(self) -> bool:
        return not self.unpriced_monthly

    @property
    def one_time_complete(self) -> bool:
        return not self.unpriced_one_time

    def excludes(self) -> list[str]:
        return [f"{line.group}: {line.description}" for line in self.unpriced]

    def to_dict(self) -> dict[str, Any]:
        return {
            "monthly": plain(self.monthly),
            "one_time": plain(self.one_time),
            "first_year": plain(self.first_year),
            "months": self.months,
            "tco": plain(self.tco),
            "complete": self.complete,
            "monthly_complete": self.monthly_complete,
            "one_time_complete": self.one_time_complete,
            "monthly_by_confidence": {k: plain(v) for k, v in self.monthly_by_confidence.items()},
            "one_time_by_confidence": {k: plain(v) for k, v in self.one_time_by_confidence.items()},
            "estimate_share_of_tco": plain(self._estimate_share()),
            "unpriced_lines": len(self.unpriced),
            "unpriced_summary": unpriced_summary(self.unpriced) or None,
            "excludes": self.excludes(),
        }

    def to_frame(self):
        """The totals as a pandas DataFrame (amount, complete, estimate and quote parts, what is left out)."""
        from .notebook import totals_frame

        return totals_frame(self)

    def __repr__(self) -> str:
        from .notebook import totals_repr

        return totals_repr(self)

    def _estimate_share(self) -> Optional[Decimal]:
        if not self.tco:
            return None
        estimate = self.estimate_monthly * self.months + self.estimate_one_time
        return quantize(estimate / self.tco, Decimal("0.0001"))


def make_totals(lines: list[CostLine], months: int) -> Totals:
    by_monthly = {c: ZERO for c in CONFIDENCES[:-1]}
    by_one_time = {c: ZERO for c in CONFIDENCES[:-1]}
    for line in lines:
        if not line.priced:
            continue
        by_monthly[line.confidence] += line.monthly or ZERO
        by_one_time[line.confidence] += line.one_time or ZERO
    return Totals(
        monthly=sum(by_monthly.values(), ZERO),
        one_time=sum(by_one_time.values(), ZERO),
        months=months,
        monthly_by_confidence=by_monthly,
        one_time_by_confidence=by_one_time,
        unpriced=[line for line in lines if not line.priced],
    )


@dataclass
class PlanComparison:
    """Metered vs Unlimited for one circuit, with the break-even outbound volume."""

    circuit: str
    plan: str  # the circuit's own plan (or the what-if plan)
    bandwidth_mbps: Optional[int]
    zone: Optional[str]
    egress_gb: Optional[Decimal]  # usage used for the comparison (None: not given)
    metered_port: Optional[Decimal] = None
    unlimited_port: Optional[Decimal] = None
    egress_rate: Optional[Decimal] = None
    metered_monthly: Optional[Decimal] = None  # port + egress at the given usage
    unlimited_monthly: Optional[Decimal] = None
    break_even_gb: Optional[Decimal] = None
    capacity_gb: Optional[Decimal] = None
    break_even_pct: Optional[Decimal] = None
    confidence: str = "verified"  # the weakest of the prices used
    missing: list[str] = field(default_factory=list)  # what is unpriced, when no break-even
    recommendation: str = ""

    @property
    def comparable(self) -> bool:
        """Both plans priced (ports and the outbound rate): only then may one be called cheaper."""
        return self.confidence not in ("unpriced", "n/a")

    def to_dict(self) -> dict[str, Any]:
        return {
            "circuit": self.circuit,
            "plan": self.plan,
            "bandwidth_mbps": self.bandwidth_mbps,
            "zone": self.zone,
            "egress_gb_month": plain(self.egress_gb),
            "metered_port_monthly": plain(self.metered_port),
            "unlimited_port_monthly": plain(self.unlimited_port),
            "egress_rate_per_gb": plain(self.egress_rate),
            "metered_monthly": plain(self.metered_monthly),
            "unlimited_monthly": plain(self.unlimited_monthly),
            "break_even_gb_month": plain(quantize(self.break_even_gb, Decimal("0.01"))) if self.break_even_gb is not None else None,
            "capacity_gb_month": plain(self.capacity_gb),
            "break_even_pct_of_capacity": plain(self.break_even_pct),
            "confidence": self.confidence,
            "comparable": self.comparable,
            "missing": list(self.missing),
            "recommendation": self.recommendation,
        }


@dataclass
class CostReport:
    """What `erdesign cost` prints and `erdesign.cost()` returns."""

    design: str
    currency: str
    months: int
    hours_per_month: int
    plan_override: Optional[str]
    lines: list[CostLine]
    comparisons: list[PlanComparison]
    assumptions: list[str]
    sources: dict[str, str]
    books: list[dict[str, Any]]
    hours_source: Optional[str] = None
    # assumed quantities, each once: {"assumed": ..., "applies_to": [...], "change": where to change it}
    assumed: list[dict[str, Any]] = field(default_factory=list)
    plan_changes: list[str] = field(default_factory=list)  # how a plan may change later (sourced rules)
    scenario: Optional[str] = None  # the usage scenario priced (None: the base traffic)
    scenario_names: list[str] = field(default_factory=list)  # the scenarios the design declares
    egress_range: dict[str, tuple] = field(default_factory=dict)  # growth: circuit -> (first, last month) GB
    scenarios: list["ScenarioResult"] = field(default_factory=list)  # --scenario all: each scenario's report
    scenario_verdicts: list[str] = field(default_factory=list)  # per circuit: break-even vs the scenario range

    def __post_init__(self):
        self.totals = make_totals(self.lines, self.months)

    @property
    def unpriced(self) -> list[CostLine]:
        return self.totals.unpriced

    def what_if_unpriced(self) -> Optional[dict[str, list[str]]]:
        """On a --metered / --unlimited what-if: the objects whose plan-dependent fees are unpriced
        on that plan ({'port_fees': [...], 'outbound_data': [...]}); None without a what-if."""
        if not self.plan_override:
            return None
        out: dict[str, list[str]] = {"port_fees": [], "outbound_data": []}
        for line in self.unpriced:
            key = {"circuit_port": "port_fees", "direct_port_pair": "port_fees",
                   "circuit_egress": "outbound_data"}.get(line.component)
            if key and line.object not in out[key]:
                out[key].append(line.object)
        return out

    def sources_used(self) -> dict[str, str]:
        """Source id -> description, for the sources the lines cite (quotes cite the design)."""
        used = [line.source for line in self.lines if line.source] + ([self.hours_source] if self.hours_source else [])
        out: dict[str, str] = {}
        for source in used:
            if source not in out:
                out[source] = self.sources.get(source, source)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "currency": self.currency,
            "months": self.months,
            "hours_per_month": self.hours_per_month,
            "plan_override": self.plan_override,
            "what_if_unpriced": self.what_if_unpriced(),
            "price_books": self.books,
            "lines": [line.to_dict() for line in self.lines],
            "totals": self.totals.to_dict(),
            "circuits": [c.to_dict() for c in self.comparisons],
            "plan_changes": list(self.plan_changes),
            **self._scenario_dict(),
            "assumed_quantities": [dict(a, applies_to=list(a["applies_to"])) for a in self.assumed],
            "assumptions": list(self.assumptions),
            "sources": self.sources_used(),
        }

    def _scenario_dict(self) -> dict[str, Any]:
        """Scenario keys, only when the design has scenarios (reports without them are unchanged)."""
        if not (self.scenario or self.scenarios or self.scenario_names):
            return {}
        out: dict[str, Any] = {"scenario": self.scenario or "base", "scenario_names": list(self.scenario_names)}
        if self.scenarios:
            out["scenarios"] = [s.to_dict() for s in self.scenarios]
            out["scenario_verdicts"] = list(self.scenario_verdicts)
        return out

    def to_frame(self):
        """The lines as a pandas DataFrame (pandas is optional: pip install erdesign[pandas])."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame() needs pandas: pip install 'erdesign[pandas]'") from None
        return pd.DataFrame([line.to_dict() for line in self.lines])

    # ---- notebooks
    def totals_frame(self):
        """Monthly, one-time, first-year and TCO totals as a DataFrame (needs pandas)."""
        return self.totals.to_frame()

    def comparisons_frame(self):
        """Metered vs Unlimited per circuit, with the break-even volume, as a DataFrame (needs pandas)."""
        from .notebook import comparisons_frame

        return comparisons_frame(self)

    def _repr_html_(self) -> str:
        from .notebook import report_html

        return report_html(self)

    def __repr__(self) -> str:
        from .notebook import amount_text

        t = self.totals
        return (f"<CostReport {self.design}: monthly {amount_text(t.monthly, t.monthly_complete)} {self.currency}, "
                f"TCO {self.months} months {amount_text(t.tco, t.complete)} {self.currency}, "
                f"{len(self.lines)} lines, {len(t.unpriced)} unpriced>")


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return cents(quantity * unit_price)


@dataclass
class ScenarioResult:
    """One usage scenario priced beside the base (cost --scenario all)."""

    name: str
    description: str
    report: CostReport

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "totals": self.report.totals.to_dict(),
                "circuits": [c.to_dict() for c in self.report.comparisons]}
