"""What `erdesign diff` computes: object changes with their safety, the findings delta, the cost delta."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from ..costing.money import ZERO, plain
from .safety import Safety, class_rank
from .structure import FieldChange, show_value


@dataclass
class Change:
    """One object or field change and what Azure does with it."""

    field_change: FieldChange
    safety: Safety

    def to_dict(self) -> dict[str, Any]:
        c = self.field_change
        return {
            "kind": c.kind, "object": c.name, "field": c.field, "change": c.change,
            "old": c.old, "new": c.new,
            "old_location": _loc(c.old_loc), "new_location": _loc(c.new_loc),
            "safety": self.safety.to_dict(),
        }

    def describe(self) -> str:
        c = self.field_change
        if c.change == "added" and not c.path:
            return f"{c.object_label} added"
        if c.change == "removed" and not c.path:
            return f"{c.object_label} removed"
        if c.change in ("added", "removed"):
            return f"{c.object_label} {c.field} {c.change}"
        return f"{c.object_label} {c.field}: {show_value(c.path, c.old)} -> {show_value(c.path, c.new)}"


@dataclass
class FindingsDelta:
    new: list = field(default_factory=list)  # Finding objects of the new design
    fixed: list = field(default_factory=list)  # Finding objects of the old design
    unchanged: list = field(default_factory=list)  # Finding objects of the new design

    def to_dict(self) -> dict[str, Any]:
        return {"new": [_finding(f) for f in self.new], "fixed": [_finding(f) for f in self.fixed],
                "unchanged": [_finding(f) for f in self.unchanged],
                "counts": {"new": len(self.new), "fixed": len(self.fixed), "unchanged": len(self.unchanged)}}


@dataclass
class CostLineDelta:
    """One cost line on either side. delta is None when a side is unpriced: the change is unknown."""

    group: str
    component: str
    one_time: bool
    old_description: Optional[str]
    new_description: Optional[str]
    old_amount: Optional[Decimal]  # monthly (or one-time) amount; None = absent or unpriced
    new_amount: Optional[Decimal]
    old_priced: bool = True  # False when the old line exists but is unpriced
    new_priced: bool = True
    old_confidence: Optional[str] = None
    new_confidence: Optional[str] = None

    @property
    def delta(self) -> Optional[Decimal]:
        if not (self.old_priced and self.new_priced):
            return None
        return (self.new_amount or ZERO) - (self.old_amount or ZERO)

    @property
    def estimate(self) -> bool:
        return "estimate" in (self.old_confidence, self.new_confidence)

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "component": self.component, "one_time": self.one_time,
                "old_description": self.old_description, "new_description": self.new_description,
                "old": plain(self.old_amount) if self.old_priced else "unpriced",
                "new": plain(self.new_amount) if self.new_priced else "unpriced",
                "delta": plain(self.delta) if self.delta is not None else None,
                "estimate": self.estimate}


@dataclass
class CostDelta:
    currency: str
    months: int
    lines: list[CostLineDelta]
    old_totals: Any  # costing Totals
    new_totals: Any

    @property
    def changed_lines(self) -> list[CostLineDelta]:
        return [line for line in self.lines if line.delta is None and (line.old_description != line.new_description
                                                                       or line.old_priced != line.new_priced)
                or (line.delta is not None and line.delta != 0)]

    @property
    def unpriced_changes(self) -> list[CostLineDelta]:
        """Changed lines whose delta is unknown because a side is unpriced."""
        return [line for line in self.changed_lines if line.delta is None]

    @property
    def complete(self) -> bool:
        """Both totals complete: the total deltas are exact, not deltas between lower bounds."""
        return self.old_totals.complete and self.new_totals.complete

    def totals(self) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
        o, n = self.old_totals, self.new_totals
        return {"monthly": (o.monthly, n.monthly, n.monthly - o.monthly),
                "one_time": (o.one_time, n.one_time, n.one_time - o.one_time),
                "first_year": (o.first_year, n.first_year, n.first_year - o.first_year),
                "tco": (o.tco, n.tco, n.tco - o.tco)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency, "months": self.months,
            "lines": [line.to_dict() for line in self.changed_lines],
            "totals": {k: {"old": plain(a), "new": plain(b), "delta": plain(d)} for k, (a, b, d) in self.totals().items()},
            "complete": self.complete,
            "old_unpriced_lines": len(self.old_totals.unpriced), "new_unpriced_lines": len(self.new_totals.unpriced),
            "unpriced_changes": len(self.unpriced_changes),
            "note": None if self.complete else (
                "the totals leave out unpriced lines on at least one side, so their deltas cover priced lines only"),
        }


@dataclass
class DiffReport:
    old_label: str
    new_label: str
    changes: list[Change]
    findings: FindingsDelta
    cost: CostDelta
    fail_on: Optional[str] = None  # a class id; None = never fail

    @property
    def failing(self) -> list[Change]:
        if self.fail_on is None:
            return []
        threshold = class_rank(self.fail_on)
        return [c for c in self.changes if c.safety.rank >= threshold]

    def exit_code(self) -> int:
        return 1 if self.failing else 0

    def counts_by_class(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.safety.cls] = out.get(c.safety.cls, 0) + 1
        return out

    @property
    def worst(self) -> Optional[Change]:
        return max(self.changes, key=lambda c: c.safety.rank, default=None)

    def to_dict(self) -> dict[str, Any]:
        from .. import __version__

        return {
            "version": 1, "tool": {"name": "erdesign", "version": __version__},
            "old": self.old_label, "new": self.new_label,
            "summary": {"changes": len(self.changes), "by_class": self.counts_by_class(),
                        "worst": self.worst.safety.cls if self.worst else None,
                        "estimates": sum(1 for c in self.changes if c.safety.confidence == "estimate"),
                        "findings": self.findings.to_dict()["counts"], "fail_on": self.fail_on,
                        "failing": len(self.failing)},
            "changes": [c.to_dict() for c in self.changes],
            "findings": self.findings.to_dict(),
            "cost": self.cost.to_dict(),
        }


def _loc(loc) -> Optional[str]:
    return f"{loc.file}:{loc.line}:{loc.col}" if loc else None


def _finding(f) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity, "message": f.message, "resource": f.resource,
            "location": _loc(f.loc)}
