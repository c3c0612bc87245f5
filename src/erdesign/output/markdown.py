"""Markdown for pull-request comments: a summary, a table of active findings, fixes below.

    ### erdesign: Found 1 error in 1 file.

    | Severity | Rule | Location | Finding |
    |---|---|---|---|
    | 🔴 error | [BGP001](…/docs/rules/BGP001.md) | `design.yaml:42:11` | circuit 'x' … |
"""
from __future__ import annotations

from ._util import one_line

_ICON = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}


def _cell(text: str) -> str:
    return one_line(text).replace("|", "\\|")


def render(report, **_) -> str:
    from ..links import rule_page_url

    out = [f"### erdesign: {report.summary_line()}", ""]
    for error in report.input_errors:
        where = f"`{error.loc}`" if error.loc else (f"`{error.file}`" if error.file else "")
        out.append(f"- ⛔ input error {where}: {_cell(error.message)}")
    if report.input_errors:
        out.append("")
    active = report.active
    if active:
        out += ["| Severity | Rule | Location | Finding | Fix |", "|---|---|---|---|---|"]
        for f in active:
            where = f"`{f.loc.file}:{f.loc.line}:{f.loc.col}`" if f.loc else ""
            rule = f"[{f.rule}]({rule_page_url(f.rule)})" if report.catalog and f.rule in report.catalog else f.rule
            out.append(f"| {_ICON.get(f.severity, f.severity)} | {rule} | {where} | {_cell(f.message)} | "
                       f"{_cell(f.hint or '')} |")
        out.append("")
    if report.suppressed:
        out.append(f"{len(report.suppressed)} suppressed finding(s) not shown.")
        out.append("")
    for err in report.errors:
        out.append(f"- ⛔ {_cell(str(err))}")
    return "\n".join(out).rstrip("\n") + "\n"
