"""Run the rules over a design: select, check, complete, suppress, sort.

``lint(design)`` is pure: it reads the design and the shipped catalog, never the
file system around the design (configuration discovery is the CLI's job; pass
``config=`` to use one).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import traceback
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Optional

from ..errors import Loc
from .catalog import UNREGISTERED_FAMILIES, Catalog, as_catalog
from .config import Config, validate_selectors
from .finding import Finding
from .report import InternalError, LintReport
from .suppress import Suppression, collect
from ..collector import collector_paused
from .tree import ancestry, describe, resource_id
from .unknowns import hold_back


@dataclass(frozen=True)
class CheckContext:
    """What a check may want besides the design (passed to checks that take a second argument)."""

    today: dt.date
    catalog: Catalog
    config: Config

    def enabled(self, rule_id: str) -> bool:
        return self.config.is_enabled(rule_id)


def lint(design, *, select=None, ignore=None, extend_select=None, severity: Optional[Mapping[str, str]] = None,
         config: Optional[Config] = None, fail_on: Optional[str] = None, today: Optional[dt.date] = None,
         checks=None, catalog=None, baseline=None) -> LintReport:
    """Run every selected rule over a resolved design and return a LintReport.

    select / ignore / extend_select: rule IDs or prefixes (lists or comma-separated text);
    severity: {ID or prefix: level}; these override `config`. `checks` ({ID: fn} or a list of
    @check functions) and `catalog` ({ID: page}) replace the registry and catalog (for tests).
    `baseline` (an engine.baseline.Baseline) marks the findings it lists as baselined and reports
    its stale entries (SUP005).
    """
    with collector_paused():
        return _lint(design, select=select, ignore=ignore, extend_select=extend_select, severity=severity,
                     config=config, fail_on=fail_on, today=today, checks=checks, catalog=catalog, baseline=baseline)


def _lint(design, *, select, ignore, extend_select, severity, config, fail_on, today, checks, catalog,
          baseline) -> LintReport:
    cat = as_catalog(catalog)
    cfg = (config or Config()).with_overrides(
        select=select, ignore=ignore, extend_select=extend_select, severity=severity, fail_on=fail_on)
    validate_selectors(cfg, cat)
    today = today or dt.date.today()
    load_errors: list[InternalError] = []
    registry = _as_registry(checks, load_errors)
    ctx = CheckContext(today, cat, cfg)

    produced, errors, ran = _run_checks(design, registry, ctx)
    errors[:0] = load_errors
    produced, held_back = hold_back(produced, design)  # findings resting on values known only at deployment
    produced.extend(held_back)
    produced.extend(dataclasses.replace(note) for note in getattr(design, "_notes", []))
    ran |= {rid for rid in cat if rid.startswith(UNREGISTERED_FAMILIES) and cfg.is_enabled(rid)}

    chains = ancestry(design)
    fallback = _fallback_loc(design)
    findings: list[Finding] = []
    missing_pages: set[str] = set()
    for f in produced:
        if not cfg.is_enabled(f.rule):
            continue
        if f.rule not in cat and f.rule not in missing_pages:
            missing_pages.add(f.rule)
            errors.append(InternalError((f.rule,), "", f"no catalog page (rules/catalog/{f.rule}.yaml)"))
        findings.append(_complete(f, cat, cfg, chains, fallback))

    suppressions = collect(design, cat)
    for f in _apply_suppressions(findings, suppressions, chains, today, ran):
        if cfg.is_enabled(f.rule):
            findings.append(_complete(f, cat, cfg, chains, fallback))
    if baseline is not None:
        for f in baseline.apply(findings):
            if cfg.is_enabled(f.rule):
                findings.append(_complete(f, cat, cfg, chains, fallback))

    findings.sort(key=_sort_key)
    files = list(getattr(design, "_sources", {}))
    files += sorted({f.loc.file for f in findings if f.loc and f.loc.file not in files})
    return LintReport(findings=findings, errors=errors, files=files, catalog=cat, fail_on=cfg.fail_on,
                      docs_url=cfg.docs_url)


# --------------------------------------------------------------------------- running checks

def _load_registry(errors: list[InternalError]) -> dict[str, Callable]:
    """Every registered check; a check module that cannot be imported is an internal error, not the end."""
    from .registry import load_all_checks

    def broken(name: str, exc: Exception) -> None:
        errors.append(InternalError((), f"check module {name}", f"cannot import: {type(exc).__name__}: {exc}",
                                    traceback.format_exc()))

    return load_all_checks(on_error=broken)


def _as_registry(checks, errors: list[InternalError]) -> dict[str, Callable]:
    if checks is None:
        return _load_registry(errors)
    if isinstance(checks, Mapping):
        return dict(checks)
    registry: dict[str, Callable] = {}
    for fn in checks:
        for rule_id in getattr(fn, "rule_ids", ()):
            registry[rule_id] = fn
    return registry


def _run_checks(design, registry: dict[str, Callable], ctx: CheckContext):
    by_fn: dict[Callable, list[str]] = {}
    for rule_id, fn in registry.items():
        by_fn.setdefault(fn, []).append(rule_id)
    produced: list[Finding] = []
    errors: list[InternalError] = []
    ran: set[str] = set()
    for fn, rule_ids in by_fn.items():
        enabled = [r for r in rule_ids if ctx.enabled(r)]
        if not enabled:
            continue
        try:
            results = list(fn(design, ctx) if _wants_context(fn) else fn(design))
        except Exception as exc:  # a bug in a check must not take the whole run down
            errors.append(InternalError(tuple(sorted(rule_ids)), getattr(fn, "__name__", repr(fn)),
                                        f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        bad = [r for r in results if not isinstance(r, Finding)]
        if bad:
            errors.append(InternalError(tuple(sorted(rule_ids)), getattr(fn, "__name__", repr(fn)),
                                        f"returned {type(bad[0]).__name__}, not Finding"))
        produced.extend(dataclasses.replace(r) for r in results if isinstance(r, Finding))
        ran.update(enabled)
    return produced, errors, ran


def _wants_context(fn: Callable) -> bool:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


# --------------------------------------------------------------------------- completing findings

def _fallback_loc(design) -> Optional[Loc]:
    sources = getattr(design, "_sources", {})
    return Loc(next(iter(sources)), 1, 1) if sources else None


def _complete(f: Finding, cat: Catalog, cfg: Config, chains: dict, fallback: Optional[Loc]) -> Finding:
    page = cat.get(f.rule)
    f.severity = cfg.severity_of(f.rule) or f.severity or (page.severity if page else "warning")
    node = f.node
    if f.loc is None and node is not None:
        f.loc = node.loc(*f.field) or node.loc()
    if f.loc is None:
        f.loc = fallback
    if not f.path and node is not None:
        f.path = node.field_path(*f.field)
    if not f.resource and node is not None and id(node) in chains:
        f.resource = resource_id(chains[id(node)])
    if not f.hint and page is not None:
        f.hint = page.fix.strip()
    if page is not None:
        f.references = list(f.references) + [r for r in page.references if r not in f.references]
    return f


def _sort_key(f: Finding):
    loc = f.loc or Loc("", 0, 0)
    return (loc.file, loc.line, loc.col, f.rule, f.message)


# --------------------------------------------------------------------------- suppressions

def _covers(sup: Suppression, f: Finding, chains: dict) -> bool:
    if sup.kind == "inSource":
        file = sup.loc.file if sup.loc is not None else None
        if f.loc is not None and f.loc.file == file and f.loc.line in sup.lines:
            return True
        start = f.node.loc() if f.node is not None else None
        return start is not None and start.file == file and start.line in sup.lines
    if f.node is None:
        return False
    chain = chains.get(id(f.node), ())
    return f.node is sup.owner or any(step is sup.owner for _, _, step in chain)


def _apply_suppressions(findings: list[Finding], suppressions: list[Suppression], chains: dict,
                        today: dt.date, ran: set[str]) -> Iterable[Finding]:
    """Mark covered findings as suppressed; yield the SUP findings about the suppressions themselves."""
    for f in findings:
        if f.rule.startswith("SUP"):
            continue
        for sup in suppressions:
            if sup.problem or not sup.covers_rule(f.rule) or not _covers(sup, f, chains):
                continue
            sup.mark_used(f.rule)
            if sup.expired(today) or f.suppressed:
                continue
            f.suppressed = True
            f.suppression_kind = sup.kind
            f.suppression_reason = sup.reason
            f.suppression_expires = sup.expires.isoformat() if sup.expires else None

    for sup in suppressions:
        label = _label(sup, chains)
        if sup.problem:
            rule, text = sup.problem
            message = f"{label} {text}"
        elif sup.expired(today):
            rule = "SUP002"
            then = "the findings it covered count again" if sup.used else "it no longer matches any finding; remove it"
            message = f"{label} expired on {sup.expires} (reason: {sup.reason}); {then}"
        elif not sup.used and any(sup.covers_rule(r) for r in ran):
            rule = "SUP001"
            message = f"{label} matches no finding; remove it"
        elif unused := sup.unused_selectors(ran):
            rule = "SUP001"
            listed = ", ".join(unused)
            message = (f"{label}: {listed} {'matches' if len(unused) == 1 else 'match'} no finding "
                       f"(only {', '.join(s for s in sup.rules if s not in unused)} did); remove {listed} from it")
        else:
            continue
        if sup.kind == "external":
            yield Finding(rule, message, node=sup.owner, field=("suppress", sup.index), loc=sup.loc)
        else:
            yield Finding(rule, message, loc=sup.loc)


def _label(sup: Suppression, chains: dict) -> str:
    rules = ",".join(sup.rules)
    if sup.kind == "inSource":
        return f"suppression comment ignore[{rules}]" if rules else "suppression comment"
    owner = describe(sup.owner, chains.get(id(sup.owner))) if sup.owner is not None else "design"
    return f"{owner}: suppress entry for {rules}" if rules else f"{owner}: suppress entry"
