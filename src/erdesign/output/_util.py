"""Small helpers shared by the renderers."""
from __future__ import annotations

import os
import re
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
    lines = text.splitlines()
    return lines[loc.line - 1] if loc.line <= len(lines) else None


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
