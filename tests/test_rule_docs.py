"""docs/rules/ID.md are generated from rules/catalog/ and kept in sync; `rules explain` takes aliases."""
from __future__ import annotations

import json
from pathlib import Path

from erdesign.engine.catalog import load_catalog
from erdesign.output.explain import expected_rule_docs

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_docs_rules_match_the_catalog():
    expected = expected_rule_docs(load_catalog())
    present = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(n for n in expected if present.get(n) != expected[n])
    extra = sorted(n for n in present if n not in expected)
    assert not stale and not extra, (
        f"docs/rules/ is out of date (stale: {stale[:5]}, no catalog page: {extra[:5]}); "
        "run: python scripts/gen_rule_docs.py")


def test_a_rule_page_has_the_catalog_text_and_the_index_links_it():
    page = load_catalog()["GW001"]
    text = (DOCS / "GW001.md").read_text(encoding="utf-8")
    assert text.startswith("<!-- Generated from rules/catalog/GW001.yaml")
    assert f"# {page.name} (GW001)" in text and page.references[0] in text
    assert "| [GW001](GW001.md) | warning |" in (DOCS / "README.md").read_text(encoding="utf-8")


def test_explain_accepts_aliases(run_cli):
    by_id = run_cli("rules", "explain", "GW001")
    for alias in ("ERGW-2", "ergw-2", "Azure.VNG.ERAvailabilityZoneSKU", "bbe668b7-eb5c-c746-8b82-70afdedf0cae",
                  "c9af1ef6-55bc-48af-bfe4-2c80490159f8"):
        result = run_cli("rules", "explain", alias)
        assert result.code == 0 and result.out == by_id.out, alias
        assert f"'{alias}' is an alias of GW001" in result.err
    assert by_id.out.rstrip().endswith("Page: https://github.com/erdesign/erdesign/blob/main/docs/rules/GW001.md")
    doc = json.loads(run_cli("rules", "explain", "ERGW-2", "--format", "json").out)
    assert doc["id"] == "GW001" and doc["url"].endswith("/docs/rules/GW001.md")


def test_an_alias_shared_by_several_rules_shows_each(run_cli):
    catalog = load_catalog()
    counts: dict[str, list[str]] = {}
    for rule_id, page in catalog.items():
        for value in page.aliases.values():
            for v in value if isinstance(value, list) else [value]:
                counts.setdefault(str(v).lower(), []).append(rule_id)
    shared = next(((alias, ids) for alias, ids in counts.items() if len(set(ids)) > 1), None)
    if shared is None:  # the catalog has no shared alias today: check the lookup itself
        assert catalog.find_alias("no-such-alias") == []
        return
    alias, ids = shared
    result = run_cli("rules", "explain", alias)
    assert result.code == 0 and all(f"({rule_id})" in result.out for rule_id in set(ids))
