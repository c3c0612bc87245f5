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
    """Load a design from YAML files, folders, or az CLI / ARM / Terraform JSON."""
    from .loader import load_design

    return load_design(list(paths), **import_options)


def _as_design(design_or_paths):
    from .model import Design

    if isinstance(design_or_paths, Design):
        return design_or_paths
    if isinstance(design_or_paths, (list, tuple)):
        return load(*design_or_paths)
    return load(design_or_paths)


def lint(design_or_paths, **options):
    """Run the rules over a design (a Design or paths); returns a LintReport."""
    from .engine.runner import lint as run_lint

    return run_lint(_as_design(design_or_paths), **options)


def assert_clean(report, soft: bool = False, fail_on: str = "error") -> bool:
    """Raise AssertionError (or warn with soft=True) if a LintReport has findings at or above fail_on."""
    from .engine.report import assert_clean as check_clean

    return check_clean(report, soft=soft, fail_on=fail_on)


def cost(design_or_paths, **options):
    """Price a design (a Design or paths); returns a CostReport."""
    from .costing import compute

    return compute(_as_design(design_or_paths), **options)
