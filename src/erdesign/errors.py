"""Input errors: one clear, located line each; the CLI turns them into exit code 2."""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple


class Loc(NamedTuple):
    """A place in a source file; line and column are 1-based."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def one_line(text: str) -> str:
    """`text` with newlines and other unprintable characters escaped, so a message stays one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


CLIP_KEEP = 60  # characters of a long value kept in a message
_CLIP_OVER = 80  # values longer than this are clipped
MESSAGE_MAX = 240  # a whole message longer than this is cut


def clip(value: str, keep: int = CLIP_KEEP) -> str:
    """`value` itself when short, else its first `keep` characters + '… (N characters)'."""
    value = str(value)
    if len(value) <= max(keep, _CLIP_OVER):
        return value
    return f"{value[:keep]}… ({len(value)} characters)"


# file:line:col, as messages cite other places ("first at a.yaml:3:5)"); kept whole unless huge
_LOCATION = re.compile(r"\(?[^\s'\"]+:\d+:\d+[),;:.]*")  # not a quoted value that merely ends like one
_LOCATION_MAX = 200


def _is_location(part: str) -> bool:
    return len(part) <= _LOCATION_MAX and _LOCATION.fullmatch(part) is not None


def clip_values(message: str) -> str:
    """`message` with every long value in it (a run without spaces, locations aside) clipped."""
    if len(message) <= _CLIP_OVER:
        return message
    parts = message.split(" ")
    if any(len(p) > _CLIP_OVER for p in parts):
        message = " ".join(clip(p) if len(p) > _CLIP_OVER and not _is_location(p) else p for p in parts)
    return message


def clip_message(message: str) -> str:
    """A message with every long value in it clipped (a value is a run without spaces), and the rest
    cut to MESSAGE_MAX characters (locations aside), so that one error stays one readable line."""
    message = clip_values(message)
    if len(message) > MESSAGE_MAX and sum(len(p) + 1 for p in message.split(" ") if not _is_location(p)) > MESSAGE_MAX:
        message = f"{message[:MESSAGE_MAX - 40]}… (message of {len(message)} characters cut)"
    return message


def _clip_name(file: str | None) -> str | None:
    return clip(file, 120) if file and len(file) > 160 else file


class InputError(Exception):
    """One problem with the user's input, at a known place."""

    def __init__(self, message: str, loc: Loc | None = None, file: str | None = None):
        message = clip_message(one_line(str(message)))
        if loc is not None and len(loc.file) > 160:
            loc = Loc(_clip_name(one_line(loc.file)), loc.line, loc.col)
        file = _clip_name(one_line(file)) if file else file
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.file = file or (loc.file if loc else None)

    def __str__(self) -> str:
        if self.loc is not None:
            return f"{self.loc}: {self.message}"
        if self.file:
            return f"{self.file}: {self.message}"
        return self.message

    def sort_key(self):
        if self.loc is not None:
            return (self.loc.file, self.loc.line, self.loc.col, self.message)
        return (self.file or "", 0, 0, self.message)


MAX_LISTED = 100  # input errors printed; a file with thousands says how many more there are


class InputErrors(Exception):
    """Several input errors found in one pass, reported together (the first MAX_LISTED of them)."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = sorted(errors, key=InputError.sort_key)
        lines = [str(e) for e in self.errors[:MAX_LISTED]]
        if len(self.errors) > MAX_LISTED:
            lines.append(f"erdesign: … and {len(self.errors) - MAX_LISTED:,} more input errors, not listed "
                         "(fix these first)")
        super().__init__("\n".join(lines))

    @classmethod
    def raise_if_any(cls, errors: list[InputError]) -> None:
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise cls(errors)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word`, for 'did you mean' hints."""
    import difflib

    cands = list(candidates)
    lowered = {c.lower(): c for c in cands}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    guess = closest(word, candidates)
    return f" (did you mean '{guess}'?)" if guess and guess != word else ""
