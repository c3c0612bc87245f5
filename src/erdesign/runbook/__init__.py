"""Runbooks derived from a design: the build order with its gates, and the teardown order.

    from erdesign.runbook import build_runbook, teardown_runbook, render
    print(render(build_runbook(design), "sh"))
"""
from __future__ import annotations

from .derive import build_runbook, teardown_runbook
from .model import Command, Gate, Runbook, Step, Var
from .render import FORMATS, render

__all__ = ["FORMATS", "Command", "Gate", "Runbook", "Step", "Var", "build_runbook", "render", "teardown_runbook"]
