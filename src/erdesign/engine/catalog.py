"""The rule catalog: one YAML page per rule in rules/catalog/<ID>.yaml.

A page gives a rule its default severity, title, fix line and references (the
engine copies them into findings), and the text `erdesign rules explain ID`
prints. Pages are validated when loaded; a broken page names its file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Optional, Union

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FAMILIES = ("BGP", "NET", "VLAN", "GW", "FP", "SKU", "GR", "RES", "CAP", "VNET", "SUP", "IMP", "COST", "RTR",
            "LIVE", "VWAN", "DIR", "MON", "VPN")
# Families whose findings come from elsewhere than a registered check function:
# SUP from the engine itself (suppression accounting), IMP from the importers (design._notes).
UNREGISTERED_FAMILIES = ("SUP", "IMP")

RULE_ID_RE = re.compile(r"^([A-Z]+)(\d{3})$")
SELECTOR_RE = re.compile(r"^[A-Z]+\d{0,3}$")


class CatalogError(Exception):
    """A catalog page is missing or malformed (a bug in erdesign, not in the user's design)."""


def _page_model():
    """The pydantic model of a page, built on first use (keeps `import erdesign.engine.catalog` light)."""
    global _PageModel
    if _PageModel is not None:
        return _PageModel
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

    class Example(BaseModel):
        model_config = ConfigDict(extra="forbid")
        bad: str = Field(min_length=1)
        good: str = Field(min_length=1)

    class RulePage(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)

        id: str = Field(pattern=RULE_ID_RE.pattern)
        name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
        title: str = Field(min_length=1)
        family: str
        severity: Literal["error", "warning", "info"]
        applies_to: str = Field(min_length=1)
        what: str = Field(min_length=1)
        why: str = Field(min_length=1)
        example: Example
        fix: str = Field(min_length=1)
        references: list[str] = Field(default_factory=list)
        aliases: dict[str, Union[str, list[str]]] = Field(default_factory=dict)

        @field_validator("references")
        @classmethod
        def _urls(cls, refs: list[str]) -> list[str]:
            for ref in refs:
                if not re.match(r"^https?://\S+$", ref):
                    raise ValueError(f"reference {ref!r} is not an http(s) URL")
            return refs

        @model_validator(mode="after")
        def _family_matches_id(self):
            if self.family not in FAMILIES:
                raise ValueError(f"family {self.family!r} is not one of {', '.join(FAMILIES)}")
            if RULE_ID_RE.match(self.id).group(1) != self.family:
                raise ValueError(f"id {self.id} does not start with its family {self.family}")
            return self

    _PageModel = RulePage
    return RulePage


_PageModel = None


def parse_page(data, source: str = "<page>"):
    """Validate one page (a mapping) into a RulePage; CatalogError names the source and field."""
    from pydantic import ValidationError

    if not isinstance(data, Mapping):
        raise CatalogError(f"{source}: a rule page is a mapping, not {type(data).__name__}")
    try:
        return _page_model().model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        raise CatalogError(f"{source}: {where + ': ' if where else ''}{msg}") from None


class Catalog(Mapping):
    """Rule pages by ID (read-only mapping), with selector helpers."""

    def __init__(self, pages: Iterable):
        self._pages = {p.id: p for p in sorted(pages, key=lambda p: p.id)}
        self._by_name = {p.name: p for p in self._pages.values()}

    def __getitem__(self, rule_id: str):
        return self._pages[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)

    def find(self, word: str):
        """The page for an ID (any case) or a kebab-case name; None when unknown."""
        return self._pages.get(word.strip().upper()) or self._by_name.get(word.strip().lower())

    def find_alias(self, word: str) -> list:
        """The pages that carry `word` (any case) among their aliases: an APRL ID or GUID, a PSRule
        name, an Advisor ID, …; several pages may share one alias."""
        wanted = word.strip().lower()
        found = []
        for page in self._pages.values():
            for value in page.aliases.values():
                values = value if isinstance(value, list) else [value]
                if any(str(v).strip().lower() == wanted for v in values):
                    found.append(page)
                    break
        return found

    def severity(self, rule_id: str) -> Optional[str]:
        page = self._pages.get(rule_id)
        return page.severity if page else None

    def is_selector(self, selector: str) -> bool:
        """ALL, a family prefix, a prefix of a known ID, or a known ID."""
        if selector == "ALL" or selector in FAMILIES:
            return True
        return bool(SELECTOR_RE.match(selector)) and any(rid.startswith(selector) for rid in self._pages)


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Every page of rules/catalog/, validated (cached for the process)."""
    from ..data import catalog_resources, read_resource_yaml

    pages = []
    for resource in catalog_resources():
        stem = resource.name.rsplit(".", 1)[0]
        if stem.startswith("_"):
            continue  # scratch files such as _probe.yaml
        source = f"rules/catalog/{resource.name}"
        try:
            data = read_resource_yaml(resource)
        except Exception as exc:  # yaml.YAMLError: keep the one-line contract
            mark = getattr(exc, "problem_mark", None)
            where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise CatalogError(f"{where}: not valid YAML: {what}") from None
        page = parse_page(data, source)
        if page.id != stem:
            raise CatalogError(f"{source}: id {page.id} does not match the file name")
        pages.append(page)
    return Catalog(pages)


def as_catalog(catalog) -> Catalog:
    """Accept a Catalog, a mapping of ID -> page (RulePage or dict), or None (the shipped catalog).

    An injected catalog is completed with the shipped engine pages (SUP) so that
    suppression accounting always has its rules.
    """
    if catalog is None:
        return load_catalog()
    if isinstance(catalog, Catalog):
        injected = catalog
    else:
        pages = []
        for rule_id, page in dict(catalog).items():
            if isinstance(page, Mapping):
                page = parse_page({"id": rule_id, **page}, f"catalog[{rule_id}]")
            pages.append(page)
        injected = Catalog(pages)
    engine_pages = [p for rid, p in load_catalog().items() if rid.startswith("SUP") and rid not in injected]
    return Catalog(list(injected.values()) + engine_pages)
