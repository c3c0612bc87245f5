"""Read a Junos configuration - the curly-brace form (`show configuration`) or the `set` form
(`show configuration | display set`) - into erdesign.edge.config's shape.

Both forms become the same flat statements (the words of the path from the top, each with its line and
column), so one extraction serves both. Inactive statements (`inactive:` / `deactivate`) and `groups` are left
out; `apply-groups` inheritance is not followed (noted in the result).
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from ..errors import InputError, Loc
from .config import ConfigInterface, ConfigNeighbor, Item, PolicyClause, PrefixEntry, RouterConfig, parse_asn


@dataclass(frozen=True)
class Word:
    text: str
    line: int
    col: int


Statement = tuple  # tuple[Word, ...]: the full path from the top of the hierarchy
_PREFIXES = ("inactive:", "protect:", "replace:")  # statement markers, not part of the path
_PROMPT = re.compile(r"^\S+@\S+[>#%]")


# --------------------------------------------------------------------------- tokens

def _tokens(text: str, file: str) -> Iterator[Word]:
    """Words, quoted strings (unquoted), and the punctuation { } ; [ ] with their places; comments dropped."""
    i, line, col, n = 0, 1, 1, len(text)

    def advance(count: int):
        nonlocal i, line, col
        for _ in range(count):
            if text[i] == "\n":
                line, col = line + 1, 1
            else:
                col += 1
            i += 1

    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            advance(1)
        elif ch == "#":
            while i < n and text[i] != "\n":
                advance(1)
        elif text.startswith("/*", i):
            start = (line, col)
            end = text.find("*/", i + 2)
            if end < 0:
                raise InputError("comment opened with /* is never closed", Loc(file, *start))
            advance(end + 2 - i)
        elif ch in "{};[]":
            yield Word(ch, line, col)
            advance(1)
        elif ch == '"':
            start = (line, col)
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise InputError("quoted string is never closed", Loc(file, *start))
            value = text[i + 1:j]
            advance(j + 1 - i)
            yield Word(value, *start)
        else:
            start = (line, col)
            j = i
            while j < n and text[j] not in ' \t\r\n{};[]"' and not text.startswith("/*", j):
                j += 1
            value = text[i:j]
            advance(j - i)
            yield Word(value, *start)


# --------------------------------------------------------------------------- the two forms

def _curly(text: str, file: str) -> tuple[list[Statement], list[str]]:
    statements: list[Statement] = []
    stack: list[tuple[Word, ...]] = []
    inactive_depth: Optional[int] = None
    current: list[Word] = []
    opened: list[Word] = []
    in_list = False
    for word in _tokens(text, file):
        if in_list:
            if word.text == "]":
                in_list = False
            elif word.text in "{};[":
                raise InputError(f"unexpected '{word.text}' inside [ ]", Loc(file, word.line, word.col))
            else:
                current.append(word)
            continue
        if word.text == "[":
            in_list = True
        elif word.text == "{":
            if not current:
                raise InputError("'{' without a statement before it", Loc(file, word.line, word.col))
            inactive = current[0].text == "inactive:"
            words = tuple(w for w in current if w.text not in _PREFIXES)
            stack.append(words)
            opened.append(word)
            if inactive and inactive_depth is None:
                inactive_depth = len(stack)
            if inactive_depth is None:
                statements.append(tuple(w for level in stack for w in level))
            current = []
        elif word.text == ";":
            if current:
                inactive = current[0].text == "inactive:"
                words = tuple(w for w in current if w.text not in _PREFIXES)
                if inactive_depth is None and not inactive and words:
                    statements.append(tuple(w for level in stack for w in level) + words)
            current = []
        elif word.text == "}":
            if current:
                raise InputError("missing ';' after this statement, before '}'",
                                 Loc(file, current[0].line, current[0].col))
            if not stack:
                raise InputError("'}' without a matching '{'", Loc(file, word.line, word.col))
            if inactive_depth == len(stack):
                inactive_depth = None
            stack.pop()
            opened.pop()
        elif word.text == "]":
            raise InputError("']' without a matching '['", Loc(file, word.line, word.col))
        else:
            current.append(word)
    if in_list:
        raise InputError("'[' is never closed", Loc(file, current[-1].line, current[-1].col) if current else None, file)
    if opened:
        where = opened[-1]
        raise InputError("'{' is never closed", Loc(file, where.line, where.col))
    if current:
        raise InputError("statement without a closing ';'", Loc(file, current[0].line, current[0].col))
    return statements, []


def _set_form(text: str, file: str) -> tuple[list[Statement], list[str]]:
    statements: list[Statement] = []
    deactivated: list[tuple[str, ...]] = []
    notes: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = [w for w in _tokens(raw, file) if w.text not in "[]"]
        words = [Word(w.text, number, w.col) for w in words]
        if not words:
            continue
        verb = words[0].text
        if verb == "set":
            statements.append(tuple(words[1:]))
        elif verb == "deactivate":
            deactivated.append(tuple(w.text for w in words[1:]))
        elif verb in ("delete", "activate", "protect", "unprotect", "annotate", "insert", "rename"):
            notes.append(f"{file}:{number}:1: '{verb}' line not applied")
    kept = [s for s in statements if not any(tuple(w.text for w in s[:len(d)]) == d for d in deactivated)]
    return kept, notes


def is_set_form(text: str) -> bool:
    """True when statements are `set ...` lines rather than braces (the first statement decides)."""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", "/*", "*")) or _PROMPT.match(stripped) or stripped == "{master}":
            continue  # comments, a CLI prompt echo (user@host> show ...), the {master} banner
        return stripped.split()[0] in ("set", "deactivate", "delete")
    return False


def statements(text: str, file: str) -> tuple[list[Statement], list[str]]:
    """Flat statements of a Junos configuration in either form, and notes on what was not applied."""
    return _set_form(text, file) if is_set_form(text) else _curly(text, file)


# --------------------------------------------------------------------------- extraction

def _texts(stmt: Statement) -> list[str]:
    return [w.text for w in stmt]


class _Extractor:
    def __init__(self, file: str, stmts: list[Statement], notes: list[str]):
        self.file = file
        self.cfg = RouterConfig(file=file, dialect="junos", notes=list(notes))
        self.stmts = [s for s in stmts if s and s[0].text not in ("groups", "logical-systems")]
        if any(s[0].text == "apply-groups" or (len(s) > 1 and "apply-groups" in _texts(s)) for s in stmts):
            self.cfg.notes.append("apply-groups: settings inherited from configuration groups are not read")

    def loc(self, word: Word) -> Loc:
        return Loc(self.file, word.line, word.col)

    def read(self) -> RouterConfig:
        self._interfaces()
        self._policies()
        scopes = {None} | {s[1].text for s in self.stmts if s[0].text == "routing-instances" and len(s) > 1}
        for scope in sorted(scopes, key=lambda v: (v is not None, v or "")):
            self._bgp(scope)
        return self.cfg

    # ---- interfaces
    def _interfaces(self) -> None:
        units: dict[str, ConfigInterface] = {}
        vrf_of: dict[str, Item] = {}
        for s in self.stmts:
            t = _texts(s)
            if t[0] == "routing-instances" and len(t) >= 4 and t[2] == "interface":
                vrf_of[t[3]] = Item(t[1], self.loc(s[1]))
            if t[0] != "interfaces" or len(t) < 4 or t[2] != "unit":
                continue
            name = f"{t[1]}.{t[3]}"
            iface = units.get(name)
            if iface is None:
                iface = units[name] = ConfigInterface(name=name, loc=self.loc(s[1]))
            rest, words = t[4:], s[4:]
            if rest[:1] == ["vlan-id"] and len(rest) > 1 and rest[1].isdecimal():
                iface.outer_tag = Item(int(rest[1]), self.loc(words[1]))
                iface.tags_loc = self.loc(words[0])
            elif rest[:1] == ["vlan-tags"]:
                iface.tags_loc = self.loc(words[0])
                for k in range(1, len(rest) - 1):
                    value = rest[k + 1].split(".")[-1]  # "0x8100.29" -> 29
                    if rest[k] == "outer" and value.isdecimal():
                        iface.outer_tag = Item(int(value), self.loc(words[k + 1]))
                    elif rest[k] == "inner" and value.isdecimal():
                        iface.inner_tag = Item(int(value), self.loc(words[k + 1]))
            elif rest[:3] == ["family", "inet", "address"] and len(rest) > 3:
                try:
                    address = ipaddress.ip_interface(rest[3])
                except ValueError:
                    self.cfg.notes.append(f"{self.loc(words[3])}: unreadable address on {name}")
                    continue
                item = Item(address, self.loc(words[3]))
                if item.value not in [a.value for a in iface.addresses]:
                    iface.addresses.append(item)
        for name, iface in units.items():
            iface.vrf = vrf_of.get(name)
            self.cfg.interfaces.append(iface)

    # ---- policy-options
    def _policies(self) -> None:
        for s in self.stmts:
            t = _texts(s)
            if t[:2] == ["policy-options", "prefix-list"] and len(t) >= 4:
                try:
                    net = ipaddress.ip_network(t[3], strict=False)
                except ValueError:
                    continue
                self.cfg.prefix_lists.setdefault(t[2], []).append(PrefixEntry("permit", net, self.loc(s[3])))
        terms: dict[tuple[str, str], PolicyClause] = {}
        for s in self.stmts:
            t = _texts(s)
            if t[:2] != ["policy-options", "policy-statement"] or len(t) < 4:
                continue
            name = t[2]
            if t[3] == "term" and len(t) >= 5:
                term, rest, words = t[4], t[5:], s[5:]
                anchor = s[4]
            else:
                term, rest, words = "", t[3:], s[3:]
                anchor = s[2]
            clause = terms.get((name, term))
            if clause is None:
                clause = terms[(name, term)] = PolicyClause(action="other", loc=self.loc(anchor))
                self.cfg.policies.setdefault(name, []).append(clause)
            if rest[:1] == ["then"] and len(rest) > 1:
                if rest[1] == "accept":
                    clause.action = "permit"
                elif rest[1] == "reject":
                    clause.action = "deny"
            elif rest[:1] == ["from"] and len(rest) > 1:
                self._policy_from(clause, rest[1:], words[1:])

    def _policy_from(self, clause: PolicyClause, rest: list[str], words) -> None:
        if rest[0] in ("prefix-list", "prefix-list-filter") and len(rest) > 1:
            exact = rest[0] == "prefix-list" or (len(rest) > 2 and rest[2] == "exact")
            for k in range(1, 2):
                clause.prefix_lists.append(Item(rest[k] if exact else f"{rest[k]} {' '.join(rest[2:])}",
                                                self.loc(words[k])))
        elif rest[0] == "route-filter" and len(rest) > 2:
            try:
                net = ipaddress.ip_network(rest[1], strict=False)
            except ValueError:
                return
            kind = rest[2]
            entry = PrefixEntry("permit", net, self.loc(words[1]))
            if kind == "orlonger":
                entry.exact = False
            elif kind == "longer":
                entry.ge = net.prefixlen + 1
            elif kind == "upto" and len(rest) > 3:
                entry.le = int(rest[3].lstrip("/")) if rest[3].lstrip("/").isdecimal() else None
            elif kind == "prefix-length-range" and len(rest) > 3:
                low, _, high = rest[3].partition("-")
                entry.ge = int(low.lstrip("/")) if low.lstrip("/").isdecimal() else None
                entry.le = int(high.lstrip("/")) if high.lstrip("/").isdecimal() else None
            clause.prefixes.append(entry)
        elif rest[0] not in ("family",):
            clause.other_match = Item(" ".join(rest[:2]), self.loc(words[0]))

    # ---- BGP
    def _bgp(self, scope: Optional[str]) -> None:
        head = ["routing-instances", scope] if scope else []
        n = len(head)
        local_as = None
        for s in self.stmts:
            t = _texts(s)
            if t[:n] == head and t[n:n + 2] == ["routing-options", "autonomous-system"] and len(t) > n + 2:
                asn = parse_asn(t[n + 2])
                if asn is not None:
                    local_as = Item(asn, self.loc(s[n + 2]))
        if local_as is None and scope is not None:
            for s in self.stmts:
                t = _texts(s)
                if t[:2] == ["routing-options", "autonomous-system"] and len(t) > 2 and parse_asn(t[2]) is not None:
                    local_as = Item(parse_asn(t[2]), self.loc(s[2]))
        levels: dict[tuple, ConfigNeighbor] = {}  # ("bgp",), ("group", G), ("neighbor", G, N)
        order: list[tuple] = []
        for s in self.stmts:
            t = _texts(s)
            if t[:n] != head or t[n:n + 2] != ["protocols", "bgp"]:
                continue
            if self.cfg.bgp_loc is None:
                self.cfg.bgp_loc = self.loc(s[n + 1])
            rest, words = t[n + 2:], s[n + 2:]
            key: tuple[str, ...]
            if rest[:1] == ["group"] and len(rest) >= 2:
                group = rest[1]
                if rest[2:3] == ["neighbor"] and len(rest) >= 4:
                    key = ("neighbor", group, rest[3])
                    attrs, attr_words = rest[4:], words[4:]
                    anchor = words[3]
                else:
                    key = ("group", group)
                    attrs, attr_words = rest[2:], words[2:]
                    anchor = words[1]
            else:
                key = ("bgp",)
                attrs, attr_words, anchor = rest, words, s[n + 1]
            level = levels.get(key)
            if level is None:
                level = levels[key] = ConfigNeighbor(address=key[-1], loc=self.loc(anchor), vrf=scope)
                order.append(key)
            self._attribute(level, attrs, attr_words)
        for key in order:
            if key[0] != "neighbor":
                continue
            session = levels[key]
            for parent in (levels.get(("group", key[1])), levels.get(("bgp",))):
                if parent is None:
                    continue
                for attr in ("remote_as", "local_as", "password", "bfd", "max_prefix"):
                    if getattr(session, attr) is None and getattr(parent, attr) is not None:
                        setattr(session, attr, getattr(parent, attr))
                if not session.export_policies:
                    session.export_policies = list(parent.export_policies)
            if session.local_as is None:
                session.local_as = local_as
            self.cfg.neighbors.append(session)

    def _attribute(self, level: ConfigNeighbor, attrs: list[str], words) -> None:
        if not attrs:
            return
        name = attrs[0]
        if name == "peer-as" and len(attrs) > 1 and parse_asn(attrs[1]) is not None:
            level.remote_as = Item(parse_asn(attrs[1]), self.loc(words[1]))
        elif name == "local-as" and len(attrs) > 1 and parse_asn(attrs[1]) is not None:
            level.local_as = Item(parse_asn(attrs[1]), self.loc(words[1]))
        elif name in ("authentication-key", "authentication-key-chain"):
            level.password = self.loc(words[0])
        elif name == "bfd-liveness-detection":
            level.bfd = self.loc(words[0])
        elif name == "export" and len(attrs) > 1:
            for k in range(1, len(attrs)):
                level.export_policies.append(Item(attrs[k], self.loc(words[k])))
        elif attrs[:3] == ["family", "inet", "unicast"] and len(attrs) >= 6 and \
                attrs[3] in ("prefix-limit", "accepted-prefix-limit") and attrs[4] == "maximum" and attrs[5].isdecimal():
            level.max_prefix = Item(int(attrs[5]), self.loc(words[5]))
        elif name == "shutdown":
            level.shutdown = self.loc(words[0])


def read_junos(text: str, file: str) -> RouterConfig:
    stmts, notes = statements(text, file)
    return _Extractor(file, stmts, notes).read()
