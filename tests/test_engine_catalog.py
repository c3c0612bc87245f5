"""The rule catalog: every page valid, one page per registered rule and vice versa; `erdesign rules`."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from erdesign.engine.catalog import (SEVERITIES, UNREGISTERED_FAMILIES, CatalogError, as_catalog, load_catalog,
                                     parse_page)

CATALOG_DIR = Path(__file__).resolve().parents[1] / "rules" / "catalog"
PAGE_FILES = sorted(p for p in CATALOG_DIR.glob("*.yaml") if not p.name.startswith("_"))
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _raw(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_page_is_valid(path):
    data = _raw(path)
    page = parse_page(data, path.name)
    assert page.id == path.stem, f"{path.name}: id {page.id} does not match the file name"
    assert page.severity in SEVERITIES
    for which in ("bad", "good"):
        snippet = getattr(page.example, which)
        try:
            yaml.load(snippet, Loader=_Loader)
        except yaml.YAMLError as exc:
            pytest.fail(f"{path.name}: example.{which} is not valid YAML: {exc}")
    assert page.example.bad != page.example.good


def test_catalog_and_registry_match():
    from erdesign.engine.registry import load_all_checks

    registry = load_all_checks()
    catalog = load_catalog()
    without_page = sorted(set(registry) - set(catalog))
    without_check = sorted(r for r in catalog if r not in registry and not r.startswith(UNREGISTERED_FAMILIES))
    assert without_page == [], f"registered rules without a rules/catalog page: {without_page}"
    assert without_check == [], f"catalog pages without a registered check: {without_check}"


def test_names_are_unique():
    names = [page.name for page in load_catalog().values()]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_engine_pages_ship():
    catalog = load_catalog()
    assert {"SUP001", "SUP002", "SUP003", "SUP004"} <= set(catalog)
    assert catalog["SUP001"].severity == "warning" and catalog["SUP003"].severity == "error"


def test_catalog_loads_fast():
    load_catalog.cache_clear()
    start = time.perf_counter()
    load_catalog()
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("change, message", [
    ({"severity": "critical"}, "x.yaml: severity: Input should be 'error', 'warning' or 'info'"),
    ({"family": "NET"}, "x.yaml: id BGP901 does not start with its family NET"),
    ({"name": "Not Kebab"}, "x.yaml: name: String should match pattern"),
    ({"references": ["learn.microsoft.com"]}, "x.yaml: references: reference 'learn.microsoft.com' is not an http(s) URL"),
    ({"whatever": 1}, "x.yaml: whatever: Extra inputs are not permitted"),
])
def test_bad_page_names_file_and_field(change, message):
    import engine_toy as toy

    page = {"id": "BGP901", **toy.PAGES["BGP901"], **change}
    with pytest.raises(CatalogError) as info:
        parse_page(page, "x.yaml")
    assert str(info.value).startswith(message)


def test_injected_catalog_keeps_engine_pages():
    import engine_toy as toy

    catalog = as_catalog(toy.PAGES)
    assert set(catalog) == {"BGP901", "BGP902", "NET901", "SUP001", "SUP002", "SUP003", "SUP004", "SUP005"}
    assert catalog.is_selector("BGP9") and catalog.is_selector("VLAN") and not catalog.is_selector("BGP8")


# --------------------------------------------------------------------------- erdesign rules

def test_rules_lists_the_catalog(run_cli):
    result = run_cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "Severity", "Name", "Title"]
    sup = next(line for line in lines if line.startswith("SUP001"))
    assert sup.split()[:3] == ["SUP001", "warning", "unused-suppression"]
    assert lines[-1].startswith(f"{len(load_catalog())} rules.")


def test_rules_json_and_select(run_cli):
    result = run_cli("rules", "--format", "json", "--select", "SUP")
    pages = json.loads(result.out)
    assert [p["id"] for p in pages] == ["SUP001", "SUP002", "SUP003", "SUP004", "SUP005"]
    assert pages[0]["example"]["bad"] and pages[0]["severity"] == "warning"
    bad = run_cli("rules", "--select", "SPU")
    assert bad.code == 2 and "unknown rule or prefix 'SPU'" in bad.err


def test_explain_an_engine_rule(run_cli):
    result = run_cli("rules", "explain", "sup003")
    assert result.code == 0
    out = result.out
    assert out.startswith("# suppression-without-reason (SUP003)\n\n**Suppression has no reason**\n")
    assert "Default severity: error" in out
    for heading in ("## What it does", "## Why it matters", "## Example", "Bad:", "Good:", "## Fix"):
        assert heading in out
    assert run_cli("rules", "explain", "unused-suppression").out.startswith("# unused-suppression (SUP001)")
    assert run_cli("rules", "SUP003").out == out  # short form, like `ruff rule F401`


def test_explain_a_family_rule(run_cli):
    catalog = load_catalog()
    rule = "BGP001" if "BGP001" in catalog else next(r for r in catalog if not r.startswith("SUP"))
    page = catalog[rule]
    result = run_cli("rules", "explain", rule)
    assert result.code == 0 and result.out.startswith(f"# {page.name} ({rule})")
    if page.references:
        assert "## References\n- " + page.references[0] in result.out
    doc = json.loads(run_cli("rules", "explain", rule, "--format", "json").out)
    assert doc["id"] == rule and doc["fix"] == page.fix


def test_explain_unknown_rule_suggests(run_cli):
    result = run_cli("rules", "explain", "SUP01")
    assert result.code == 2 and result.out == ""
    assert result.err.strip().startswith("unknown rule 'SUP01' (did you mean 'SUP001'?)")


EXAMPLE_PAGES = [p for p in PAGE_FILES if not p.stem.startswith(("IMP", "RTR", "LIVE"))]  # IMP: importer inputs; RTR: design + router configuration (test_rtr_rules.py); LIVE: live views (test_live.py)


@pytest.mark.parametrize("path", EXAMPLE_PAGES, ids=lambda p: p.stem)
def test_example_bad_triggers_the_rule_and_good_does_not(path):
    """A page's examples are design snippets: `bad` gets the rule's finding, `good` does not."""
    from erdesign.engine.runner import lint
    from erdesign.loader import load_design_text

    rule = path.stem
    fired = {}
    for which in ("bad", "good"):
        snippet = _raw(path)["example"][which]
        design = load_design_text(snippet, f"{rule}.example.{which}.yaml")
        report = lint(design, select=None if rule.startswith("SUP") else [rule])
        assert [str(e) for e in report.errors if rule in e.rules] == []
        fired[which] = [f.message for f in report.active if f.rule == rule]
    abbreviated = _raw(path)["example"]["bad"].lstrip().startswith("# abbreviated")
    # an abbreviated example (the real one needs >1,000 objects) is exercised by the rule's own tests
    assert fired["bad"] or abbreviated, f"{rule}: example.bad does not trigger {rule}"
    assert fired["good"] == [], f"{rule}: example.good still triggers {rule}: {fired['good']}"
