"""Machine-readable report: {"version": 1, "tool": …, "findings": […], "summary": {…}, "errors": […]}.

Suppressed findings are included with "suppressed": true and their suppression
(kind, reason, expires)."""
from __future__ import annotations

import json


def render(report, **_) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
