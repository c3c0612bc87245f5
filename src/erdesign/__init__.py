"""erdesign: lint and cost Azure ExpressRoute designs offline.

Library API (for notebooks and scripts)::

    import erdesign
    design = erdesign.load("design.yaml")          # or several files / folders / az JSON
    report = erdesign.lint(design)                  # findings; report.to_frame() with pandas
    erdesign.assert_clean(report)                   # AssertionError if an error-level finding is active
    tco = erdesign.cost(design, months=36)          # cost lines and totals; tco.to_frame()
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["load", "lint", "cost", "assert_clean", "__version__"]


def load(*paths, **import_options):
    """Load ONE design from YAML files, folders, or az CLI / ARM / Terraform JSON.

    Every path given is part of the design; a design file's `include:` list brings in its parts too.
    (The command line finds designs instead: see discovery.discover.)
    """
    from .discovery import design_parts
    from .loader import load_design

    files: list = []
    flat = [p for path in paths for p in (path if isinstance(path, (list, tuple)) else [path])]  # load([...]) too
    for path in flat:
        parts = design_parts(path) if str(path).lower().endswith((".yaml", ".yml")) else [path]
        files += [part for part in parts if part not in files]
    return load_design(files, **import_options)


def _as_design(design_or_paths):
    from .model import Design

    if isinstance(design_or_paths, Design):
        return design_or_paths
    if isinstance(design_or_paths, (list, tuple)):
        return load(*design_or_paths)
    return load(design_or_paths)


def lint(design_or_paths, *, select=None, ignore=None, extend_select=None, severity=None, config=None,
         fail_on=None, today=None, checks=None, catalog=None, baseline=None):
    """Run the rules over a design and return a LintReport.

    design_or_paths: a Design (from load()), or a path / list of paths to load as one design.
    select: rule IDs or prefixes to run (e.g. ["BGP", "NET001"]; "ALL" for every rule).
    ignore: rule IDs or prefixes to leave out (e.g. ["RES009"]).
    extend_select: IDs or prefixes to add to the selection.
    severity: {rule ID or prefix: "error" | "warning" | "info"} overrides.
    config: an erdesign.engine.config.Config (what pyproject.toml / .erdesign.yaml hold); the
        arguments above override it.
    fail_on: lowest severity that makes report.exit_code() 1 (default "error").
    today: the date suppression expiries are compared with (default: today).
    checks / catalog: replace the rule registry and catalog (for tests of your own rules).
    baseline: an erdesign.engine.baseline.Baseline (read_baseline(path)): findings in it are left out
        and counted; its entries that match nothing are reported (SUP005).

    The report displays as a table in a notebook; report.to_frame() gives a DataFrame.
    """
    from .engine.runner import lint as run_lint

    return run_lint(_as_design(design_or_paths), select=select, ignore=ignore, extend_select=extend_select,
                    severity=severity, config=config, fail_on=fail_on, today=today, checks=checks,
                    catalog=catalog, baseline=baseline)


def assert_clean(report, soft: bool = False, fail_on: str = "error") -> bool:
    """Raise AssertionError (or warn with soft=True) if a LintReport has findings at or above fail_on."""
    from .engine.report import assert_clean as check_clean

    return check_clean(report, soft=soft, fail_on=fail_on)


def cost(design_or_paths, *, months=36, plan=None, pricing=(), egress=None, peering_out=None, peering_in=None,
         global_reach=None, vpn=None, books=None, scenario=None):
    """Price a design and return a CostReport (displays as a summary in a notebook).

    design_or_paths: a Design (from load()), or a path / list of paths to load as one design.
    months: TCO horizon in months (default 36).
    plan: "metered" or "unlimited" to reprice every circuit on that plan (what-if); None keeps each
        circuit's own plan.
    pricing: extra price books (paths or PriceBook objects), applied over the packaged ones in order.
    egress: {circuit: GB per month} outbound; peering_out / peering_in: {VNet peering: GB per month};
        global_reach: {"circuit:peer" or (circuit, peer): GB per month}; vpn: {gateway: GB per month}.
        Each replaces the design's traffic section for what it names.
    books: a loaded PriceBooks (instead of `pricing`).
    scenario: the name of one of the design's traffic.scenarios to price instead of the base traffic.

    tco.totals_frame(), tco.comparisons_frame() and tco.to_frame() give DataFrames (needs pandas).
    """
    from .costing import compute

    return compute(_as_design(design_or_paths), months=months, plan=plan, pricing=pricing, egress=egress,
                   peering_out=peering_out, peering_in=peering_in, global_reach=global_reach, vpn=vpn, books=books,
                   scenario=scenario)
