"""One line per active finding (`file:line:col: RULE message`), then the summary line."""
from __future__ import annotations

from ..errors import one_line as escape  # names may hold newlines: one finding, one line
from ._util import location


def render(report, **_) -> str:
    lines = [f"{location(f.loc)}: {f.rule} {escape(f.message)}" for f in report.active]
    lines.append(report.summary_line())
    return "\n".join(lines) + "\n"
