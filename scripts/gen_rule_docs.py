#!/usr/bin/env python3
"""Write docs/rules/<ID>.md (and docs/rules/README.md) from rules/catalog/.

    python scripts/gen_rule_docs.py           # regenerate
    python scripts/gen_rule_docs.py --check   # exit 1 if docs/rules/ is out of date

tests/test_rule_docs.py runs the check, so a catalog change without regenerating fails the suite.
"""
from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def main(argv: list[str]) -> int:
    from erdesign.engine.catalog import load_catalog
    from erdesign.output.explain import expected_rule_docs

    expected = expected_rule_docs(load_catalog())
    present = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")} if DOCS.is_dir() else {}
    stale = sorted(name for name in expected if present.get(name) != expected[name])
    extra = sorted(name for name in present if name not in expected)
    if "--check" in argv:
        for name in stale:
            print(f"docs/rules/{name}: out of date", file=sys.stderr)
        for name in extra:
            print(f"docs/rules/{name}: no catalog page", file=sys.stderr)
        return 1 if stale or extra else 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (DOCS / name).write_text(expected[name], encoding="utf-8")
    for name in extra:
        (DOCS / name).unlink()
    print(f"docs/rules: {len(stale)} written, {len(extra)} removed, {len(expected)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
