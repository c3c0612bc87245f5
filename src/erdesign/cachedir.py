"""The user's cache folder for erdesign (fetched price books, the precompiled data bundle)."""
from __future__ import annotations

import os

CACHE_ENV = "ERDESIGN_CACHE_DIR"


def cache_dir() -> str:
    """The user's cache folder for erdesign: $ERDESIGN_CACHE_DIR, else $XDG_CACHE_HOME/erdesign,
    else ~/.cache/erdesign (%LOCALAPPDATA%\\erdesign\\cache on Windows)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return os.path.join(xdg, "erdesign")
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "erdesign", "cache")
    return os.path.join(os.path.expanduser("~"), ".cache", "erdesign")
