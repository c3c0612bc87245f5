"""The result of a lint run: findings (suppressed ones included), summary, exit code."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Optional

from .catalog import SEVERITIES, SEVERITY_RANK
from .finding import Finding

JSON_FORMAT_VERSION = 1
_FRAME_COLUMNS = ["rule", "severity", "message", "resource", "path", "file", "line", "column", "hint",
                  "suppressed", "suppression_reason"]


@dataclass(frozen=True)
class InternalError:
    """A check that raised: a bug in erdesign, reported instead of crashing the run."""

    rules: tuple[str, ...]
    check: str
    message: str
    traceback: str = ""

    def __str__(self) -> str:
        if not self.rules:
            return f"internal error in {self.check}: {self.message}"
        check = f" (check {self.check})" if self.check else ""
        return f"internal error in rule {', '.join(self.rules)}{check}: {self.message}"


@dataclass
class LintReport:
    findings: list[Finding] = field(default_factory=list)
    errors: list[InternalError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    catalog: object = None  # the Catalog the run used (rule metadata for SARIF and explain)
    fail_on: str = "error"
    docs_url: Optional[str] = None
    input_errors: list = field(default_factory=list)  # InputError: the design could not be read (exit 2)
    sources: dict = field(default_factory=dict, repr=False)  # file -> text, for source lines under findings

    # ---- views
    @property
    def active(self) -> list[Finding]:
        """Findings that count (not suppressed)."""
        return [f for f in self.findings if not f.suppressed]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed]

    @property
    def summary(self) -> dict:
        counts = {level: 0 for level in SEVERITIES}
        for f in self.active:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        summary = {**counts, "suppressed": len(self.suppressed), "files": len(self.files),
                   "internal_errors": len(self.errors)}
        if self.baselined:
            summary["baselined"] = len(self.baselined)
        return summary

    @property
    def baselined(self) -> list[Finding]:
        """Suppressed findings that a lint baseline lists (a subset of `suppressed`)."""
        return [f for f in self.findings if f.baselined]

    def failing(self, fail_on: Optional[str] = None) -> list[Finding]:
        threshold = SEVERITY_RANK[fail_on or self.fail_on]
        return [f for f in self.active if SEVERITY_RANK.get(f.severity, 2) >= threshold]

    def exit_code(self, fail_on: Optional[str] = None, exit_zero: bool = False) -> int:
        """2 if a check crashed; else 1 if an active finding is at or above fail_on (unless exit_zero); else 0."""
        if self.errors or self.input_errors:
            return 2
        if exit_zero:
            return 0
        return 1 if self.failing(fail_on) else 0

    def summary_line(self) -> str:
        not_checked = ""
        if self.input_errors:
            n = len(self.input_errors)
            not_checked = f"{n} input error{'' if n == 1 else 's'}"
            if not self.findings:
                return f"Not checked: {not_checked}."
        line = self._findings_line()
        # several designs merged, some unreadable: the others' findings still count
        return f"{line[:-1]}; not checked: {not_checked}." if not_checked else line

    def _findings_line(self) -> str:
        s = self.summary
        parts = [_plural(s["error"], "error"), _plural(s["warning"], "warning"),
                 f"{s['info']} info" if s["info"] else ""]
        parts = [p for p in parts if p]
        baselined = s.get("baselined", 0)
        hidden = [f"{s['suppressed'] - baselined} suppressed" if s["suppressed"] - baselined else "",
                  f"{baselined} baselined" if baselined else ""]
        suppressed = f" ({', '.join(h for h in hidden if h)})" if any(hidden) else ""
        if not parts:
            return f"All checks passed{suppressed}."
        return f"Found {', '.join(parts)}{suppressed} in {s['files']} file{'' if s['files'] == 1 else 's'}."

    # ---- exports
    def finding_dict(self, f: Finding) -> dict:
        return {
            "rule": f.rule,
            "severity": f.severity,
            "message": f.message,
            "resource": f.resource,
            "path": f.path,
            "file": f.loc.file if f.loc else None,
            "line": f.loc.line if f.loc else None,
            "column": f.loc.col if f.loc else None,
            "hint": f.hint,
            "references": list(f.references),
            "evidence": [
                {"label": e.label, "value": _plain(e.value), "source": e.source, "as_of": e.as_of,
                 "confidence": e.confidence}
                for e in f.evidence
            ],
            "suppressed": f.suppressed,
            "suppression": (
                {"kind": f.suppression_kind, "reason": f.suppression_reason, "expires": f.suppression_expires}
                if f.suppressed else None
            ),
        }

    def to_dict(self) -> dict:
        from .. import __version__

        return {
            "version": JSON_FORMAT_VERSION,
            "tool": {"name": "erdesign", "version": __version__},
            "findings": [self.finding_dict(f) for f in self.findings],
            "summary": {**self.summary, "fail_on": self.fail_on},
            "errors": [{"rules": list(e.rules), "check": e.check, "message": e.message} for e in self.errors],
            **({"input_errors": [input_error_dict(e) for e in self.input_errors]} if self.input_errors else {}),
        }

    def to_frame(self):
        """The findings as a pandas DataFrame (needs the `pandas` extra: pip install 'erdesign[pandas]')."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "LintReport.to_frame() needs pandas, which is an optional extra: pip install 'erdesign[pandas]'"
            ) from None
        rows = []
        for f in self.findings:
            d = self.finding_dict(f)
            d["suppression_reason"] = f.suppression_reason
            rows.append({k: d[k] for k in _FRAME_COLUMNS})
        return pd.DataFrame(rows, columns=_FRAME_COLUMNS)

    def _rows(self) -> list[list]:
        return [
            [f"{f.loc.file}:{f.loc.line}:{f.loc.col}" if f.loc else "", f.rule,
             f.severity + (" (suppressed)" if f.suppressed else ""), f.message]
            for f in self.findings
        ]

    def table(self, tablefmt: str = "simple") -> str:
        from tabulate import tabulate

        if not self.findings:
            return self.summary_line()
        body = tabulate(self._rows(), headers=["location", "rule", "severity", "message"], tablefmt=tablefmt)
        return f"{body}\n{self.summary_line()}" if tablefmt != "html" else f"{body}<p>{self.summary_line()}</p>"

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        return self.table("html")

    def __repr__(self) -> str:
        return f"<LintReport {self.summary_line()}>"


def input_error_dict(error) -> dict:
    loc = error.loc
    return {"file": loc.file if loc else error.file, "line": loc.line if loc else None,
            "column": loc.col if loc else None, "message": error.message}


def merge_reports(reports: list[LintReport]) -> LintReport:
    """One report from the reports of several designs (for the machine formats)."""
    if len(reports) == 1:
        return reports[0]
    first = reports[0]
    merged = LintReport(catalog=first.catalog, fail_on=first.fail_on, docs_url=first.docs_url)
    for report in reports:
        merged.findings.extend(report.findings)
        merged.errors.extend(report.errors)
        merged.input_errors.extend(report.input_errors)
        merged.files.extend(f for f in report.files if f not in merged.files)
        merged.catalog = merged.catalog or report.catalog
    return merged


def assert_clean(report: LintReport, soft: bool = False, fail_on: str = "error") -> bool:
    """Raise AssertionError (or warn, with soft=True) if the report has active findings at/above `fail_on`.

    Returns True when clean, like pybatfish's assert helpers.
    """
    problems = report.failing(fail_on)
    if report.errors:
        message = "\n".join(str(e) for e in report.errors)
    elif problems:
        lines = [f"{f.loc}: {f.rule} {f.severity} {f.message}" if f.loc else f"{f.rule} {f.severity} {f.message}"
                 for f in problems]
        message = f"{len(problems)} finding(s) at or above {fail_on}:\n" + "\n".join(lines)
    else:
        return True
    if soft:
        warnings.warn(message, stacklevel=2)
        return False
    raise AssertionError(message)


def _plural(n: int, word: str) -> str:
    if not n:
        return ""
    return f"{n} {word}" + ("" if n == 1 else "s")


def _plain(value):
    """Evidence values as JSON-friendly data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
