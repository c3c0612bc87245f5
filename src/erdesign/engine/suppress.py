"""Suppressions: findings accepted on purpose, with a reason and an optional expiry.

Two ways to suppress, both accountable:

1. A ``suppress:`` entry on a named object (circuit, VNet, gateway, …) or a
   subnet covers findings on that object and on everything inside it::

       suppress:
         - {rule: BGP005, reason: "single router until the second PoP opens", expires: 2026-12-31}

2. An inline comment in the design YAML. Grammar (whitespace between tokens is
   free, the rule list is case-insensitive)::

       comment  = "#" "erdesign:" "ignore" "[" selector { "," selector } "]" [ tail ]
       selector = rule ID ("BGP001") or prefix ("BGP", "NET0")
       tail     = { option | word }
       option   = "reason=" ( '"' text '"' | "'" text "'" | word )
                | "expires=" YYYY-MM-DD
       reason   = the reason= option if given, else the free words of the tail

   e.g. ``peer_asn: 65515  # erdesign: ignore[BGP001] lab circuit, torn down in June expires=2026-06-30``

   A comment after YAML content applies to that line; a comment alone on its
   line applies to the next line with content. It suppresses a finding whose
   location is on that line, or whose object starts on that line (so a comment
   on ``- name: x`` covers findings on the object's fields).

A suppression is valid through its ``expires`` date. Problems are reported as
findings: SUP001 unused (or, for a list of rules, one of them unused: in
``ignore[CAP001,CAP007]`` on a line where only CAP001 fires, CAP007 is reported),
SUP002 expired (the findings it covered count again), SUP003 no reason (not
applied; a ``suppress:`` entry without ``reason`` too), SUP004 malformed or names
an unknown rule.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Optional

from ..errors import Loc, did_you_mean
from .config import split_selectors

if TYPE_CHECKING:
    from ..model import Node

_DIRECTIVE_RE = re.compile(r"erdesign\s*:", re.IGNORECASE)
_IGNORE_RE = re.compile(r"^erdesign\s*:\s*ignore\s*\[([^\]]*)\](.*)$", re.IGNORECASE | re.DOTALL)
_TOKEN_RE = re.compile(r"""([A-Za-z_]+)=("([^"]*)"|'([^']*)'|(\S*))|(\S+)""")
_BLOCK_SCALAR_RE = re.compile(r"[:\-]\s*[|>][0-9+\-]*\s*(#.*)?$")


@dataclass
class Suppression:
    kind: str  # "inSource" (comment) or "external" (suppress: entry)
    rules: tuple[str, ...]
    reason: Optional[str]
    expires: Optional[dt.date]
    loc: Optional[Loc]
    text: str  # how it is written, for messages
    lines: frozenset = frozenset()  # inSource: the lines it covers (in loc.file)
    owner: Optional[Node] = None  # external: the node whose subtree it covers
    index: int = 0  # external: position in the owner's suppress list
    problem: Optional[tuple[str, str]] = None  # (rule, message) when it cannot be applied
    used: int = 0
    used_selectors: set = field(default_factory=set)  # the selectors that matched a finding

    def covers_rule(self, rule_id: str) -> bool:
        return any(rule_id.startswith(sel) for sel in self.rules)

    def mark_used(self, rule_id: str) -> None:
        """A finding of `rule_id` matched: count it, and remember which of the selectors matched it."""
        self.used += 1
        self.used_selectors.update(sel for sel in self.rules if rule_id.startswith(sel))

    def unused_selectors(self, ran) -> list[str]:
        """Selectors of a suppression that matched some finding, which matched none although a rule they
        cover ran (a rule that did not run can't be called unused)."""
        if not self.used:
            return []
        return [sel for sel in self.rules
                if sel not in self.used_selectors and any(rule.startswith(sel) for rule in ran)]

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def as_dict(self) -> dict:
        return {"kind": self.kind, "reason": self.reason,
                "expires": self.expires.isoformat() if self.expires else None}


# --------------------------------------------------------------------------- inline comments

def comment_start(line: str) -> int:
    """Index of the '#' that starts a YAML comment on this line, or -1 (quoted scalars respected)."""
    if "#" not in line:
        return -1
    quote = None
    prev = ""  # the previous non-blank character outside quotes
    i = 0
    while i < len(line):
        ch = line[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if quote == "'" and ch == "'" and line[i + 1:i + 2] == "'":
            i += 2
            continue
        if quote is not None:
            if ch == quote:
                quote, prev = None, ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
        elif ch in "\"'" and prev in ("", ":", "-", "[", "{", ",", "?"):
            quote = ch
        elif ch not in " \t":
            prev = ch
        i += 1
    return -1


def parse_comment(text: str) -> tuple[Optional[tuple], Optional[str], Optional[str], Optional[dt.date]]:
    """Parse the text after '#': (selectors, reason, error, expires). Not a directive -> (None, None, None, None)."""
    body = text.strip()
    if not _DIRECTIVE_RE.match(body):
        return None, None, None, None
    m = _IGNORE_RE.match(body)
    if not m:
        return (), None, "is malformed: write '# erdesign: ignore[RULE,...] reason'", None
    selectors = tuple(split_selectors(m.group(1)))
    if not selectors:
        return (), None, "names no rule: write ignore[BGP001] or ignore[BGP]", None
    reason_opt, expires, words = None, None, []
    for tok in _TOKEN_RE.finditer(m.group(2)):
        key, word = tok.group(1), tok.group(6)
        if word is not None:
            words.append(word)
            continue
        value = next((g for g in tok.group(3, 4, 5) if g is not None), "")
        key = key.lower()
        if key == "reason":
            reason_opt = value.strip()
        elif key == "expires":
            try:
                expires = dt.date.fromisoformat(value)
            except ValueError:
                return selectors, None, f"has expires={value!r}, which is not a date like 2026-12-31", None
        else:
            return selectors, None, f"has an unknown option '{key}='{did_you_mean(key, ['reason', 'expires'])}", None
    if reason_opt is not None and words:
        return selectors, None, 'gives a reason both as reason="..." and as free text; keep one', None
    reason = reason_opt if reason_opt is not None else " ".join(words)
    return selectors, reason or None, None, expires


def _code_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, is YAML code) for each line; block-scalar content is not code.
    (A generator: a large design's lines are not all held as tuples at once.)"""
    block_indent = None  # indentation of the key that opened a block scalar
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if not stripped or indent > block_indent:
                yield number, line, False
                continue
            block_indent = None
        yield number, line, True
        if _BLOCK_SCALAR_RE.search(line.split(" #")[0] if " #" in line else line):
            block_indent = indent


def inline_suppressions(file: str, text: str, catalog) -> list[Suppression]:
    found: list[Suppression] = []
    pending: list[Suppression] = []  # own-line comments waiting for the next content line
    for number, line, is_code in _code_lines(text):
        if not is_code:
            continue
        start = comment_start(line)
        has_content = (line[:start] if start >= 0 else line).strip() != ""
        if has_content and pending:
            for sup in pending:
                sup.lines = frozenset({number})
            pending = []
        if start < 0:
            continue
        selectors, reason, error, expires = parse_comment(line[start + 1:])
        if selectors is None:
            continue
        sup = Suppression(
            kind="inSource", rules=selectors, reason=reason, expires=expires,
            loc=Loc(file, number, start + 1), text=line[start:].strip(),
            lines=frozenset({number}) if has_content else frozenset(),
        )
        sup.problem = _problem(sup, error, catalog)
        found.append(sup)
        if not has_content:
            pending.append(sup)
    return found


# --------------------------------------------------------------------------- suppress: entries

def entry_suppressions(design, catalog) -> list[Suppression]:
    found = []
    for node in design.iter_nodes():
        for index, entry in enumerate(getattr(node, "suppress", None) or []):
            reason = (entry.reason or "").strip() or None
            expires = f" expires={entry.expires.isoformat()}" if entry.expires else ""
            sup = Suppression(
                kind="external", rules=tuple(split_selectors(entry.rule)), reason=reason, expires=entry.expires,
                loc=getattr(entry, "_loc", None) or node.loc("suppress", index) or node.loc(),
                text=f"suppress {{rule: {entry.rule}}}{expires}", owner=node, index=index,
            )
            sup.problem = _problem(sup, None if sup.rules else "names no rule", catalog)
            found.append(sup)
    return found


def _problem(sup: Suppression, error: Optional[str], catalog) -> Optional[tuple[str, str]]:
    if error:
        return "SUP004", error
    for selector in sup.rules:
        if selector == "ALL" or not catalog.is_selector(selector):
            return "SUP004", f"names unknown rule or prefix '{selector}'{did_you_mean(selector, catalog)}"
    if not sup.reason:
        return "SUP003", "has no reason, so it is not applied"
    return None


def collect(design, catalog) -> list[Suppression]:
    """Every suppression of a design: inline comments (YAML sources) first, then suppress: entries."""
    out: list[Suppression] = []
    for file, text in sorted(getattr(design, "_sources", {}).items()):
        if file.lower().endswith(".json") or not text:
            continue
        out.extend(inline_suppressions(file, text, catalog))
    out.extend(entry_suppressions(design, catalog))
    return out
