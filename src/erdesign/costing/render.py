"""Render a CostReport as a table (infracost-style tree), markdown, CSV or JSON.

The table fits a 100-column terminal by default (compact: Monthly, One-time and
Confidence columns; quantity and unit price are in the formula line under each
item); ``wide=True`` (`cost --wide`) shows every column in 120. Each item's
formula and price source sit on an indented line under it, and a carrier link's
monthly and one-time fees are one item. Markdown puts the totals and the plan
comparison first and the cost lines (every column, Formula and Source too) in a
<details> block, for pull-request comments; CSV keeps every column; JSON is the
report's own dictionary.

Estimate and unpriced lines are marked in every format: ESTIMATE / UNPRICED in
capitals with a numbered note (the derivation or the reason), and the totals
say how much is estimate and what is left out: a total that leaves out an
unpriced line reads as a lower bound (table and markdown "≥ 1,234.00" with the
reason, JSON "complete": false, CSV column complete = false).
"""
from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from contextvars import ContextVar
from decimal import Decimal
from typing import Optional

from .money import cents, fmt_money, fmt_number
from .report import CostLine, CostReport, unpriced_summary

FORMATS = ("table", "json", "csv", "markdown")
WIDTH = 120  # the wide table (every column) is laid out for a 120-column terminal
COMPACT_WIDTH = 100  # the default table
_width: ContextVar[int] = ContextVar("cost_table_width", default=WIDTH)
_wide: ContextVar[bool] = ContextVar("cost_table_wide", default=True)
LEGEND = ("verified = cited list price; quote = your figure from the design or your price book; "
          "ESTIMATE = derived or typical figure (see its note); UNPRICED = no defensible price: "
          "left out of the totals, which then read ≥")
PLAN_NAMES = {"MeteredData": "Metered", "UnlimitedData": "Unlimited"}


def render(report: CostReport, fmt: str = "table", wide: bool = False) -> str:
    """The report in one of FORMATS; the table is compact (100 columns) unless `wide`."""
    width_token, wide_token = _width.set(WIDTH if wide else COMPACT_WIDTH), _wide.set(wide)
    try:
        return _render(report, fmt)
    finally:
        _width.reset(width_token)
        _wide.reset(wide_token)


def _render(report: CostReport, fmt: str) -> str:
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
    books = ", ".join(_book_name(b) for b in report.books)
    plan = {"MeteredData": "every circuit repriced as Metered (what-if)",
            "UnlimitedData": "every circuit repriced as Unlimited (what-if)"}.get(report.plan_override or "",
                                                                               "each circuit on its own plan")
    title = f"Cost of {report.design}" + (f", usage scenario '{report.scenario}'" if report.scenario else "")
    what_if = _what_if(report)
    if markdown:
        out += [f"# {title}", "", f"Amounts in {cur}; {report.hours_per_month} h a month; {plan}; price books: {books}.", ""]
        out += [f"**{what_if}**", ""] if what_if else []
    else:
        out += [f"{title} ({cur}, {report.hours_per_month} h/month, {plan})", f"Price books: {books}"]
        out += _wrap(what_if) if what_if else []
        out.append("")

    if markdown:  # totals and the plan comparison first; the lines, notes and sources folded below
        lines = _markdown_lines(report, notes) if report.lines else (
            "(nothing to price: the design has no circuits, gateways, peerings or carrier links)")
        out += _totals(report, markdown)
        out += _comparisons(report, markdown)
        out += _scenarios(report, markdown)
        out += [f"<details><summary>Cost lines ({len(report.lines)})</summary>", "", lines, "",
                "_* estimate amount. " + LEGEND + "_", "", "</details>", ""]
        out += ["<details><summary>Notes, assumptions and sources</summary>", ""]
        out += _back_matter(report, notes, markdown)
        out += ["</details>"]
        return "\n".join(out).rstrip("\n") + "\n"
    if not report.lines:
        out.append("(nothing to price: the design has no circuits, gateways, peerings or carrier links)")
    else:
        out += _tree(report, notes)
    out.append("")
    out += _wrap("* estimate amount. " + LEGEND)
    out.append("")
    out += _totals(report, markdown)
    out += _comparisons(report, markdown)
    out += _scenarios(report, markdown)
    out += _back_matter(report, notes, markdown)
    return "\n".join(out).rstrip("\n") + "\n"


def _back_matter(report: CostReport, notes: _Notes, markdown: bool) -> list[str]:
    """Numbered notes, assumptions and sources."""
    out: list[str] = []
    if notes.items:
        out += (["## Notes", ""] if markdown else ["Notes", "-----"])
        for i, text in enumerate(notes.items, 1):
            out += [f"[{i}] {text}  "] if markdown else _wrap(f"[{i}] {text}", indent=" " * len(f"[{i}] "))
        out.append("")
    if report.assumptions or report.assumed:
        out += (["## Assumptions", ""] if markdown else ["Assumptions", "-----------"])
        out += _assumed(report, markdown)
        out += _bullets(report.assumptions, markdown)
        out.append("")
    sources = report.sources_used()
    if sources:
        out += (["## Sources", ""] if markdown else ["Sources", "-------"])
        out += _bullets([f"{key}: {text}" for key, text in sources.items()], markdown)
        out.append("")
    return out


def _assumed(report: CostReport, markdown: bool) -> list[str]:
    """The assumed quantities, each once, with what it applies to and where to change it."""
    if not report.assumed:
        return []
    if markdown:
        from tabulate import tabulate

        rows = [[_cell(a["assumed"], True), _cell(", ".join(a["applies_to"]), True), _cell(a["change"], True)]
                for a in report.assumed]
        table = tabulate(rows, headers=["Assumed", "Applies to", "Where to change it"], tablefmt="github",
                         disable_numparse=True)
        return [table, ""] if report.assumptions else [table]
    out = ["Assumed quantities (each listed once, with where to change it):"]
    for a in report.assumed:
        out += _wrap(a["assumed"], indent="  ", first="- ")
        out += _wrap(f"applies to: {', '.join(a['applies_to'])}; change: {a['change']}", indent="      ",
                     first="    ")
    if report.assumptions:
        out.append("Other assumptions:")
    return out


def _book_name(book: dict) -> str:
    """'azure 2026-03-31', 'carriers 2026-11-25 (ILLUSTRATIVE)', or a fetched book with where it came from."""
    name = f"{book['book']} {book['as_of']}"
    if book.get("illustrative"):
        name += " (ILLUSTRATIVE)"
    if book.get("fetched_at"):
        name += f" (fetched {book['fetched_at']} from {book.get('fetched_from')}"
        name += f", file {book['file']})" if book.get("file") else ")"
    return name


def _what_if(report: CostReport) -> str:
    """On a --metered / --unlimited what-if, one line: which circuits' plan fees are unpriced on that plan."""
    gaps = report.what_if_unpriced()
    if gaps is None:
        return ""
    plan = PLAN_NAMES.get(report.plan_override or "", report.plan_override)
    parts = []
    for key, noun in (("port_fees", "port fee"), ("outbound_data", "outbound data rate")):
        names = gaps[key]
        if names:
            many = len(names) > 1
            parts.append(f"the {noun}{'s' if many else ''} of {_and(names)} {'are' if many else 'is'} unpriced")
    if not parts:
        return f"What-if {plan}: every circuit's port fee and outbound data rate is priced on this plan."
    return (f"What-if {plan}: {' and '.join(parts)} on this plan, so the totals are lower bounds: do not compare "
            f"them with another plan's (see Metered vs Unlimited).")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _wrap(text: str, indent: str = "", first: str = "") -> list[str]:
    """A paragraph wrapped to the table's width; URLs and other long words are never broken."""
    return textwrap.wrap(text, _width.get(), initial_indent=first, subsequent_indent=indent,
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
        shown = [(lines_, line) for _, lines_ in _items(lines) for line in _shown(lines_)]
        for i, (item, line) in enumerate(shown):
            name = f"{'└─' if i == len(shown) - 1 else '├─'} {line.description}"
            cells = _line_cells(line, notes, True)
            formulas, sources = [line.formula] if line.formula else [], [line.source] if line.source else []
            if line is _shown(item)[-1]:
                for folded in _folded(item):
                    formulas.append(_none_expected(folded, notes))
                    sources += [folded.source] if folded.source and folded.source not in sources else []
            rows.append([_cell(name, True), *cells, _cell("; ".join(formulas), True),
                         _cell(", ".join(sources), True)])
    return tabulate(rows, headers=headers, tablefmt="github",
                    colalign=("left", "right", "left", "right", "right", "right", "left", "left", "left"),
                    disable_numparse=True)


_TREE_HEADERS = ["Name", "Qty", "Unit", "Unit price", "Monthly", "One-time", "Confidence"]
_RIGHT = (False, True, False, True, True, True, False)
_COMPACT_COLUMNS = [4, 5, 6]  # Monthly, One-time, Confidence: quantity and unit price are in the formula line
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


def _shown(lines: list[CostLine]) -> list[CostLine]:
    """The lines of an item that get a row: a one-time 'none expected' estimate is folded into the item."""
    rows = [line for line in lines if not line.none_expected]
    return rows or lines


def _folded(lines: list[CostLine]) -> list[CostLine]:
    shown = _shown(lines)
    return [line for line in lines if line not in shown]


def _none_expected(line: CostLine, notes: _Notes) -> str:
    return f"one-time: none expected, see note {notes.ref(line.note)}"


def _detail(line: CostLine, notes: _Notes) -> str:
    """The second line under an item: how the amount is computed and where the price comes from."""
    if not line.priced:
        return f"not priced, so not in the totals: see note {notes.ref(line.note)}"
    return f"= {line.formula}   [{line.source}]"


def _tree(report: CostReport, notes: _Notes) -> list[str]:
    """infracost-style breakdown that fits WIDTH columns: one row per item with the amounts,
    then its formula and price source on an indented line below."""
    groups = [(group, _items(lines)) for group, lines in _groups(report.lines)]
    cells, details = {}, {}
    for _, items in groups:
        for _, lines in items:
            for line in _shown(lines):
                cells[id(line)] = _line_cells(line, notes, False)
                details[id(line)] = _detail(line, notes)
            for line in _folded(lines):
                details[id(line)] = f"{_none_expected(line, notes)}   [{line.source}]"
    columns = list(range(1, len(_TREE_HEADERS))) if _wide.get() else _COMPACT_COLUMNS
    headers = [_TREE_HEADERS[0]] + [_TREE_HEADERS[c] for c in columns]
    right_aligned = [_RIGHT[c] for c in columns]
    cells = {key: [values[c - 1] for c in columns] for key, values in cells.items()}
    widths = [max([len(headers[i])] + [len(row[i - 1]) for row in cells.values()]) for i in range(1, len(headers))]
    longest = max(len(headers[0]), *(3 + len(name) for _, items in groups for name, _ in items))
    name_width = min(longest, max(_MIN_NAME, _width.get() - sum(widths) - len(_GAP) * len(widths)))

    def row(name: str, values: list[str]) -> str:
        parts = [name.ljust(name_width)]
        parts += [v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, right_aligned)]
        return _GAP.join(parts).rstrip()

    out = [row(headers[0], headers[1:]), _GAP.join("-" * w for w in [name_width] + widths)]
    blank = [""] * len(widths)
    for g, (group, items) in enumerate(groups):
        if g:
            out.append("")
        out.append(group)
        for i, (name, lines) in enumerate(items):
            last = i == len(items) - 1
            branch, stem = ("└─ ", "   ") if last else ("├─ ", "│  ")
            wrapped = _wrap_name(name, name_width - len(branch))
            shown = _shown(lines)
            for r in range(max(len(wrapped), len(shown))):
                text = (branch if r == 0 else stem) + (wrapped[r] if r < len(wrapped) else "")
                out.append(row(text, cells[id(shown[r])] if r < len(shown) else blank))
            for line in shown + _folded(lines):
                out += _wrap(details[id(line)], indent=stem + "      ", first=stem + "  ")
    return out


def _at_least(amount: Decimal, complete: bool) -> str:
    """An amount, or '≥ amount' when it leaves out an unpriced line (a lower bound)."""
    return fmt_money(amount) if complete else f"≥ {fmt_money(amount)}"


def _totals(report: CostReport, markdown: bool) -> list[str]:
    from tabulate import tabulate

    t = report.totals
    cur = report.currency
    est_m, est_o = t.estimate_monthly, t.estimate_one_time
    quote_m = t.monthly_by_confidence.get("quote", Decimal(0))
    quote_o = t.one_time_by_confidence.get("quote", Decimal(0))

    def share(part: Decimal, whole: Decimal) -> str:
        return f" ({fmt_number(part / whole * 100, 1)}%)" if whole else ""

    # (label, amount, complete, why not, estimate, quote); first year and TCO add monthly and one-time
    why_m, why_o, why_all = (unpriced_summary(t.unpriced_monthly), unpriced_summary(t.unpriced_one_time),
                             unpriced_summary(t.unpriced))
    rows = [
        ("Monthly", t.monthly, t.monthly_complete, why_m, f"{fmt_money(est_m)}{share(est_m, t.monthly)}",
         fmt_money(quote_m)),
        ("One-time", t.one_time, t.one_time_complete, why_o, f"{fmt_money(est_o)}{share(est_o, t.one_time)}",
         fmt_money(quote_o)),
        ("First year (12 × monthly + one-time)", t.first_year, t.complete, why_all,
         fmt_money(est_m * 12 + est_o), fmt_money(quote_m * 12 + quote_o)),
        (f"TCO over {t.months} months ({t.months} × monthly + one-time)", t.tco, t.complete, why_all,
         fmt_money(est_m * t.months + est_o), fmt_money(quote_m * t.months + quote_o)),
    ]
    head = f"Totals ({cur})"
    out = [f"## {head}", ""] if markdown else [head, "-" * len(head)]
    headers = ["", "Amount", "of which ESTIMATE", "of which quote"]
    cells = [[label, _at_least(amount, complete), est, quote] for label, amount, complete, _, est, quote in rows]
    if markdown:
        out.append(tabulate([c + [why] for c, (*_, why, _e, _q) in zip(cells, rows)], headers=headers + ["Not included"],
                            tablefmt="github", colalign=("left", "right", "right", "right", "left"),
                            disable_numparse=True))
    else:
        table = tabulate(cells, headers=headers, tablefmt="simple", colalign=("left", "right", "right", "right"),
                         disable_numparse=True).splitlines()
        out += table[:2]
        # the reason sits under the row it explains; first year and TCO share one (they add the two above)
        reasons = [why_m if not t.monthly_complete else "", why_o if not t.one_time_complete else "", "",
                   why_all if not t.complete else ""]
        for text, why, label in zip(table[2:], reasons, ("bound", "bound", "", "bounds (first year and TCO)")):
            out.append(text)
            if why:
                out += _wrap(f"≥ lower {label}: {why}", indent="      ", first="    ")
    out.append("")
    if t.unpriced:
        what = "**NOT INCLUDED**" if markdown else "NOT INCLUDED"
        n = len(t.unpriced)
        sentence = (f"{what}: {n} unpriced line{'s' if n != 1 else ''}, so the totals marked ≥ are lower bounds "
                    "(the real cost is at least that):")
        out += [sentence] if markdown or _wide.get() else _wrap(sentence)
        out += _bullets(t.excludes(), markdown)
    else:
        out.append("Every line is priced: the totals are complete.")
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
            PLAN_NAMES.get(c.plan, c.plan),
            fmt_number(Decimal(c.bandwidth_mbps)) + " Mbps" if c.bandwidth_mbps is not None else "unknown",
            c.zone or "?",
            fmt_number(c.egress_gb) if c.egress_gb is not None else "not given",
            fmt_money(c.metered_monthly) if c.metered_monthly is not None else (
                f"{fmt_money(c.metered_port)} + data" if c.metered_port is not None else unpriced),
            fmt_money(c.unlimited_monthly) if c.unlimited_monthly is not None else unpriced,
            fmt_number(c.break_even_gb, 0) if c.break_even_gb is not None else "—",
            f"{fmt_number(c.break_even_pct, 1)}%" if c.break_even_pct is not None else "—",
        ])
    headers = ["Circuit", "Plan", "Bandwidth", "Zone", "Egress GB", "Metered", "Unlimited", "Break-even GB",
               "% capacity"]
    align = ("left", "left", "right", "left", "right", "right", "right", "right", "right")
    keep = range(len(headers)) if markdown or _wide.get() else (0, 1, 4, 5, 6, 7)  # compact: fits 100 columns
    out.append(tabulate([[r[i] for i in keep] for r in rows], headers=[headers[i] for i in keep],
                        tablefmt="github" if markdown else "simple", disable_numparse=True,
                        colalign=tuple(align[i] for i in keep)))
    out.append("")
    out += _bullets([f"{c.circuit}: {c.recommendation}" for c in report.comparisons], markdown)
    if report.plan_changes:
        out += _bullets([f"Plan changes: {text}" for text in report.plan_changes], markdown)
    out.append("")
    return out


def _scenarios(report: CostReport, markdown: bool) -> list[str]:
    """--scenario all: each scenario's totals and plan comparison, and the break-even against their range."""
    from tabulate import tabulate

    if not report.scenarios:
        if report.scenario_names and not report.scenario:
            hint = (f"The design has usage scenarios ({', '.join(report.scenario_names)}): price them with "
                    "--scenario NAME, or compare them all with --scenario all.")
            return [hint, ""] if markdown else _wrap(hint) + [""]
        return []
    head = f"Usage scenarios ({report.currency}; TCO over {report.months} months)"
    out = [f"## {head}", ""] if markdown else [head, "-" * len(head)]
    every = [("base", "the traffic as given", report)] + [(s.name, s.description, s.report) for s in report.scenarios]
    rows = [[name, _cell(description, markdown), _at_least(r.totals.monthly, r.totals.monthly_complete),
             _at_least(r.totals.tco, r.totals.complete)] for name, description, r in every]
    fmt = "github" if markdown else "simple"
    out.append(tabulate(rows, headers=["Scenario", "Traffic", "Monthly", "TCO"], tablefmt=fmt, disable_numparse=True,
                        colalign=("left", "left", "right", "right"), maxcolwidths=[None, 60, None, None]))
    out.append("")
    plans = []
    for name, _, r in every:
        for c in r.comparisons:
            if c.confidence == "n/a":
                continue
            cheaper = "—"
            if c.comparable and c.metered_monthly is not None and c.unlimited_monthly is not None:
                cheaper = ("Metered" if c.metered_monthly < c.unlimited_monthly else
                           "Unlimited" if c.unlimited_monthly < c.metered_monthly else "either")
            plans.append([name, c.circuit, fmt_number(c.egress_gb, 0) if c.egress_gb is not None else "not given",
                          fmt_money(c.metered_monthly) if c.metered_monthly is not None else "UNPRICED",
                          fmt_money(c.unlimited_monthly) if c.unlimited_monthly is not None else "UNPRICED", cheaper])
    if plans:
        out.append(tabulate(plans, headers=["Scenario", "Circuit", "Egress GB", "Metered", "Unlimited", "Cheaper"],
                            tablefmt=fmt, disable_numparse=True,
                            colalign=("left", "left", "right", "right", "right", "left")))
        out.append("")
    if report.scenario_verdicts:
        out += _bullets(report.scenario_verdicts, markdown)
        out.append("")
    return out


# --------------------------------------------------------------------------- csv

_CSV_FIELDS = ["row", "group", "object_kind", "object", "path", "component", "description", "quantity", "unit",
               "unit_price", "monthly", "one_time", "total", "currency", "confidence", "complete", "formula", "source",
               "as_of", "note"]


def _plain(value: Optional[Decimal]) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text


def _amount(value: Optional[Decimal]) -> str:
    return "" if value is None else str(cents(value))


def _csv(report: CostReport) -> str:
    """One row per line (row=line), then subtotals per confidence (row=subtotal) and the totals
    (row=total): filter on `row` before summing a column. Amounts are numbers or empty; an unpriced
    line has empty amounts and confidence UNPRICED, and a total that leaves one out has complete=false."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for line in report.lines:
        row = line.to_dict()
        row.update(row="line", quantity=_plain(line.quantity), unit_price=_plain(line.unit_price),
                   monthly=_amount(line.monthly), one_time=_amount(line.one_time), currency=report.currency)
        if line.confidence in ("unpriced", "estimate"):
            row["confidence"] = line.confidence.upper()
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in _CSV_FIELDS})
    t = report.totals
    for confidence in ("verified", "quote", "estimate"):
        monthly, one_time = t.monthly_by_confidence[confidence], t.one_time_by_confidence[confidence]
        shown = confidence.upper() if confidence == "estimate" else confidence
        row = {"row": "subtotal", "group": "TOTAL", "object_kind": "subtotal", "description": f"{shown} lines",
               "monthly": _amount(monthly), "one_time": _amount(one_time),
               "total": _amount(monthly * t.months + one_time), "currency": report.currency, "confidence": shown,
               "note": f"total = {t.months} × monthly + one-time"}
        writer.writerow({k: row.get(k, "") for k in _CSV_FIELDS})
    for description, field, amount, complete, unpriced, estimate in (
        ("Monthly total", "monthly", t.monthly, t.monthly_complete, t.unpriced_monthly, t.estimate_monthly),
        ("One-time total", "one_time", t.one_time, t.one_time_complete, t.unpriced_one_time, t.estimate_one_time),
        ("First year (12 × monthly + one-time)", "total", t.first_year, t.complete, t.unpriced,
         t.estimate_monthly * 12 + t.estimate_one_time),
        (f"TCO over {t.months} months ({t.months} × monthly + one-time)", "total", t.tco, t.complete, t.unpriced,
         t.estimate_monthly * t.months + t.estimate_one_time),
    ):
        bound = f"lower bound: {unpriced_summary(unpriced)}" if unpriced else "every line priced"
        row = {"row": "total", "group": "TOTAL", "object_kind": "total", "description": description,
               "currency": report.currency, field: _amount(amount), "complete": "true" if complete else "false",
               "note": f"{bound}; of which ESTIMATE {cents(estimate)}"}
        writer.writerow({k: row.get(k, "") for k in _CSV_FIELDS})
    return buf.getvalue()
