"""A JSON reader that remembers where every value starts.

The stdlib json module cannot report positions, so this is a small recursive
descent parser (strings go through json's C ``scanstring``). Objects and arrays
come back as :class:`LocDict` / :class:`LocList`, ordinary dicts and lists that
also carry the location of themselves, of each member value and of each key.
Scalars stay plain Python values; their location lives in the parent.

ARM templates may contain ``//`` and ``/* */`` comments, so they are skipped
like whitespace. Duplicate keys are refused (the stdlib silently keeps the
last one). Every problem is an InputError at ``file:line:col``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from json.decoder import JSONDecodeError, scanstring
from typing import Any, Optional

from ..errors import InputError, Loc
from ..inputgate import max_values

_SPACE = re.compile(r"(?:[ \t\n\r]+|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SPACE_START = frozenset(" \t\n\r/")
_WORDS = {"true": True, "false": False, "null": None}
_MAX_DEPTH = 400
_new_loc = tuple.__new__  # Loc without NamedTuple's Python-level __new__: one per value and key


_KEY_SHIFT = 32
_VALUE_MASK = (1 << _KEY_SHIFT) - 1


class Positions(dict):
    """key -> Loc of each member value of a JSON object, kept as character offsets until read.

    A large az dump has a location for every value and key; turning only the ones asked for into
    :class:`Loc` objects keeps parsing fast and small. The parser stores one integer per member,
    the key's offset and the value's packed together; reads (``[key]``, ``get``) give Locs, Locs
    assigned by importers are kept as they are, and :attr:`LocDict.key_locs` reads the key halves.
    """

    __slots__ = ("doc", "key_extra")

    def __init__(self, doc: Optional["Document"] = None):
        super().__init__()
        self.doc = doc
        self.key_extra: Optional[dict] = None  # key locations set by importers

    def __getitem__(self, key) -> Loc:
        found = dict.__getitem__(self, key)
        return self.doc.loc(found & _VALUE_MASK) if type(found) is int else found

    def get(self, key, default=None):
        found = dict.get(self, key, default)
        return self.doc.loc(found & _VALUE_MASK) if type(found) is int else found

    def __setitem__(self, key, loc) -> None:
        found = dict.get(self, key)
        if type(found) is int and type(loc) is not int:  # keep the key's location when the value's is replaced
            self.set_key(key, self.doc.loc(found >> _KEY_SHIFT))
        dict.__setitem__(self, key, loc)

    def values(self):
        return [self.doc.loc(v & _VALUE_MASK) if type(v) is int else v for v in dict.values(self)]

    def items(self):
        return [(k, self.doc.loc(v & _VALUE_MASK) if type(v) is int else v) for k, v in dict.items(self)]

    def key_loc(self, key, default=None):
        if self.key_extra is not None and key in self.key_extra:
            return self.key_extra[key]
        found = dict.get(self, key)
        return self.doc.loc(found >> _KEY_SHIFT) if type(found) is int else default

    def set_key(self, key, loc) -> None:
        if self.key_extra is None:
            self.key_extra = {}
        self.key_extra[key] = loc


class KeyPositions:
    """``LocDict.key_locs``: key -> Loc of each member name (a view of the object's Positions)."""

    __slots__ = ("_positions",)

    def __init__(self, positions: Positions):
        self._positions = positions

    def get(self, key, default=None):
        return self._positions.key_loc(key, default)

    def __getitem__(self, key) -> Loc:
        found = self._positions.key_loc(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key) -> bool:
        return self._positions.key_loc(key) is not None

    def __setitem__(self, key, loc) -> None:
        self._positions.set_key(key, loc)


class ListPositions(list):
    """Item locations of a JSON array, stored as offsets until read (see :class:`Positions`)."""

    __slots__ = ("doc",)

    def __init__(self, doc: Optional["Document"] = None):
        super().__init__()
        self.doc = doc

    def __getitem__(self, index):
        found = list.__getitem__(self, index)
        return self.doc.loc(found) if type(found) is int else found

    def __iter__(self):
        loc = self.doc.loc if self.doc is not None else None
        return iter([loc(v) if type(v) is int else v for v in list.__iter__(self)])


class LocDict(dict):
    """A JSON object: a dict plus ``loc`` (its '{'), ``locs[key]`` (each value) and ``key_locs[key]``."""

    __slots__ = ("loc", "locs")

    def __init__(self, *args, loc: Optional[Loc] = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.loc = loc
        self.locs: dict = Positions()

    @property
    def key_locs(self) -> KeyPositions:
        return KeyPositions(self.locs)

    def value_loc(self, key) -> Optional[Loc]:
        return self.locs.get(key, self.loc)


class LocList(list):
    """A JSON array: a list plus ``loc`` (its '[') and ``locs[i]`` (each item)."""

    __slots__ = ("loc", "locs")

    def __init__(self, *args, loc: Optional[Loc] = None):
        super().__init__(*args)
        self.loc = loc
        self.locs: list = ListPositions()

    def value_loc(self, index: int) -> Optional[Loc]:
        return self.locs[index] if 0 <= index < len(self.locs) else self.loc


class Document:
    """A parsed file: its text, and offset <-> line:col conversion."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.text = text
        self._bom = 1 if text.startswith("\ufeff") else 0
        starts = [self._bom]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.line_starts = starts

    def loc(self, offset: int) -> Loc:
        line = bisect_right(self.line_starts, offset)
        return _new_loc(Loc, (self.file, line, offset - self.line_starts[line - 1] + 1))

    def offset(self, loc: Loc) -> int:
        return self.line_starts[loc.line - 1] + loc.col - 1

    def loc_in_string(self, string_loc: Loc, index: int) -> Loc:
        """Location of character `index` of the decoded string whose opening quote is at `string_loc`."""
        raw = self.offset(string_loc) + 1
        text = self.text
        for _ in range(index):
            if raw >= len(text) or text[raw] == '"':
                break
            if text[raw] == "\\":
                raw += 6 if text[raw + 1: raw + 2] == "u" else 2
            else:
                raw += 1
        return self.loc(raw)


def parse(text: str, file: str) -> tuple[Any, Document]:
    """Parse JSON text; returns (value, document). Raises InputError on malformed input."""
    doc = Document(file, text)
    parser = _Parser(doc)
    return parser.document(), doc


def _describe(ch: str) -> str:
    if ch == "":
        return "the end of the file"
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return repr(ch)


class _Parser:
    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.loc = doc.loc
        self.values_left = max_values()

    def fail(self, pos: int, message: str) -> InputError:
        return InputError(f"malformed JSON: {message}", self.loc(min(pos, len(self.text))))

    def skip(self, pos: int) -> int:
        if self.text[pos: pos + 1] not in _SPACE_START:
            return pos
        end = _SPACE.match(self.text, pos).end()
        if self.text.startswith("/*", end):
            raise self.fail(end, "unterminated /* comment")
        return end

    def document(self) -> Any:
        text = self.text
        pos = self.skip(self.doc._bom)
        if pos >= len(text):
            raise self.fail(pos, "the file is empty (expected a JSON object or array)")
        try:
            value, pos = self.value(pos, 0)
        except RecursionError:
            raise self.fail(pos, "nesting is too deep") from None
        pos = self.skip(pos)
        if pos < len(text):
            raise self.fail(pos, f"unexpected {_describe(text[pos])} after the end of the JSON value "
                                 "(two documents in one file, or text mixed into az output?)")
        return value

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        self.values_left -= 1
        if self.values_left < 0:
            raise self.fail(pos, f"the file holds more than {max_values():,} values; split it into several files")
        text = self.text
        ch = text[pos: pos + 1]
        if ch == '"':
            return self.string(pos)
        if ch == "{":
            return self.object(pos, depth + 1)
        if ch == "[":
            return self.array(pos, depth + 1)
        m = _NUMBER.match(text, pos)
        if m:
            literal = m.group()
            if len(literal) > 1000:
                raise self.fail(pos, f"a number of {len(literal):,} characters is not a plausible value")
            if m.group(1) or m.group(2):
                return float(literal), m.end()
            return int(literal), m.end()
        for word, value in _WORDS.items():
            if text.startswith(word, pos):
                return value, pos + len(word)
        if pos == self.skip(self.doc._bom) and ch.isalpha():
            raise self.fail(pos, f"expected a JSON value, found {_describe(ch)} "
                                 "(is this az output in table or tsv format, or with a warning mixed in? use -o json)")
        if ch in ("'",):
            raise self.fail(pos, "strings must use double quotes")
        raise self.fail(pos, f"expected a value, found {_describe(ch)}")

    def string(self, pos: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, pos + 1, True)
        except JSONDecodeError as exc:
            what = exc.msg
            if what.startswith("Unterminated string"):
                what = "unterminated string"
            elif what.startswith("Invalid control character"):
                what = "a raw control character (such as a newline) inside a string"
            else:
                what = what[0].lower() + what[1:]
            raise self.fail(exc.pos, what) from None

    def object(self, pos: int, depth: int) -> tuple[LocDict, int]:
        if depth > _MAX_DEPTH:
            raise self.fail(pos, "nesting is too deep")
        text, loc = self.text, self.loc
        result = LocDict(loc=loc(pos))
        offsets = result.locs
        offsets.doc = self.doc
        store = dict.__setitem__
        pos = self.skip(pos + 1)
        if text[pos: pos + 1] == "}":
            return result, pos + 1
        while True:
            if text[pos: pos + 1] != '"':
                ch = text[pos: pos + 1]
                if ch == "}":
                    raise self.fail(pos, "trailing comma before '}'")
                raise self.fail(pos, f"expected a member name in double quotes, found {_describe(ch)}")
            key_pos = pos
            key, pos = self.string(pos)
            if key in result:
                first = result.key_locs[key]
                raise self.fail(key_pos, f"duplicated key '{key}' (first at line {first.line}); "
                                         "JSON readers would silently keep the last one")
            pos = self.skip(pos)
            if text[pos: pos + 1] != ":":
                raise self.fail(pos, f"expected ':' after member name '{key}', found {_describe(text[pos: pos + 1])}")
            pos = self.skip(pos + 1)
            value_pos = pos
            value, pos = self.value(pos, depth)
            result[key] = value
            store(offsets, key, (key_pos << _KEY_SHIFT) | value_pos)
            pos = self.skip(pos)
            ch = text[pos: pos + 1]
            if ch == ",":
                pos = self.skip(pos + 1)
                continue
            if ch == "}":
                return result, pos + 1
            raise self.fail(pos, f"expected ',' or '}}' after the value of '{key}', found {_describe(ch)}")

    def array(self, pos: int, depth: int) -> tuple[LocList, int]:
        if depth > _MAX_DEPTH:
            raise self.fail(pos, "nesting is too deep")
        text, loc = self.text, self.loc
        result = LocList(loc=loc(pos))
        offsets = result.locs
        offsets.doc = self.doc
        pos = self.skip(pos + 1)
        if text[pos: pos + 1] == "]":
            return result, pos + 1
        while True:
            if text[pos: pos + 1] == "]":
                raise self.fail(pos, "trailing comma before ']'")
            offsets.append(pos)
            value, pos = self.value(pos, depth)
            result.append(value)
            pos = self.skip(pos)
            ch = text[pos: pos + 1]
            if ch == ",":
                pos = self.skip(pos + 1)
                continue
            if ch == "]":
                return result, pos + 1
            raise self.fail(pos, f"expected ',' or ']' after an array item, found {_describe(ch)}")
