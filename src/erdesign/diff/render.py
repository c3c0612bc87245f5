"""`erdesign diff` output: text, json, markdown (for a pull-request comment: summary first, details folded)."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Optional

from ..costing.money import fmt_money
from .report import DiffReport
from .safety import class_ids, class_label

FORMATS = ("text", "json", "markdown")


def render(report: DiffReport, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    return _text(report)


def summary_line(report: DiffReport) -> str:
    counts = report.counts_by_class()
    if not report.changes:
        changes = "no design change"
    else:
        order = class_ids()[::-1] + ["unclassified"]
        parts = [f"{counts[c]} {class_label(c)}" for c in order if counts.get(c)]
        changes = f"{len(report.changes)} change{'s' if len(report.changes) != 1 else ''} ({', '.join(parts)})"
    f = report.findings
    findings = f"findings: {len(f.new)} new, {len(f.fixed)} fixed, {len(f.unchanged)} unchanged"
    cost = cost_phrase(report)
    return f"{changes}; {findings}; {cost}"


def cost_phrase(report: DiffReport) -> str:
    """'monthly cost +20.00 USD', or why the change is unknown or covers priced lines only."""
    monthly = report.cost.totals()["monthly"][2]
    unknown = len(report.cost.unpriced_changes)
    if unknown:
        return (f"monthly cost change unknown: {unknown} changed line{'s' if unknown != 1 else ''} unpriced "
                f"(priced lines: {_signed(monthly)} {report.cost.currency})")
    text = f"monthly cost {_signed(monthly)} {report.cost.currency}"
    return text if report.cost.complete else text + " (priced lines only)"


def _signed(value: Optional[Decimal]) -> str:
    if value is None:
        return "unknown"
    return ("+" if value > 0 else "") + fmt_money(value) if value else "±0.00"


def _estimate_mark(change) -> str:
    return " [estimate]" if change.safety.confidence == "estimate" else ""


def _locs(change) -> str:
    c = change.field_change
    old = f"{c.old_loc}" if c.old_loc else "-"
    new = f"{c.new_loc}" if c.new_loc else "-"
    return f"{old} -> {new}"


def _sign(change) -> str:
    return {"added": "+", "removed": "-"}.get(change.field_change.change, "~")


def _text(report: DiffReport) -> str:
    out = [f"erdesign diff {report.old_label} -> {report.new_label}", summary_line(report), ""]
    if report.changes:
        out.append("Changes")
        for ch in report.changes:
            out.append(f"  {_sign(ch)} {ch.describe()}  [{ch.safety.label}]{_estimate_mark(ch)}")
            out.append(f"      {_locs(ch)}")
            if ch.safety.note:
                out.append(f"      {ch.safety.note}")
            if ch.safety.citation:
                out.append(f"      source: {ch.safety.citation}")
        out.append("")
    out.extend(_findings_text(report))
    out.extend(_cost_text(report))
    if report.fail_on:
        failing = report.failing
        out.append(f"{len(failing)} change(s) at or above '{class_label(report.fail_on)}' (--fail-on {report.fail_on.replace('_', '-')})"
                   if failing else f"No change at or above '{class_label(report.fail_on)}'.")
    return "\n".join(out).rstrip() + "\n"


def _findings_text(report: DiffReport) -> list[str]:
    f = report.findings
    out = [f"Findings: {len(f.new)} new, {len(f.fixed)} fixed, {len(f.unchanged)} unchanged"]
    for label, items in (("new", f.new), ("fixed", f.fixed)):
        for x in items:
            out.append(f"  {label}: {x.loc}: {x.rule} {x.severity} {x.message}" if x.loc else
                       f"  {label}: {x.rule} {x.severity} {x.message}")
    out.append("")
    return out


def _amount(value, priced: bool) -> str:
    if not priced:
        return "UNPRICED"
    return fmt_money(value) if value is not None else "-"


def _cost_text(report: DiffReport) -> list[str]:
    from tabulate import tabulate

    cost = report.cost
    out = [f"Cost ({cost.currency} a month, one-time lines marked; the totals add first year and TCO over "
           f"{cost.months} months)"]
    rows = []
    for line in cost.changed_lines:
        what = line.new_description or line.old_description
        if line.old_description and line.new_description and line.old_description != line.new_description:
            what = f"{line.old_description} -> {line.new_description}"
        rows.append([line.group, what + (" (one-time)" if line.one_time else ""),
                     _amount(line.old_amount, line.old_priced), _amount(line.new_amount, line.new_priced),
                     _signed(line.delta) + ("*" if line.estimate and line.delta is not None else "")])
    if rows:
        out.append(tabulate(rows, headers=["object", "line", "old (a month)", "new (a month)", "delta"], tablefmt="simple",
                            disable_numparse=True))
    else:
        out.append("  no cost line changed")
    out.append("")
    totals = cost.totals()
    labels = {"monthly": "Monthly", "one_time": "One-time", "first_year": "First year",
              "tco": f"TCO ({cost.months} months)"}
    trows = [[labels[k], _bound(o, k, cost.old_totals), _bound(n, k, cost.new_totals), _signed(d)]
             for k, (o, n, d) in totals.items()]
    out.append(tabulate(trows, headers=["total", "old", "new", "delta"], tablefmt="simple", disable_numparse=True))
    if any(line.estimate for line in cost.changed_lines):
        out.append("* the delta uses an ESTIMATE amount")
    if not cost.complete:
        out.append(f"Totals marked >= leave out unpriced lines ({len(cost.old_totals.unpriced)} old, "
                   f"{len(cost.new_totals.unpriced)} new): their deltas cover priced lines only.")
    if cost.unpriced_changes:
        out.append(f"{len(cost.unpriced_changes)} changed line(s) have no price on one side: their delta is unknown.")
    out.append("")
    return out


def _bound(value: Decimal, key: str, totals) -> str:
    complete = {"monthly": totals.monthly_complete, "one_time": totals.one_time_complete}.get(key, totals.complete)
    return ("" if complete else ">= ") + fmt_money(value)


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(report: DiffReport) -> str:
    out = [f"### erdesign diff `{report.old_label}` → `{report.new_label}`", "", f"**{summary_line(report)}**", ""]
    worst = report.worst
    if worst is not None:
        out.append(f"Worst change: **{worst.safety.label}**{_estimate_mark(worst)} — {_md_escape(worst.describe())}")
        out.append("")
    if report.fail_on and report.failing:
        out.append(f"⚠️ {len(report.failing)} change(s) at or above *{class_label(report.fail_on)}*.")
        out.append("")
    if report.changes:
        out += [f"<details><summary>Changes ({len(report.changes)})</summary>", "",
                "| | change | safety | old location | new location | why |", "|---|---|---|---|---|---|"]
        for ch in report.changes:
            c = ch.field_change
            why = ch.safety.note + (f" ({ch.safety.source})" if ch.safety.source else "")
            out.append(f"| {_sign(ch)} | {_md_escape(ch.describe())} | {ch.safety.label}{_estimate_mark(ch)} | "
                       f"{c.old_loc or '–'} | {c.new_loc or '–'} | {_md_escape(why)} |")
        out += ["", "</details>", ""]
    f = report.findings
    out += [f"<details><summary>Findings: {len(f.new)} new, {len(f.fixed)} fixed, {len(f.unchanged)} unchanged"
            "</summary>", ""]
    if f.new or f.fixed:
        out += ["| | rule | severity | location | message |", "|---|---|---|---|---|"]
        for label, items in (("new", f.new), ("fixed", f.fixed)):
            for x in items:
                out.append(f"| {label} | {x.rule} | {x.severity} | {x.loc or ''} | {_md_escape(x.message)} |")
    else:
        out.append("No finding appeared or went away.")
    out += ["", "</details>", ""]
    cost = report.cost
    out += [f"<details><summary>Cost: {cost_phrase(report)}</summary>", "",
            "| object | line | old (a month) | new (a month) | delta |", "|---|---|---|---|---|"]
    for line in cost.changed_lines:
        out.append(f"| {_md_escape(line.group)} | {_md_escape(line.new_description or line.old_description)}"
                   f"{' (one-time)' if line.one_time else ''} | {_amount(line.old_amount, line.old_priced)} | "
                   f"{_amount(line.new_amount, line.new_priced)} | {_signed(line.delta)}{'*' if line.estimate and line.delta is not None else ''} |")
    out += ["", "| total | old | new | delta |", "|---|---|---|---|"]
    labels = {"monthly": "Monthly", "one_time": "One-time", "first_year": "First year", "tco": f"TCO ({cost.months} months)"}
    for k, (o, n, d) in cost.totals().items():
        out.append(f"| {labels[k]} | {_bound(o, k, cost.old_totals)} | {_bound(n, k, cost.new_totals)} | {_signed(d)} |")
    if not cost.complete:
        out += ["", "Totals marked ≥ leave out unpriced lines: their deltas cover priced lines only."]
    out += ["", "</details>", ""]
    return "\n".join(out)
