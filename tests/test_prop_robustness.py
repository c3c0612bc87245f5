"""Property: whatever a user does to a valid design, lint and cost end with exit 0, 1 or 2 —
never a traceback or an internal error — and a run that fails on input writes nothing."""
from __future__ import annotations

import json

import copy

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
    st.sampled_from(["1Gbps", "10.0.0.0/8", "192.0.2.1", "ErGwScale", "Premium", "eastus", "", "∞", "0/0"]),
    st.lists(st.integers(min_value=0, max_value=5000), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _mutate(doc, path, action, value):
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "replace":
        parent[key] = value
    elif action == "delete":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))


@st.composite
def mutated_design(draw, base):
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        _mutate(doc, path, action, draw(ODD_VALUES))
    return doc


def _examples():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "examples"
    return {p.name: yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))}


BASES = _examples()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_designs_never_crash(data, tmp_path_factory, run_cli):
    name = data.draw(st.sampled_from(sorted(BASES)))
    doc = data.draw(mutated_design(BASES[name]))
    folder = tmp_path_factory.mktemp("mut")
    path = folder / "design.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    out = folder / "report.json"
    for args in (["lint", path, "--format", "json", "-o", out], ["cost", path, "--format", "json"]):
        result = run_cli(*args)
        assert result.code in (0, 1, 2), (args, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err, (args, result.err)
        if result.code == 2:
            assert result.err.strip(), "exit 2 must say why"
            assert all(line.startswith(str(path)) or line.startswith("erdesign") or line.startswith("Error")
                       for line in result.err.strip().split("\n")), result.err
            if args[0] == "lint":  # the report is written for input errors too, and says what they are
                report = json.loads(out.read_text(encoding="utf-8"))
                assert report["input_errors"] and report["findings"] == [], report
                out.unlink()
