"""Human output, one finding per line with its fix below, the offending source line with a caret
under the value (like ruff), then a summary line:

    design.yaml:42:11: BGP001 error circuit 'x' peering AzurePrivatePeering: peer ASN 65515 is reserved …
        fix: Use a private ASN outside 65515–65520 …
          |
       42 |         peer_asn: 65515
          |                   ^^^^^
    Found 1 error in 1 file.

With ``color=True`` severities are coloured (error red, warning yellow, info cyan) and rule IDs bold.
"""
from __future__ import annotations

from ..errors import one_line as escape  # names may hold newlines: one finding, one line
from ._util import location, one_line, source_line, value_end

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _style(text: str, color: bool, **style) -> str:
    if not color:
        return text
    import click

    return click.style(text, **style)


def snippet(loc, sources=None, color: bool = False, indent: str = "    ") -> list[str]:
    """The source line at `loc` with a caret under the value (nothing when the line is unknown)."""
    line = source_line(loc, sources)
    if line is None or not line.strip():
        return []
    end = value_end(loc, sources) or loc.col + 1
    shown = line.expandtabs(1)  # one column per character, so the caret stays under the value
    number = str(loc.line)
    gutter = " " * len(number)
    caret = " " * (loc.col - 1) + "^" * max(1, end - loc.col)
    bar = _style("|", color, fg="blue", bold=True)
    return [f"{indent}{gutter} {bar}", f"{indent}{_style(number, color, fg='blue', bold=True)} {bar} {shown}",
            f"{indent}{gutter} {bar} {_style(caret, color, fg='red', bold=True)}"]


def render(report, *, show_evidence: bool = False, show_suppressed: bool = False, color: bool = False,
           show_source: bool = True, **_) -> str:
    sources = dict(getattr(report, "sources", None) or {})
    lines = []
    for f in report.findings:
        if f.suppressed and not show_suppressed:
            continue
        severity = _style(f.severity, color, fg=SEVERITY_COLOURS.get(f.severity), bold=f.severity == "error")
        head = f"{location(f.loc)}: {_style(f.rule, color, bold=True)} {severity} {escape(f.message)}"
        if f.suppressed:
            expires = f", expires {f.suppression_expires}" if f.suppression_expires else ""
            head += f" [suppressed: {f.suppression_reason}{expires}]"
        lines.append(head)
        if f.hint:
            lines.append(f"    fix: {one_line(f.hint)}")
        if show_evidence:
            lines.extend(f"    evidence: {one_line(str(e))}" for e in f.evidence)
        if show_source and f.loc is not None:
            lines.extend(snippet(f.loc, sources, color))
    lines.append(report.summary_line())
    return "\n".join(lines) + "\n"
