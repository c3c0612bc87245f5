"""Render a CostReport as a table (infracost-style tree), markdown, CSV or JSON.

The table is for a 120-column terminal: each item's formula and price source sit
on an indented line under it, and a carrier link's monthly and one-time fees are
one item. Markdown and CSV keep Formula and Source as columns (documents,
spreadsheets); JSON is the report's own dictionary.

Estimate and unpriced lines are marked in every format: ESTIMATE / UNPRICED in
capitals with a numbered note (the derivation or the reason), and the totals
say how much is estimate and what is left out.
"""
from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from decimal import Decimal
from typing import Optional

from .money import cents, fmt_money, fmt_number
from .report import CostLine, CostReport

FORMATS = ("table", "json", "csv", "markdown")
WIDTH = 120  # the table format is laid out for a 120-column terminal
LEGEND = ("verified = cited list price; quote = your figure from the design or your price book; "
          "ESTIMATE = derived or typical figure (see its note); UNPRICED = no defensible price: "
          "left out of the totals")


def render(report: CostReport, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(report)
    if fmt == "markdown":
        return _text(report, markdown=True)
    return _text(report, markdown=False)


# --------------------------------------------------------------------------- notes

class _Notes:
    """Numbered notes ([1], [2], ...) for estimate derivations and unpriced reasons."""

    def __init__(self):
        self.items: list[str] = []

    def ref(self, text: str) -> str:
        if not text:
            return ""
        if text not in self.items:
            self.items.append(text)
        return f"[{self.items.index(text) + 1}]"


def _confidence(line: CostLine, notes: _Notes, markdown: bool) -> str:
    if line.confidence in ("estimate", "unpriced"):
        word = line.confidence.upper()
        if markdown:
            word = f"**{word}**"
        return f"{word} {notes.ref(line.note)}".strip()
    return line.confidence


def _money_cell(value: Optional[Decimal], line: CostLine, markdown: bool) -> str:
    if not line.priced:
        return "**UNPRICED**" if markdown else "UNPRICED"
    if value is None:
        return ""
    text = fmt_money(value)
    return f"{text}*" if line.confidence == "estimate" else text


def _cell(text: str, markdown: bool) -> str:
    return text.replace("|", "\\|") if markdown else text


def _groups(lines: list[CostLine]) -> list[tuple[str, list[CostLine]]]:
    order: list[str] = []
    by_group: dict[str, list[CostLine]] = {}
    for line in lines:
        if line.group not in by_group:
            order.append(line.group)
            by_group[line.group] = []
        by_group[line.group].append(line)
    return [(g, by_group[g]) for g in order]


# --------------------------------------------------------------------------- table / markdown

def _text(report: CostReport, markdown: bool) -> str:
    cur = report.currency
    notes = _Notes()
    out: list[str] = []
    books = ", ".join(f"{b['book']} {b['as_of']}" + (" (ILLUSTRATIVE)" if b.get("illustrative") else "")
                      for b in report.books)
    plan = {"MeteredData": "every circuit repriced as Metered (what-if)",
            "UnlimitedData": "every circuit repriced as Unlimited (what-if)"}.get(report.plan_override or "",
                                                                               "each circuit on its own plan")
    title = f"Cost of {report.design}"
    if markdown:
        out += [f"# {title}", "", f"Amounts in {cur}; {report.hours_per_month} h a month; {plan}; price books: {books}.", ""]
    else:
        out += [f"{title} ({cur}, {report.hours_per_month} h/month, {plan})", f"Price books: {books}", ""]

    if not report.lines:
        out.append("(nothing to price: the design has no circuits, gateways, peerings or carrier links)")
    elif markdown:
        out.append(_markdown_lines(report, notes))
    else:
        out += _tree(report, notes)
    out.append("")
    if markdown:
        out.append("_* estimate amount. " + LEGEND + "_")
    else:
        out += _wrap("* estimate amount. " + LEGEND)
    out.append("")
    out += _totals(report, markdown)
    out += _comparisons(report, markdown)
    if notes.items:
        out += (["## Notes", ""] if markdown else ["Notes", "-----"])
        for i, text in enumerate(notes.items, 1):
            out += [f"[{i}] {text}  "] if markdown else _wrap(f"[{i}] {text}", indent=" " * len(f"[{i}] "))
        out.append("")
    if report.assumptions:
        out += (["## Assumptions", ""] if markdown else ["Assumptions", "-----------"])
        out += _bullets(report.assumptions, markdown)
        out.append("")
    sources = report.sources_used()
    if sources:
        out += (["## Sources", ""] if markdown else ["Sources", "-------"])
        out += _bullets([f"{key}: {text}" for key, text in sources.items()], markdown)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _wrap(text: str, indent: str = "", first: str = "") -> list[str]:
    """A paragraph wrapped to WIDTH; URLs and other long words are never broken."""
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def _bullets(items: list[str], markdown: bool) -> list[str]:
    if markdown:
        return [f"- {text}" for text in items]
    return [line for text in items for line in _wrap(text, indent="  ", first="- ")]


# --------------------------------------------------------------------------- the lines

def _line_cells(line: CostLine, notes: _Notes, markdown: bool) -> list[str]:
    """Qty, Unit, Unit price, Monthly, One-time, Confidence of one line."""
    return [
        fmt_number(line.quantity),
        line.unit,
        fmt_number(line.unit_price, 6) if line.unit_price is not None else "—",
        _money_cell(line.monthly, line, markdown) if not line.is_one_time else "",
        _money_cell(line.one_time, line, markdown) if line.is_one_time else "",
        _confidence(line, notes, markdown),
    ]


def _markdown_lines(report: CostReport, notes: _Notes) -> str:
    """Markdown keeps every column (Formula and Source too): it is for documents."""
    from tabulate import tabulate

    headers = ["Name", "Qty", "Unit", "Unit price", "Monthly", "One-time", "Confidence", "Formula", "Source"]
    rows = []
    for group, lines in _groups(report.lines):
        rows.append([f"**{group}**", "", "", "", "", "", "", "", ""])
        for i, line in enumerate(lines):
            name = f"{'└─' if i == len(lines) - 1 else '├─'} {line.description}"
            rows.append([_cell(name, True), *_line_cells(line, notes, True), line.formula, _cell(line.source, True)])
    return tabulate(rows, headers=headers, tablefmt="github",
                    colalign=("left", "right", "left", "right", "right", "right", "left", "left", "left"),
                    disable_numparse=True)


_TREE_HEADERS = ["Name", "Qty", "Unit", "Unit price", "Monthly", "One-time", "Confidence"]
_RIGHT = (False, True, False, True, True, True, False)
_GAP = "  "
_MIN_NAME = 36
_NBSP = "\u00a0"  # textwrap never breaks at it


def _items(lines: list[CostLine]) -> list[tuple[str, list[CostLine]]]:
    """(name, lines) per tree item: consecutive lines of one object sharing a label are one item."""
    items: list[tuple[str, list[CostLine]]] = []
    for line in lines:
        last = items[-1][1][-1] if items else None
        if (line.label and last is not None and last.label == line.label and last.object == line.object
                and last.path == line.path):
            items[-1][1].append(line)
        else:
            items.append((line.label or line.description, [line]))
    return items


def _wrap_name(name: str, width: int) -> list[str]:
    """Wrap an item name without splitting a parenthesis such as '(Zone 1)' or '(primary, 1Gbps)'."""
    glued = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(" ", _NBSP), name)
    return [part.replace(_NBSP, " ") for part in textwrap.wrap(glued, width, break_on_hyphens=False)] or [""]


def _detail(line: CostLine, notes: _Notes) -> str:
    """The second line under an item: how the amount is computed and where the price comes from."""
    if not line.priced:
        return f"not priced, so not in the totals: see note {notes.ref(line.note)}"
    return f"= {line.formula}   [{line.source}]"


def _tree(report: CostReport, notes: _Notes) -> list[str]:
    """infracost-style breakdown that fits WIDTH columns: one row per item with the amounts,
    then its formula and price source on an indented line below."""
    groups = [(group, _items(lines)) for group, lines in _groups(report.lines)]
    cells = {id(line): _line_cells(line, notes, False) for line in report.lines}
    details = {id(line): _detail(line, notes) for line in report.lines}
    widths = [max([len(_TREE_HEADERS[c])] + [len(row[c - 1]) for row in cells.values()])
              for c in range(1, len(_TREE_HEADERS))]
    longest = max(len(_TREE_HEADERS[0]), *(3 + len(name) for _, items in groups for name, _ in items))
    name_width = min(longest, max(_MIN_NAME, WIDTH - sum(widths) - len(_GAP) * len(widths)))

    def row(name: str, values: list[str]) -> str:
        parts = [name.ljust(name_width)]
        parts += [v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, _RIGHT[1:])]
        return _GAP.join(parts).rstrip()

    out = [row(_TREE_HEADERS[0], _TREE_HEADERS[1:]), _GAP.join("-" * w for w in [name_width] + widths)]
    blank = [""] * len(widths)
    for g, (group, items) in enumerate(groups):
        if g:
            out.append("")
        out.append(group)
        for i, (name, lines) in enumerate(items):
            last = i == len(items) - 1
            branch, stem = ("└─ ", "   ") if last else ("├─ ", "│  ")
            wrapped = _wrap_name(name, name_width - len(branch))
            for r in range(max(len(wrapped), len(lines))):
                text = (branch if r == 0 else stem) + (wrapped[r] if r < len(wrapped) else "")
                out.append(row(text, cells[id(lines[r])] if r < len(lines) else blank))
            for line in lines:
                out += _wrap(details[id(line)], indent=stem + "      ", first=stem + "  ")
    return out


def _totals(report: CostReport, markdown: bool) -> list[str]:
    from tabulate import tabulate

    t = report.totals
    cur = report.currency
    est_m, est_o = t.estimate_monthly, t.estimate_one_time
    quote_m = t.monthly_by_confidence.get("quote", Decimal(0))
    quote_o = t.one_time_by_confidence.get("quote", Decimal(0))

    def share(part: Decimal, whole: Decimal) -> str:
        return f" ({fmt_number(part / whole * 100, 1)}%)" if whole else ""

    rows = [
        ["Monthly", fmt_money(t.monthly), f"{fmt_money(est_m)}{share(est_m, t.monthly)}", fmt_money(quote_m)],
        ["One-time", fmt_money(t.one_time), f"{fmt_money(est_o)}{share(est_o, t.one_time)}", fmt_money(quote_o)],
        ["First year (12 × monthly + one-time)", fmt_money(t.first_year),
         fmt_money(est_m * 12 + est_o), fmt_money(quote_m * 12 + quote_o)],
        [f"TCO over {t.months} months ({t.months} × monthly + one-time)", fmt_money(t.tco),
         fmt_money(est_m * t.months + est_o), fmt_money(quote_m * t.months + quote_o)],
    ]
    head = f"Totals ({cur})"
    out = [f"## {head}", ""] if markdown else [head, "-" * len(head)]
    out.append(tabulate(rows, headers=["", "Amount", "of which ESTIMATE", "of which quote"],
                        tablefmt="github" if markdown else "simple", colalign=("left", "right", "right", "right"),
                        disable_numparse=True))
    out.append("")
    if t.unpriced:
        what = "**NOT INCLUDED**" if markdown else "NOT INCLUDED"
        out.append(f"{what}: {len(t.unpriced)} unpriced line(s), so the real totals are higher:")
        out += _bullets(t.excludes(), markdown)
    else:
        out.append("Every line is priced.")
    out.append("")
    return out


def _comparisons(report: CostReport, markdown: bool) -> list[str]:
    from tabulate import tabulate

    if not report.comparisons:
        return []
    head = "Metered vs Unlimited (per circuit, monthly)"
    out = [f"## {head}", ""] if markdown else [head, "-" * len(head)]
    rows = []
    for c in report.comparisons:
        unpriced = "**UNPRICED**" if markdown else "UNPRICED"
        rows.append([
            c.circuit,
            {"MeteredData": "Metered", "UnlimitedData": "Unlimited"}.get(c.plan, c.plan),
            fmt_number(Decimal(c.bandwidth_mbps)) + " Mbps",
            c.zone or "?",
            fmt_number(c.egress_gb) if c.egress_gb is not None else "not given",
            fmt_money(c.metered_monthly) if c.metered_monthly is not None else (
                f"{fmt_money(c.metered_port)} + data" if c.metered_port is not None else unpriced),
            fmt_money(c.unlimited_monthly) if c.unlimited_monthly is not None else unpriced,
            fmt_number(c.break_even_gb, 0) if c.break_even_gb is not None else "—",
            f"{fmt_number(c.break_even_pct, 1)}%" if c.break_even_pct is not None else "—",
        ])
    out.append(tabulate(rows, headers=["Circuit", "Plan", "Bandwidth", "Zone", "Egress GB", "Metered", "Unlimited",
                                       "Break-even GB", "% capacity"],
                        tablefmt="github" if markdown else "simple", disable_numparse=True,
                        colalign=("left", "left", "right", "left", "right", "right", "right", "right", "right")))
    out.append("")
    out += _bullets([f"{c.circuit}: {c.recommendation}" for c in report.comparisons], markdown)
    out.append("")
    return out


# --------------------------------------------------------------------------- csv

_CSV_FIELDS = ["group", "object_kind", "object", "path", "component", "description", "quantity", "unit", "unit_price",
               "monthly", "one_time", "total", "currency", "confidence", "formula", "source", "as_of", "note"]


def _plain(value: Optional[Decimal]) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text


def _csv(report: CostReport) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for line in report.lines:
        row = line.to_dict()
        row.update(quantity=_plain(line.quantity), unit_price=_plain(line.unit_price),
                   monthly="" if line.monthly is None else str(line.monthly),
                   one_time="" if line.one_time is None else str(line.one_time), currency=report.currency)
        if line.confidence == "unpriced":
            row["monthly" if not line.is_one_time else "one_time"] = "UNPRICED"
            row["confidence"] = "UNPRICED"
        elif line.confidence == "estimate":
            row["confidence"] = "ESTIMATE"
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in _CSV_FIELDS})
    t = report.totals
    excluded = f"excludes {len(t.unpriced)} unpriced line(s)" if t.unpriced else "every line priced"
    for description, field, amount, estimate in (
        ("Monthly total", "monthly", t.monthly, t.estimate_monthly),
        ("One-time total", "one_time", t.one_time, t.estimate_one_time),
        ("First year (12 × monthly + one-time)", "total", t.first_year, t.estimate_monthly * 12 + t.estimate_one_time),
        (f"TCO over {t.months} months ({t.months} × monthly + one-time)", "total", t.tco,
         t.estimate_monthly * t.months + t.estimate_one_time),
    ):
        row = {"group": "TOTAL", "object_kind": "total", "description": description, "currency": report.currency,
               field: str(cents(amount)), "note": f"{excluded}; of which ESTIMATE {cents(estimate)}"}
        writer.writerow({k: row.get(k, "") for k in _CSV_FIELDS})
    return buf.getvalue()
