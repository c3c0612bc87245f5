"""Bad input never produces a traceback: mutated fixtures import to a design whose references all
resolve, or to located InputErrors."""
from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from erdesign.errors import InputError, InputErrors
from erdesign.importers import import_json_many
from erdesign.loader import resolve

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [p for p in sorted(FIXTURES.rglob("*.json")) if "parameters" not in p.name and "hostile" not in p.parts]
DOCS = {p: json.loads(p.read_text()) for p in INPUTS}
ODD_VALUES = [None, 0, -1, 1.5, True, "", "x", "[concat(", "[parameters('nope')]", "[copyIndex()]",
              "[resourceGroup()]", "[range(0, 99999999)]", [], {}, [1], {"id": 5}, {"id": "/subscriptions/x"},
              "10.0.0.0/33", 99999999999, ["a", None], {"properties": None}]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def _mutate(doc, rnd: random.Random):
    doc = json.loads(json.dumps(doc))
    paths = [p for p in _paths(doc) if p]
    for _ in range(rnd.randint(1, 4)):
        path = rnd.choice(paths)
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if rnd.random() < 0.2 and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = json.loads(json.dumps(rnd.choice(ODD_VALUES)))
        except (KeyError, IndexError, TypeError):
            pass
    return doc


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32))
@example(seed=5446)  # two VNets whose IDs differ only inside template expressions got the same name
def test_mutated_inputs_import_or_fail_with_located_errors(seed):
    rnd = random.Random(seed)
    path = rnd.choice(INPUTS)
    text = json.dumps(_mutate(DOCS[path], rnd), indent=2)
    try:
        design = import_json_many([(text, str(path))])
    except InputErrors as many:
        assert all(e.loc is not None or e.file for e in many.errors)
        return
    except InputError as one:
        assert one.loc is not None or one.file
        return
    resolve(design)  # every reference the importer wrote names an object it kept
    for note in design._notes:
        assert note.rule.startswith("IMP") and note.loc is not None


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=1, max_value=4000), path=st.sampled_from(INPUTS))
def test_truncated_files_are_one_located_malformed_json_error(cut, path):
    text = path.read_text()
    cut = min(cut, len(text.rstrip()) - 1)
    try:
        import_json_many([(text[:cut], str(path))])
    except InputError as err:
        assert err.loc is not None and "malformed JSON" in err.message
    else:  # pragma: no cover - a prefix of a JSON document is never a complete one
        raise AssertionError("a truncated file was accepted")
