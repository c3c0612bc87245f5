"""The located JSON reader: values equal json.loads, every value's line:col is its first character,
malformed input is one located message."""
from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdesign.errors import InputError
from erdesign.importers.jsonloc import Document, LocDict, LocList, parse

# --------------------------------------------------------------------------- property


def _walk(value, loc):
    """Every (value, loc) pair in a parsed document, the root included."""
    yield value, loc
    if isinstance(value, LocDict):
        for key, item in value.items():
            yield from _walk(item, value.locs[key])
    elif isinstance(value, LocList):
        for item, item_loc in zip(value, value.locs):
            yield from _walk(item, item_loc)


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.text(max_size=6), inner, max_size=5)),
    max_leaves=30,
)
_layouts = st.sampled_from([
    {"indent": None}, {"indent": 2}, {"indent": 4}, {"indent": "\t"},
    {"indent": None, "separators": (",", ":")}, {"indent": 1, "ensure_ascii": False},
])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_values, layout=_layouts, lead=st.sampled_from(["", "\n", "  \r\n", "\ufeff"]))
def test_every_recorded_location_points_at_the_first_character_of_its_value(value, layout, lead):
    text = lead + json.dumps(value, **layout)
    parsed, doc = parse(text, "gen.json")
    assert parsed == json.loads(text.lstrip("\ufeff"))
    root_loc = parsed.loc if isinstance(parsed, (LocDict, LocList)) else None
    decoder = json.JSONDecoder()
    for item, loc in _walk(parsed, root_loc):
        if loc is None:  # a scalar root has no container to record it
            continue
        offset = doc.offset(loc)
        decoded, _ = decoder.raw_decode(text, offset)
        assert decoded == item, f"{loc} does not start {item!r}"
        assert loc.line == text.count("\n", 0, offset) + 1


def test_key_locations_and_line_col_are_one_based():
    text = '{\n  "a": [1,\n        {"b": true}]\n}'
    parsed, _ = parse(text, "f.json")
    assert parsed.loc == ("f.json", 1, 1)
    assert parsed.key_locs["a"] == ("f.json", 2, 3)
    assert parsed.locs["a"] == ("f.json", 2, 8)
    inner = parsed["a"][1]
    assert parsed["a"].locs[1] == ("f.json", 3, 9)
    assert inner.locs["b"] == ("f.json", 3, 15)


def test_location_inside_a_string_accounts_for_escapes():
    text = '{"x": "[a\\"b(]"}'
    parsed, doc = parse(text, "f.json")
    loc = parsed.locs["x"]
    assert doc.loc_in_string(loc, 0).col == 8  # the '['
    assert doc.loc_in_string(loc, 3).col == 12  # 'b', after the two-character escape


def test_comments_are_skipped_as_arm_templates_allow():
    text = '// header\n{ /* a */ "a": 1, // trailing\n "b": [2 /* x */] }'
    parsed, _ = parse(text, "t.json")
    assert parsed == {"a": 1, "b": [2]}
    assert parsed.locs["b"].line == 3


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("text, where, words", [
    ('{"a": 1,}', (1, 9), "trailing comma"),
    ('{"a" 1}', (1, 6), "expected ':'"),
    ('{"a": 1 "b": 2}', (1, 9), "expected ',' or '}'"),
    ('[1, 2', (1, 6), "expected ',' or ']'"),
    ('{"a": tru}', (1, 7), "expected a value"),
    ('{"a": "x\ny"}', (1, 9), "control character"),
    ('{"a": "abc', (1, 7), "unterminated string"),
    ("{'a': 1}", (1, 2), "double quotes"),
    ('{"a": 1}\n{"b": 2}', (2, 1), "after the end of the JSON value"),
    ("", (1, 1), "empty"),
    ('{"a": 1, "a": 2}', (1, 10), "duplicated key 'a'"),
    ("ConnectionMode    ConnectionType\n-----", (1, 1), "table or tsv"),
    ('{"a": /* never closed', (1, 7), "unterminated /* comment"),
])
def test_malformed_json_is_one_located_message(text, where, words):
    with pytest.raises(InputError) as caught:
        parse(text, "bad.json")
    err = caught.value
    assert (err.loc.line, err.loc.col) == where, str(err)
    assert words in err.message
    assert str(err).startswith(f"bad.json:{where[0]}:{where[1]}: malformed JSON: ")
    assert "\n" not in str(err)


def test_large_documents_parse_fast():
    resources = [{"id": f"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v{i}",
                  "name": f"v{i}", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
                  "properties": {"addressSpace": {"addressPrefixes": [f"10.{i % 250}.0.0/16"]},
                                 "subnets": [{"name": f"s{j}", "properties": {"addressPrefix": f"10.0.{j}.0/24"}}
                                             for j in range(5)]}}
                 for i in range(3000)]
    text = json.dumps({"value": resources}, indent=2)
    assert len(text) > 2_000_000
    start = time.perf_counter()
    parsed, _ = parse(text, "big.json")
    elapsed = time.perf_counter() - start
    assert len(parsed["value"]) == 3000
    assert elapsed < 5, f"{len(text) / 1e6:.1f} MB took {elapsed:.2f}s"


def test_document_offsets_round_trip():
    doc = Document("f", "ab\ncd\n\nef")
    for offset in range(len(doc.text)):
        assert doc.offset(doc.loc(offset)) == offset
