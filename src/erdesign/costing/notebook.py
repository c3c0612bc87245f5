"""Notebook views of a cost report: an HTML summary (totals, plan comparison, the cost lines
folded), and the totals and comparisons as pandas DataFrames (pandas is optional)."""
from __future__ import annotations

import html
from decimal import Decimal
from typing import Optional

from .money import fmt_money, fmt_number



def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("DataFrames need pandas, an optional extra: pip install 'erdesign[pandas]'") from None
    return pd


def _float(value: Optional[Decimal]) -> Optional[float]:
    return None if value is None else float(value)


def _total_values(totals) -> list[tuple]:
    """(label, amount, complete, estimate part, quote part, what is left out) per total, in Decimals."""
    from .report import unpriced_summary

    quote_m = totals.monthly_by_confidence.get("quote", Decimal(0))
    quote_o = totals.one_time_by_confidence.get("quote", Decimal(0))
    est_m, est_o = totals.estimate_monthly, totals.estimate_one_time
    m = totals.months
    return [
        ("Monthly", totals.monthly, totals.monthly_complete, est_m, quote_m, unpriced_summary(totals.unpriced_monthly)),
        ("One-time", totals.one_time, totals.one_time_complete, est_o, quote_o,
         unpriced_summary(totals.unpriced_one_time)),
        ("First year", totals.first_year, totals.complete, est_m * 12 + est_o, quote_m * 12 + quote_o,
         unpriced_summary(totals.unpriced)),
        (f"TCO ({m} months)", totals.tco, totals.complete, est_m * m + est_o, quote_m * m + quote_o,
         unpriced_summary(totals.unpriced)),
    ]


def totals_rows(totals) -> list[dict]:
    """One row per total: amount, whether it is complete (else a lower bound), estimate and quote parts."""
    return [{"total": label, "amount": _float(amount), "complete": complete, "estimate": _float(estimate),
             "quote": _float(quote), "not_included": missing or ""}
            for label, amount, complete, estimate, quote, missing in _total_values(totals)]


def totals_frame(totals):
    return _pandas().DataFrame(totals_rows(totals)).set_index("total")


def comparisons_frame(report):
    """Metered vs Unlimited per circuit (monthly), with the break-even outbound volume."""
    pd = _pandas()
    rows = [{"circuit": c.circuit, "plan": c.plan, "bandwidth_mbps": c.bandwidth_mbps, "zone": c.zone,
             "egress_gb_month": _float(c.egress_gb), "metered_monthly": _float(c.metered_monthly),
             "unlimited_monthly": _float(c.unlimited_monthly), "break_even_gb_month": _float(c.break_even_gb),
             "break_even_pct_of_capacity": _float(c.break_even_pct), "comparable": c.comparable,
             "recommendation": c.recommendation} for c in report.comparisons]
    columns = ["circuit", "plan", "bandwidth_mbps", "zone", "egress_gb_month", "metered_monthly",
               "unlimited_monthly", "break_even_gb_month", "break_even_pct_of_capacity", "comparable",
               "recommendation"]
    return pd.DataFrame(rows, columns=columns)


def amount_text(amount: Decimal, complete: bool) -> str:
    return fmt_money(amount) if complete else f"≥ {fmt_money(amount)}"


def totals_repr(totals) -> str:
    return (f"Totals(monthly={amount_text(totals.monthly, totals.monthly_complete)}, "
            f"one_time={amount_text(totals.one_time, totals.one_time_complete)}, "
            f"first_year={amount_text(totals.first_year, totals.complete)}, "
            f"tco_{totals.months}_months={amount_text(totals.tco, totals.complete)}, "
            f"complete={totals.complete})")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(report) -> str:
    """Summary first (totals, plan comparison), then the cost lines per object in a <details>."""
    t = report.totals
    cur = html.escape(report.currency)
    parts = [f"<h4>Cost of {html.escape(report.design)} ({cur}, {report.months}-month TCO)</h4>"]
    rows = [[label, amount_text(amount, complete), fmt_money(estimate), fmt_money(quote), missing or ""]
            for label, amount, complete, estimate, quote, missing in _total_values(t)]
    parts.append(_table(["", "Amount", "of which ESTIMATE", "of which quote", "Not included"], rows))
    if t.unpriced:
        parts.append(f"<p><b>NOT INCLUDED</b>: {len(t.unpriced)} unpriced line(s); totals marked ≥ are lower "
                     "bounds.</p>")
    if report.comparisons:
        parts.append("<h5>Metered vs Unlimited (per circuit, monthly)</h5>")
        rows = [[c.circuit, c.plan, fmt_number(Decimal(c.bandwidth_mbps)) + " Mbps",
                 fmt_money(c.metered_monthly) if c.metered_monthly is not None else "UNPRICED",
                 fmt_money(c.unlimited_monthly) if c.unlimited_monthly is not None else "UNPRICED",
                 fmt_number(c.break_even_gb, 0) if c.break_even_gb is not None else "—", c.recommendation]
                for c in report.comparisons]
        parts.append(_table(["Circuit", "Plan", "Bandwidth", "Metered", "Unlimited", "Break-even GB", ""], rows))
    lines = [[line.group, line.description, fmt_number(line.quantity) if line.quantity is not None else "",
              fmt_money(line.monthly) if line.monthly is not None else ("UNPRICED" if not line.priced else ""),
              fmt_money(line.one_time) if line.one_time is not None else "", line.confidence.upper()
              if line.confidence in ("estimate", "unpriced") else line.confidence, line.formula or "",
              line.source or ""] for line in report.lines]
    parts.append(f"<details><summary>Cost lines ({len(report.lines)})</summary>"
                 + _table(["Object", "Item", "Qty", "Monthly", "One-time", "Confidence", "Formula", "Source"], lines)
                 + "</details>")
    return "\n".join(parts)
