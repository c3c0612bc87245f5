"""Lint baselines: accept today's findings, report only new ones.

``erdesign lint --write-baseline FILE`` records the active findings by fingerprint (the SARIF
partial fingerprint: rule + resource + field, so moving lines does not change it);
``--baseline FILE`` marks the findings it lists as baselined (not counted, like a suppression)
and reports each entry that no longer matches a finding as SUP005, as an unused suppression is
reported as SUP001.

The file is JSON, one entry per line, sorted, so that it reviews well in a pull request.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from ..errors import InputError, Loc
from .finding import Finding
from .fingerprint import finding_fingerprint

BASELINE_VERSION = 1
STALE_RULE = "SUP005"


@dataclass
class BaselineEntry:
    fingerprint: str
    rule: str
    resource: str
    message: str
    loc: Optional[Loc] = None  # where the entry is in the baseline file
    used: int = 0


@dataclass
class Baseline:
    file: str
    entries: list[BaselineEntry] = field(default_factory=list)

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """Mark active findings listed in the baseline as baselined; return SUP005 findings for the
        entries that matched none (each entry accepts one finding)."""
        by_print: dict[str, list[BaselineEntry]] = {}
        for entry in self.entries:
            by_print.setdefault(entry.fingerprint, []).append(entry)
        for f in findings:
            if f.suppressed or f.rule.startswith("SUP"):
                continue
            waiting = [e for e in by_print.get(finding_fingerprint(f), []) if not e.used]
            if not waiting:
                continue
            waiting[0].used = 1
            f.suppressed = True
            f.baselined = True
            f.suppression_kind = "external"
            f.suppression_reason = f"in baseline {self.file}"
        stale = []
        for entry in self.entries:
            if entry.used:
                continue
            where = f" on {entry.resource}" if entry.resource else ""
            stale.append(Finding(
                STALE_RULE,
                f"baseline entry for {entry.rule}{where} matches no finding ({entry.message}); "
                "the problem is fixed or changed: write the baseline again",
                loc=entry.loc or Loc(self.file, 1, 1)))
        return stale


def baseline_text(findings: list[Finding]) -> str:
    """The baseline file for these findings (the active, non-SUP ones)."""
    from .. import __version__

    entries = sorted(
        ({"fingerprint": finding_fingerprint(f), "rule": f.rule, "resource": f.resource, "message": f.message}
         for f in findings if not f.suppressed and not f.rule.startswith("SUP")),
        key=lambda e: (e["rule"], e["resource"], e["message"], e["fingerprint"]))
    lines = ",\n".join("    " + json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries)
    body = f"[\n{lines}\n  ]" if entries else "[]"
    return (f'{{\n  "version": {BASELINE_VERSION},\n  "tool": {json.dumps({"name": "erdesign", "version": __version__})},\n'
            f'  "findings": {body}\n}}\n')


def read_baseline(path: str) -> Baseline:
    """Read a baseline file; a bad one is one located InputError."""
    from ..loader import read_text

    return parse_baseline(read_text(path), path)


def parse_baseline(text: str, path: str) -> Baseline:
    """A baseline from its text (`path` names it in messages and findings)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not a baseline file: {exc.msg}", Loc(path, exc.lineno, exc.colno)) from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise InputError(f"not an erdesign baseline (expected {{\"version\": {BASELINE_VERSION}, \"findings\": [...]}}); "
                         "write one with `erdesign lint --write-baseline FILE`", Loc(path, 1, 1))
    lines = text.splitlines()
    entries = []
    for index, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str) or not isinstance(item.get("rule"), str):
            raise InputError(f"findings[{index}] needs a fingerprint and a rule", Loc(path, 1, 1))
        line = next((n for n, ln in enumerate(lines, start=1) if item["fingerprint"] in ln), 1)
        entries.append(BaselineEntry(item["fingerprint"], item["rule"], str(item.get("resource") or ""),
                                     str(item.get("message") or ""), Loc(path, line, 1)))
    return Baseline(path, entries)
