"""Pausing Python's cyclic garbage collector around bulk work.

Loading a large design allocates hundreds of thousands of small objects (YAML nodes, dicts,
pydantic models) and frees almost none: each allocation burst triggers a collection that walks
every object made so far, which turns linear work quadratic. Objects are still freed by
reference counting while the collector is paused; only reference cycles wait for the next run.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (nesting is fine); restore its previous state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
