"""How checks are written and laid out (issue 9): a check takes only what it uses, a family's
rules live in the module named after it, and a rule page says what it applies to in the model's terms."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import yaml

from erdesign.engine.catalog import SUBJECTS_OUTSIDE_THE_MODEL, CatalogError, parse_page
from erdesign.engine.registry import load_all_checks
from erdesign.model import object_kinds

REPO = Path(__file__).resolve().parent.parent
CHECKS = REPO / "src" / "erdesign" / "checks"


def _check_functions():
    for path in sorted(CHECKS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", None) == "check" for d in node.decorator_list):
                yield path, node


def test_a_check_takes_the_run_context_only_when_it_uses_it():
    unused = []
    for path, fn in _check_functions():
        params = [a.arg for a in fn.args.args]
        used = {n.id for stmt in fn.body for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        unused += [f"{path.name}:{fn.lineno} {fn.name}({p})" for p in params[1:] if p not in used]
    assert not unused, "check parameters that are never used:\n" + "\n".join(unused)


def test_checks_are_found_and_some_take_the_context():
    registry = load_all_checks()
    arities = {len(inspect.signature(fn).parameters) for fn in registry.values()}
    assert arities == {1, 2}


@pytest.mark.parametrize("family, module", [("NET", "net"), ("BGP", "bgp"), ("GR", "globalreach"), ("VWAN", "vwan")])
def test_a_family_lives_in_the_module_named_after_it(family, module):
    modules = {fn.__module__ for rule, fn in load_all_checks().items() if rule.startswith(family)
               and rule[len(family):].isdigit()}
    assert modules == {f"erdesign.checks.{module}"}


def test_every_page_applies_to_a_kind_of_the_model_or_a_named_subject():
    subjects = {yaml.safe_load(p.read_text(encoding="utf-8"))["applies_to"] for p in (REPO / "rules" / "catalog").glob("*.yaml")}
    assert subjects <= object_kinds() | set(SUBJECTS_OUTSIDE_THE_MODEL)
    assert {"circuit", "peering", "router_interface", "circuit_sku", "hub_gateway"} <= object_kinds()


def test_a_page_that_applies_to_something_the_model_lacks_is_rejected():
    data = yaml.safe_load((REPO / "rules" / "catalog" / "RES013.yaml").read_text(encoding="utf-8"))
    data["applies_to"] = "virtual circut"
    with pytest.raises(CatalogError) as caught:
        parse_page(data, "RES013.yaml")
    assert "'virtual circut' is neither a kind of design object" in str(caught.value)
    assert "did you mean 'virtual_circuit'?" in str(caught.value)
