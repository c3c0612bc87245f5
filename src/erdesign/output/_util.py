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
