"""Where the book of `erdesign pricing fetch` lives.

Below both :mod:`.fetch` (which writes the book) and :mod:`.book` (which layers it over the
shipped books when it is newer, :func:`erdesign.costing.book.cached_book`), so neither imports the other.
"""
from __future__ import annotations

import os

from ..cachedir import CACHE_ENV, cache_dir

__all__ = ["BOOK_FILE", "CACHE_ENV", "cache_dir", "default_book_path"]

BOOK_FILE = "azure-retail.yaml"


def default_book_path() -> str:
    return os.path.join(cache_dir(), BOOK_FILE)
