"""Small helpers shared by the renderers."""
from __future__ import annotations

import os
import re
from array import array
from functools import lru_cache
from typing import Optional
from urllib.parse import quote


def one_line(text: Optional[str]) -> str:
    """Collapse the whitespace of a (possibly wrapped) catalog text into one line."""
    return re.sub(r"\s+", " ", text or "").strip()


def relative_path(file: str, cwd: Optional[str] = None) -> str:
    """A path relative to the working folder with / separators (absolute if on another drive)."""
    try:
        rel = os.path.relpath(os.path.abspath(file), os.path.abspath(cwd or os.getcwd()))
    except ValueError:
        return os.path.abspath(file).replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def file_uri(file: str, cwd: Optional[str] = None) -> str:
    return quote(relative_path(file, cwd), safe="/._-~")


def location(loc) -> str:
    return f"{loc.file}:{loc.line}:{loc.col}" if loc is not None else "<design>"


def source_root(cwd: Optional[str] = None) -> str:
    """The git work tree holding the working folder (what CI calls the repository root), else the folder."""
    start = os.path.abspath(cwd or os.getcwd())
    probe = start
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return start
        probe = parent


def source_line(loc, sources: Optional[dict] = None) -> Optional[str]:
    """The text of the line `loc` points at (from `sources`, a file -> text cache, else the file)."""
    if loc is None or not loc.file or loc.line < 1:
        return None
    cache = {} if sources is None else sources
    text = cache.get(loc.file)
    if text is None:
        try:
            with open(loc.file, encoding="utf-8-sig") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            return None
        cache[loc.file] = text
    index = _line_index(text)
    if index is None:
        lines = text.splitlines()
        return lines[loc.line - 1] if loc.line <= len(lines) else None
    return index.line(loc.line)


# Line breaks str.splitlines() knows besides "\n"; a text with any of them is split the slow way.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class _Lines:
    """Lines of a text found on demand: each finding's source line without splitting the whole file."""

    def __init__(self, text: str):
        self.text = text
        self.starts = array("q", [0])  # offset of each line found so far

    def line(self, number: int) -> Optional[str]:
        text, starts = self.text, self.starts
        while len(starts) < number:
            pos = text.find("\n", starts[-1])
            if pos < 0:
                break
            starts.append(pos + 1)
        if number > len(starts) or starts[number - 1] >= len(text):
            return None
        start = starts[number - 1]
        end = text.find("\n", start)
        return text[start:] if end < 0 else text[start:end]


@lru_cache(maxsize=16)
def _line_index(text: str) -> Optional[_Lines]:
    return None if _OTHER_BREAKS.search(text) else _Lines(text)


_FLOW_STOP = ",]}"


def value_end(loc, sources: Optional[dict] = None) -> Optional[int]:
    """The column just after the scalar (or key) that starts at `loc`, when it ends on that line."""
    line = source_line(loc, sources)
    if line is None or loc.col < 1 or loc.col > len(line):
        return None
    start = loc.col - 1
    first = line[start]
    if first in "{[":
        return None
    if first in "\"'":
        end = start + 1
        while end < len(line):
            if line[end] == "\\" and first == '"':
                end += 2
                continue
            if line[end] == first:
                return end + 2
            end += 1
        return None
    in_flow = loc.file.lower().endswith(".json") or any(ch in "{[" for ch in line[:start])
    end = start
    while end < len(line):
        ch = line[end]
        if (ch == "#" and line[end - 1] in " \t") or (ch == ":" and line[end + 1:end + 2] in (" ", "")):
            break
        if in_flow and ch in _FLOW_STOP:
            break
        end += 1
    end = len(line[:end].rstrip())
    return end + 1 if end > start else None
