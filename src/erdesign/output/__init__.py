"""Renderers for lint reports: one module per format, each with ``render(report, **options) -> str``."""
from __future__ import annotations

import importlib

FORMATS = ("text", "concise", "json", "sarif", "github", "markdown")


def render(report, fmt: str = "text", **options) -> str:
    """The report in one of FORMATS (text options: show_evidence, show_suppressed)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{fmt}")
    return module.render(report, **options)
