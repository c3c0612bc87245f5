"""Read the data that ships with erdesign: limit tables (rules/data), the rule
catalog (rules/catalog) and price books (pricing/), through importlib.resources
so that they are found wherever the package is installed."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(resource) -> Any:
    return yaml.load(resource.read_text(encoding="utf-8"), Loader=_Loader)


@lru_cache(maxsize=None)
def table(name: str) -> dict:
    """A limits table from rules/data/<name>.yaml (cached; treat as read-only)."""
    return _read_yaml(files("erdesign.rules") / "data" / f"{name}.yaml")


def catalog_resources():
    """Every rule page in rules/catalog/, as importlib.resources traversables."""
    folder = files("erdesign.rules") / "catalog"
    return sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def pricing_resources():
    """Every price book in pricing/."""
    folder = files("erdesign.pricing")
    return sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def read_resource_yaml(resource) -> Any:
    return _read_yaml(resource)


def source_line(table_name: str, source_id: str) -> str:
    """'<title> (<url>), as of <date>' for a source id cited in a table."""
    for src in table(table_name).get("sources", []):
        if src.get("id") == source_id:
            parts = [src.get("title", source_id)]
            if src.get("url"):
                parts.append(f"<{src['url']}>")
            if src.get("as_of"):
                parts.append(f"as of {src['as_of']}")
            return ", ".join(str(p) for p in parts)
    return source_id
