"""Helpers the rule tests (tests/test_rules_*.py) share: load a design snippet,
run a check on it, and say where in the snippet a finding points."""
from __future__ import annotations

import textwrap

from erdesign.engine.catalog import load_catalog
from erdesign.engine.runner import lint
from erdesign.loader import load_design_text

FILE = "design.yaml"


def load(text: str):
    """The design a YAML snippet describes (dedented), read as design.yaml."""
    return load_design_text(textwrap.dedent(text), FILE)


def run(check, text: str) -> list:
    """Every finding of a check function on a snippet."""
    return list(check(load(text)))


def findings(check, text: str, rule: str) -> list:
    """The findings of `rule` from a check function on a snippet."""
    return [f for f in run(check, text) if f.rule == rule]


def only(found: list, rule: str):
    """(finding, location) of the one finding there must be, of `rule`."""
    assert [f.rule for f in found] == [rule], [f.message for f in found]
    f = found[0]
    return f, f.node.loc(*f.field)


def line(f) -> int:
    """The line a finding points at."""
    return f.node.loc(*f.field).line


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of the (dedented) snippet that contains `needle`."""
    hits = [i for i, line in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in line]
    return hits[nth - 1]


def where(text: str, needle: str, after: str = "") -> str:
    """file:line:col of `needle` (the first one after `after`) in `text`."""
    start = text.index(after) + len(after) if after else 0
    pos = text.index(needle, start)
    row = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{FILE}:{row}:{col}"


def located(check, rule: str, text: str) -> list[tuple[str, str]]:
    """(location, message) of `rule`'s findings, from the check itself; the engine must agree,
    with the catalog's severity."""
    design = load(text)
    direct = [(str(f.node.loc(*f.field)), f.message) for f in check(design) if f.rule == rule]
    report = lint(design, select=[rule])
    via_engine = [(str(f.loc), f.message) for f in report.findings if f.rule == rule]
    assert sorted(direct) == sorted(via_engine)
    for f in report.findings:
        assert f.severity == load_catalog()[rule].severity
    return direct
