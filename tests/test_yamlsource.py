"""The event-stream YAML reader: data as PyYAML reads it (with YAML 1.2 booleans), every value's and
key's location as PyYAML's composed node tree gives it, merge keys, aliases under a budget, and the
lazy locations of validated model objects."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdesign.errors import InputError, Loc
from erdesign.loader import load_design_text
from erdesign.yamlsource import MAX_ALIAS_NODES, MAX_DEPTH, load_yaml

REPO = Path(__file__).resolve().parent.parent


def _oracle(text: str, file: str = "f.yaml") -> dict:
    """path -> Loc from PyYAML's node tree (values at their node, keys at ('<key>', key))."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: dict = {}

    def loc(node):
        return Loc(file, node.start_mark.line + 1, node.start_mark.column + 1)

    def walk(node, path):
        out[path] = loc(node)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = yaml.load(yaml.serialize(key_node), Loader=yaml.SafeLoader)
                key = key if isinstance(key, str) else ("null" if key is None else str(key))
                out[path + ("<key>", key)] = loc(key_node)
                walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    if root is not None:
        walk(root, ())
    return out


def _shipped_yaml() -> list[Path]:
    return sorted((REPO / "examples").rglob("*.yaml")) + sorted((REPO / "rules").rglob("*.yaml"))


@pytest.mark.parametrize("path", _shipped_yaml(), ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_yaml_reads_as_pyyaml_with_the_same_locations(path):
    text = path.read_text(encoding="utf-8")
    data, locs = load_yaml(text, "f.yaml")
    if "<<" not in text and not any(w in text for w in (": yes", ": no", ": on", ": off")):
        assert data == yaml.load(text, Loader=yaml.CSafeLoader)
    expected = _oracle(text)
    assert set(locs) == set(expected)
    for where, loc in expected.items():
        assert locs[where] == loc, where


_keys = st.text(alphabet="abcxyz_-", min_size=1, max_size=6)
_scalars = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(), st.text(alphabet="ab 1.:/-#'\"", max_size=8),
                     st.floats(allow_nan=False, allow_infinity=False, width=32))
_docs = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(_keys, inner, max_size=4)), max_leaves=25)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(doc=_docs, flow=st.sampled_from([None, True, False]), indent=st.sampled_from([2, 4]))
def test_generated_documents_read_back_with_node_tree_locations(doc, flow, indent):
    text = yaml.safe_dump(doc, default_flow_style=flow, indent=indent, sort_keys=False)
    data, locs = load_yaml(text, "f.yaml")
    assert data == doc
    expected = _oracle(text)
    assert set(locs) == set(expected)
    assert all(locs[path] == loc for path, loc in expected.items())


def test_yaml_1_2_booleans_and_explicit_tags():
    data, _ = load_yaml("a: yes\nb: on\nc: true\nd: !!str 12\ne: !!int '12'\nf: ! 12\ng: '12'\nyes: 1\n", "f")
    assert data == {"a": "yes", "b": "on", "c": True, "d": "12", "e": 12, "f": 12, "g": "12", "yes": 1}


def test_non_text_keys_become_text():
    data, locs = load_yaml("1: a\ntrue: b\n~: c\n2.5: d\n", "f")
    assert data == {"1": "a", "True": "b", "null": "c", "2.5": "d"}
    assert locs[("<key>", "True")] == Loc("f", 2, 1)


def test_merge_keys_expand_with_own_keys_winning_and_locations_at_the_anchor():
    text = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nmany:\n  <<: [{p: 1}, {q: 2}]\n"
    data, locs = load_yaml(text, "f")
    assert data["use"] == {"x": 1, "y": 3}
    assert list(data["use"]) == ["x", "y"]
    assert data["many"] == {"p": 1, "q": 2}
    assert locs[("use", "x")] == Loc("f", 1, 14)  # the merged value is where the anchor wrote it
    assert locs[("use", "y")] == Loc("f", 4, 6)
    assert locs[("use", "<key>", "y")] == Loc("f", 4, 3)


def test_aliases_share_their_anchor_locations():
    data, locs = load_yaml("a: &x [1, 2]\nb: *x\n", "f")
    assert data == {"a": [1, 2], "b": [1, 2]}
    assert locs[("b",)] == locs[("a",)] == Loc("f", 1, 4)
    assert locs[("b", 1)] == Loc("f", 1, 11)


@pytest.mark.parametrize("text, where, message", [
    ("a: 1\nb: 2\na: 3\n", (3, 1), "duplicated key 'a' (first at line 1)"),
    ("a: {x: 1, x: 2}\n", (1, 11), "duplicated key 'x'"),
    ("a: !!python/object:os.system x\n", (1, 4), "tag '!!python/object:os.system' is not allowed"),
    ("a: !!set {x: null}\n", (1, 4), "tag '!!set' is not allowed"),
    ("a:\n  <<: 5\n", (2, 7), "a merge key (<<) needs a mapping"),
    ("? [a]\n: b\n", (1, 3), "a mapping key must be a plain value"),
    ("a: *nope\n", (1, 4), "found undefined alias 'nope'"),
    ("a: &a [*a]\n", (1, 8), "recursive alias: '*a' is inside the value anchored as '&a'"),
    ("a: 1\n---\nb: 2\n", (2, 1), "expected a single document"),
    ("a: 2026-13-45\n", (1, 4), "bad value"),
    ("a: 1\na: 2\nb: [1,\n", (4, 1), "malformed YAML"),  # a syntax error is reported before a duplicate
])
def test_problems_are_located(text, where, message):
    with pytest.raises(InputError) as info:
        load_yaml(text, "f")
    assert (info.value.loc.line, info.value.loc.col) == where
    assert message in info.value.message


def test_alias_budget_counts_expanded_values():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InputError) as info:
        load_yaml("\n".join(lines) + "\n", "f")
    assert f"aliases expand to more than {MAX_ALIAS_NODES:,} values" in info.value.message


def test_alias_depth_counts_the_expanded_nesting():
    lines = ["x0: &a0 [1]"] + [f"x{i}: &a{i} [*a{i - 1}]" for i in range(1, MAX_DEPTH + 1)]
    with pytest.raises(InputError) as info:
        load_yaml("\n".join(lines) + "\n", "f")
    assert "levels deep once alias" in info.value.message


def test_model_objects_read_their_locations_lazily_as_before():
    text = (REPO / "examples" / "seed.yaml").read_text(encoding="utf-8")
    design = load_design_text(text, "seed.yaml")
    _, locs = load_yaml(text, "seed.yaml")
    for i, circuit in enumerate(design.circuits):
        assert circuit.loc() == locs[("circuits", i)]
        assert circuit.loc("bandwidth") == locs[("circuits", i, "bandwidth")]
        assert circuit.field_path("bandwidth") == f"circuits[{i}].bandwidth"
        for j, peering in enumerate(circuit.peerings):
            assert peering.loc("peer_asn") == locs.get(("circuits", i, "peerings", j, "peer_asn"), peering.loc())
    for i, vnet in enumerate(design.vnets):
        for j, _ in enumerate(vnet.address_space):
            assert vnet.loc("address_space", j) == locs[("vnets", i, "address_space", j)]
        # a mapping item (a subnet) is not a location of the VNet: its own object has it
        if vnet.subnets:
            assert vnet.loc("subnets", 0) == locs[("vnets", i, "subnets")]
            assert vnet.subnets[0].loc() == locs[("vnets", i, "subnets", 0)]
    site = design.sites[0]
    site.set_loc(Loc("x", 9, 9), "name")  # set explicitly: wins over the source
    assert site.loc("name") == Loc("x", 9, 9)
