"""Change safety: what Azure does when a design field changes, from rules/data/change_safety.yaml.

``classify(kind, field, old, new, change)`` returns a :class:`Safety` with the class (none,
in_place, downtime, new_resource, not_allowed, or unclassified when no rule matches), the
rule's note, source and confidence. The table, not this module, holds every fact.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from ..data import source_line, table
from ..facts import gateway_sku, norm

TABLE = "change_safety"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Safety:
    cls: str  # a class id from the table, or "unclassified"
    label: str
    note: str = ""
    source: str = ""  # source id
    citation: str = ""  # '<title>, <url>, as of <date>'
    confidence: str = "verified"  # or "estimate"

    @property
    def rank(self) -> int:
        return class_rank(self.cls)

    def to_dict(self) -> dict[str, Any]:
        return {"class": self.cls, "label": self.label, "note": self.note, "source": self.source,
                "citation": self.citation, "confidence": self.confidence}


@lru_cache(maxsize=None)
def classes() -> tuple[tuple[str, str], ...]:
    """(id, label) of each class, mildest first."""
    return tuple((c["id"], c["label"]) for c in table(TABLE)["classes"])


def class_ids() -> list[str]:
    return [cid for cid, _ in classes()]


def class_label(cls: str) -> str:
    return dict(classes()).get(cls, "not classified")


def class_rank(cls: str) -> int:
    """Position of a class, mildest first. An unclassified change ranks below every class, so it never
    fails a build on a guess; reports list it as not classified."""
    ids = class_ids()
    return ids.index(cls) if cls in ids else -1


def classify(kind: str, field: str, old: Any = None, new: Any = None) -> Safety:
    """The first rule of the table that matches this change of `field` (dotted, without list keys;
    'peerings(added)' for a list item, '(added)' / '(removed)' for a whole object)."""
    for rule in table(TABLE)["rules"]:
        if rule["kind"] not in ("*", kind):
            continue
        if not _field_matches(rule["field"], field):
            continue
        if not _value_matches(rule, kind, field, old, new):
            continue
        return Safety(cls=rule["class"], label=class_label(rule["class"]), note=rule.get("note", ""),
                      source=rule["source"], citation=source_line(TABLE, rule["source"]),
                      confidence=rule.get("confidence", "verified"))
    return Safety(cls=UNCLASSIFIED, label="not classified",
                  note=f"no rule in rules/data/{TABLE}.yaml covers {kind} {field}; check Microsoft's documentation")


def _field_matches(pattern: str, field: str) -> bool:
    if pattern == "*" or pattern == field:
        return True
    # a rule for a sub-object covers its fields: 'peerings.ipv6' covers 'peerings.ipv6.prefix'
    return not pattern.endswith(")") and field.startswith(pattern + ".")


def _value_matches(rule: dict, kind: str, field: str, old: Any, new: Any) -> bool:
    is_gateway_sku = kind == "gateway" and field == "sku"
    if "from" in rule and not _in(old, rule["from"], is_gateway_sku):
        return False
    if "to" in rule and not _in(new, rule["to"], is_gateway_sku):
        return False
    if "from_family" in rule and _gateway_family(old) not in rule["from_family"]:
        return False
    if "to_family" in rule and _gateway_family(new) not in rule["to_family"]:
        return False
    when = rule.get("when")
    if when in ("increase", "decrease"):
        a, b = (_gateway_rank(old), _gateway_rank(new)) if is_gateway_sku else (_number(old), _number(new))
        if a is None or b is None or a == b:
            return False
        return (b > a) == (when == "increase")
    if when in ("enable", "disable"):
        return bool(new) == (when == "enable") and bool(old) != bool(new)
    return True


def _canonical(value: Any, is_gateway_sku: bool) -> str:
    if is_gateway_sku and isinstance(value, str) and (info := gateway_sku(value)):
        return norm(info["name"])
    return norm(str(value))


def _in(value: Any, options: list, is_gateway_sku: bool) -> bool:
    if isinstance(value, bool) or value is None:
        return value in options
    return _canonical(value, is_gateway_sku) in {_canonical(o, is_gateway_sku) for o in options}


def _gateway_family(value: Any) -> Optional[str]:
    info = gateway_sku(value) if isinstance(value, str) else None
    return info.get("family") if info else None


def _gateway_rank(value: Any) -> Optional[float]:
    """Gateways compare by their throughput (gateway_skus.yaml); ErGwScale above every fixed SKU."""
    info = gateway_sku(value) if isinstance(value, str) else None
    if not info:
        return None
    if info.get("family") == "scale":
        return float("inf")
    mbps = info.get("throughput_mbps")
    return float(mbps) if isinstance(mbps, (int, float)) else None


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def citation(source_id: str) -> str:
    return source_line(TABLE, source_id)
