"""Where erdesign is published: the links outputs give (SARIF informationUri, rule pages).

One place to change when the project moves; rule pages are the Markdown files generated
from rules/catalog/ into docs/rules/ (scripts/gen_rule_docs.py).
"""
from __future__ import annotations

REPOSITORY_URL = "https://github.com/erdesign/erdesign"
DOCS_BRANCH = "main"


def rule_page_url(rule_id: str) -> str:
    """The rule's reference page in the repository docs."""
    return f"{REPOSITORY_URL}/blob/{DOCS_BRANCH}/docs/rules/{rule_id}.md"
