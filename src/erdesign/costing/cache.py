"""Where the book of `erdesign pricing fetch` lives.

Below both :mod:`.fetch` (which writes the book) and :mod:`.book` (which layers it over the
shipped books when it is newer, :func:`erdesign.costing.book.cached_book`), so neither imports the other.
"""
from __future__ import annotations

import os

BOOK_FILE = "azure-retail.yaml"
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


def default_book_path() -> str:
    return os.path.join(cache_dir(), BOOK_FILE)
