"""Compare two designs: what changed, what Azure does with each change, findings and cost deltas.

``compare(old, new)`` takes two resolved designs and returns a :class:`DiffReport`:

- object changes field by field, with the location on both sides and the change-safety class of
  each (rules/data/change_safety.yaml: in place / in place with downtime / needs a new resource /
  not allowed; estimate where Microsoft's text does not say it outright);
- findings new, fixed and unchanged (matched by rule, resource and field, so line moves don't count);
- cost per line and in total (monthly, one-time, first year, TCO), with unknown deltas where a side
  is unpriced.

``load_revision(paths, rev)`` loads the design files as they were at a git revision (``git show``).
"""
from __future__ import annotations

import os
import subprocess
from typing import Iterable, Optional, Sequence

from .report import Change, CostDelta, CostLineDelta, DiffReport, FindingsDelta
from .safety import classify
from .structure import compare_objects

__all__ = ["Change", "CostDelta", "DiffReport", "FindingsDelta", "compare", "finding_key", "load_revision"]


def compare(old, new, *, months: int = 36, books=None, lint_options: Optional[dict] = None,
            old_label: str = "old", new_label: str = "new", fail_on: Optional[str] = None) -> DiffReport:
    """Compare two resolved designs (see the module docstring)."""
    from ..costing import compute
    from ..costing.book import load_books
    from ..engine.runner import lint

    changes = [Change(fc, classify(fc.kind, fc.safety_field, fc.old, fc.new)) for fc in compare_objects(old, new)]
    options = dict(lint_options or {})
    findings = findings_delta(lint(old, **options).active, lint(new, **options).active)
    books = books if books is not None else load_books([])
    cost = cost_delta(compute(old, months=months, books=books), compute(new, months=months, books=books))
    return DiffReport(old_label=old_label, new_label=new_label, changes=changes, findings=findings, cost=cost,
                      fail_on=fail_on)


def finding_key(f) -> str:
    """What makes two findings 'the same' across versions: rule, resource and field (as the SARIF
    fingerprint), or rule and message for findings that are not on an object (file names differ
    between the two sides of a diff)."""
    if f.resource:
        return f"{f.rule}|{f.resource}|{'.'.join(str(p) for p in f.field)}"
    return f"{f.rule}||{f.message}"


def findings_delta(old: Iterable, new: Iterable) -> FindingsDelta:
    old, new = list(old), list(new)
    old_keys = {finding_key(f) for f in old}
    new_keys = {finding_key(f) for f in new}
    return FindingsDelta(new=[f for f in new if finding_key(f) not in old_keys],
                         fixed=[f for f in old if finding_key(f) not in new_keys],
                         unchanged=[f for f in new if finding_key(f) in old_keys])


def cost_delta(old_report, new_report) -> CostDelta:
    """Pair cost lines by object, component and kind (monthly / one-time), in order."""
    def keyed(report):
        out: dict = {}
        seen: dict = {}
        for line in report.lines:
            base = (line.group, line.component, line.is_one_time)
            n = seen[base] = seen.get(base, -1) + 1
            out[base + (n,)] = line
        return out

    before, after = keyed(old_report), keyed(new_report)
    lines = []
    for key in list(after) + [k for k in before if k not in after]:
        o, n = before.get(key), after.get(key)
        group, component, one_time, _ = key
        lines.append(CostLineDelta(
            group=group, component=component, one_time=one_time,
            old_description=o.description if o else None, new_description=n.description if n else None,
            old_amount=_amount(o), new_amount=_amount(n),
            old_priced=o is None or o.priced, new_priced=n is None or n.priced,
            old_confidence=o.confidence if o else None, new_confidence=n.confidence if n else None))
    return CostDelta(currency=new_report.currency, months=new_report.months, lines=lines,
                     old_totals=old_report.totals, new_totals=new_report.totals)


def _amount(line):
    if line is None or not line.priced:
        return None
    return line.one_time if line.is_one_time else line.monthly


# --------------------------------------------------------------------------- git revisions

def load_revision(paths: Sequence[str], rev: str, **import_options):
    """The design made of `paths` as they were at git revision `rev`, read with `git show`.

    Locations read 'REV:path'. A folder means the design files in it at that revision.
    Raises InputError when git fails (not a repository, unknown revision, file absent then).
    """
    from ..errors import InputError
    from ..loader import design_from_texts

    texts: list[tuple[str, str]] = []
    for path in paths:
        for file in _files_at(path, rev):
            texts.append((_git(["show", f"{rev}:{file}"], cwd=_repo_root(path)), f"{rev}:{file}"))
    if not texts:
        raise InputError(f"no design file at revision {rev} under {', '.join(paths)}")
    return design_from_texts(texts, **import_options)


def _repo_root(path: str) -> str:
    start = path if os.path.isdir(path) else (os.path.dirname(path) or ".")
    return _git(["rev-parse", "--show-toplevel"], cwd=start).strip()


def _files_at(path: str, rev: str) -> list[str]:
    """Repository-relative design files for `path` at `rev`."""
    root = _repo_root(path)
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    if os.path.isdir(path):
        listed = _git(["ls-tree", "-r", "--name-only", rev, "--", rel], cwd=root).splitlines()
        return sorted(f for f in listed if f.lower().endswith((".yaml", ".yml", ".json")))
    return [rel]


def _git(args: list[str], cwd: str) -> str:
    from ..errors import InputError

    try:
        done = subprocess.run(["git", *args], cwd=cwd or ".", capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise InputError("--base needs git, which is not on PATH") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"git {' '.join(args[:1])} failed: {exc}") from None
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise InputError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return done.stdout
