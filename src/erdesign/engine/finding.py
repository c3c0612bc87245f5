"""What a check returns."""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field  # `field` is also a Finding attribute
from typing import Any, Optional

from ..errors import Loc, clip_values
from ..model import Node


@dataclass(frozen=True)
class Evidence:
    """A number a finding relies on, with where it comes from.

    e.g. Evidence("Standard circuit route limit", 4000, source="FAQ26 ...", as_of="2026-03-31")
    """

    label: str
    value: Any
    source: str = ""
    as_of: str = ""
    confidence: str = "verified"  # or "estimate"

    def __str__(self) -> str:
        text = f"{self.label}: {self.value}"
        if self.source:
            text += f" (source: {self.source}"
            text += f", as of {self.as_of})" if self.as_of else ")"
        if self.confidence != "verified":
            text += f" [{self.confidence}]"
        return text


@dataclass
class Finding:
    """One problem found in a design.

    Checks fill in: rule, message (naming the object), node (the offending
    object) and field (the sub-path inside it that is wrong, for the exact
    location), plus optional hint (else the catalog's fix line) and evidence.
    The engine fills in severity, loc, path, references and suppression.
    """

    rule: str
    message: str
    node: Optional[Node] = None
    field: tuple = ()
    resource: str = ""
    hint: Optional[str] = None
    evidence: list[Evidence] = _field(default_factory=list)
    loc: Optional[Loc] = None  # set directly only where there is no node (importer notes)
    # filled by the engine
    severity: str = ""
    path: str = ""
    references: list[str] = _field(default_factory=list)
    suppressed: bool = False
    suppression_reason: Optional[str] = None
    suppression_kind: Optional[str] = None  # "inSource" (comment) or "external" (suppress: entry)
    suppression_expires: Optional[str] = None  # ISO date, when the suppression has one
    baselined: bool = False  # suppressed because a lint baseline lists it (engine/baseline.py)

    def __post_init__(self):
        self.message = clip_values(self.message)  # a finding quotes input values; a long one is clipped
        if isinstance(self.field, str):
            self.field = (self.field,)
