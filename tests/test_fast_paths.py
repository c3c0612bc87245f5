"""Shortcuts taken for speed give exactly what the slow way gives: source lines found on demand,
flow widths computed without dumping, JSON locations kept as offsets until read."""
from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from erdesign.errors import Loc
from erdesign.importers.jsonloc import parse
from erdesign.importers.to_yaml import _fits_flow, _plain_flow_width
from erdesign.output._util import source_line


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab \n\r\t\x0b\x85\u2028#", max_size=40), line=st.integers(1, 12))
def test_source_line_is_the_line_splitlines_gives(text, line):
    lines = text.splitlines()
    expected = lines[line - 1] if line <= len(lines) else None
    assert source_line(Loc("f", line, 1), {"f": text}) == expected


def test_source_line_of_many_findings_in_one_file():
    text = "".join(f"line {n}\n" for n in range(1, 2001))
    sources = {"f": text}
    for n in (1500, 3, 2000, 2001, 700):
        assert source_line(Loc("f", n, 1), sources) == (f"line {n}" if n <= 2000 else None)


_words = st.sampled_from(["a", "hub-1", "10.0.0.0/16", "yes", "No", "null", "1.0", "0x1F", "2026-01-01", "1e3", "x y",
                          "a:b", "#c", "-", "_x", "09", "Ünïcode", "", "true", "~"])
_scalars = st.one_of(_words, st.integers(-10**9, 10**9), st.booleans(), st.none(), st.just([]),
                     st.floats(allow_nan=False, width=32))


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(st.dictionaries(_words, _scalars, min_size=1, max_size=5), st.lists(_scalars, min_size=1, max_size=6)))
def test_flow_width_without_dumping_is_the_dumped_width(value):
    dumped = len(yaml.dump(value, Dumper=yaml.SafeDumper, default_flow_style=True, width=10_000).strip())
    width = _plain_flow_width(value)
    assert width is None or width == dumped
    assert _fits_flow(value) == (dumped <= 100)


def test_json_locations_are_made_when_read():
    text = '{\n  "a": [1, {"b": null}],\n  "c": "x"\n}\n'
    root, _ = parse(text, "f.json")
    assert type(dict.__getitem__(root.locs, "a")) is int  # offsets until read
    assert root.locs["a"] == Loc("f.json", 2, 8)
    assert root.locs.get("c") == Loc("f.json", 3, 8)
    assert root.key_locs["c"] == Loc("f.json", 3, 3)
    assert root.locs.get("missing") is None
    assert list(root["a"].locs) == [Loc("f.json", 2, 9), Loc("f.json", 2, 12)]
    assert root["a"].value_loc(1) == Loc("f.json", 2, 12)
    root.locs["d"] = Loc("g", 1, 1)  # set by an importer: kept as given
    assert root.locs["d"] == Loc("g", 1, 1)
    root.locs["c"] = Loc("g", 2, 2)  # a value's location replaced: its key's stays
    assert root.locs["c"] == Loc("g", 2, 2) and root.key_locs["c"] == Loc("f.json", 3, 3)
    root.key_locs["c"] = Loc("g", 3, 3)
    assert root.key_locs.get("c") == Loc("g", 3, 3) and "c" in root.key_locs and "zz" not in root.key_locs
    assert dict(root.locs.items())["a"] == Loc("f.json", 2, 8)
    assert root == json.loads(text)


# --------------------------------------------------------------------------- import YAML through LibYAML

_names = st.text(alphabet="abcdefghij-_.0123456789/:#' ", min_size=1, max_size=12)
_leaves = st.one_of(_names, st.integers(-10**6, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False, width=32),
                    st.text(max_size=90))
_trees = st.recursive(_leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(_names, inner, max_size=4)), max_leaves=30)


def _python_emitter(data) -> str:
    from erdesign.importers.to_yaml import _FLOW_WIDTH, _Dumper

    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_FLOW_WIDTH + 20,
                     default_flow_style=False)


@settings(max_examples=300, deadline=None)
@given(tree=st.dictionaries(_names, _trees, min_size=1, max_size=5))
def test_import_yaml_written_by_libyaml_is_what_the_python_emitter_writes(tree):
    from erdesign.importers.to_yaml import _dump, _styled

    styled = _styled(tree, 0)
    assert _dump(styled) == _python_emitter(styled)


def test_example_designs_dump_alike_through_both_emitters():
    from pathlib import Path

    from erdesign import load
    from erdesign.importers.to_yaml import _dump, _styled, design_data

    for path in sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml")):
        try:
            design = load(str(path))
        except Exception:  # parts of a design (include:) or deliberately broken examples
            continue
        styled = _styled(design_data(design), 0)
        assert _dump(styled) == _python_emitter(styled), path.name
