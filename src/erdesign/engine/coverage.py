"""Which rule covers each ExpressRoute recommendation of APRL, PSRule for Azure and Azure Advisor.

The recommendations are listed in rules/data/peer_recommendations.yaml; coverage comes from the
catalog pages' aliases, so a rule page that names a recommendation's id is its coverage.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

TOOLS = ("aprl", "psrule", "advisor")


@dataclass(frozen=True)
class Coverage:
    tool: str
    id: str
    title: str
    rules: tuple[str, ...]            # rule IDs whose page names this recommendation
    elsewhere: Optional[str] = None   # covered by another issue's rules (e.g. "VWAN* (issue 10)")
    not_applicable: Optional[str] = None

    @property
    def status(self) -> str:
        if self.rules:
            return "covered"
        if self.elsewhere:
            return "elsewhere"
        return "not applicable" if self.not_applicable else "missing"


def alias_index(catalog) -> dict[tuple[str, str], list[str]]:
    """(tool, id) -> rule IDs of the pages that name it among their aliases."""
    out: dict[tuple[str, str], list[str]] = {}
    for rule_id, page in catalog.items():
        for tool, value in (page.aliases or {}).items():
            if tool not in TOOLS:
                continue
            for ident in (value if isinstance(value, list) else [value]):
                out.setdefault((tool, str(ident)), []).append(rule_id)
    return out


def coverage(catalog=None) -> list[Coverage]:
    """Every listed recommendation with the rules that cover it (or why none does)."""
    from ..data import table
    from .catalog import as_catalog

    index = alias_index(as_catalog(catalog))
    out = []
    for rec in table("peer_recommendations")["recommendations"]:
        ident = str(rec["id"])
        out.append(Coverage(rec["tool"], ident, rec["title"], tuple(sorted(index.get((rec["tool"], ident), []))),
                            rec.get("elsewhere"), rec.get("not_applicable")))
    return out


def unknown_aliases(catalog=None) -> list[tuple[str, str, str]]:
    """(rule ID, tool, id) of catalog aliases that name no listed recommendation (renamed or removed upstream)."""
    from ..data import table
    from .catalog import as_catalog

    listed = {(r["tool"], str(r["id"])) for r in table("peer_recommendations")["recommendations"]}
    return sorted((rule, tool, ident) for (tool, ident), rules in alias_index(as_catalog(catalog)).items()
                  if (tool, ident) not in listed for rule in rules)
