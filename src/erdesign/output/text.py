"""Human output, one finding per line with its fix below, then a summary line:

    design.yaml:42:11: BGP001 error circuit 'x' peering AzurePrivatePeering: peer ASN 65515 is reserved …
        fix: Use a private ASN outside 65515–65520 …
    Found 1 error in 1 file.
"""
from __future__ import annotations

from ..errors import one_line as escape  # names may hold newlines: one finding, one line
from ._util import location, one_line


def render(report, *, show_evidence: bool = False, show_suppressed: bool = False, **_) -> str:
    lines = []
    for f in report.findings:
        if f.suppressed and not show_suppressed:
            continue
        head = f"{location(f.loc)}: {f.rule} {f.severity} {escape(f.message)}"
        if f.suppressed:
            expires = f", expires {f.suppression_expires}" if f.suppression_expires else ""
            head += f" [suppressed: {f.suppression_reason}{expires}]"
        lines.append(head)
        if f.hint:
            lines.append(f"    fix: {one_line(f.hint)}")
        if show_evidence:
            lines.extend(f"    evidence: {one_line(str(e))}" for e in f.evidence)
    lines.append(report.summary_line())
    return "\n".join(lines) + "\n"
