"""The data of one design object being built from ARM-shaped resources, with the location of each field.

Shared by the builders of every resource kind (:mod:`.build`, :mod:`.build_vwan`); ``ctx`` is the
build in progress, which records Unknown values.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..errors import Loc
from .values import Unknown

if TYPE_CHECKING:
    from .build import Build


class ObjectData:
    """The data for one model object plus the location of each field (paths relative to the object)."""

    def __init__(self, ctx: "Build", label: str, loc: Optional[Loc]):
        self.ctx = ctx
        self.label = label
        self.data: dict = {}
        self.locs: dict = {(): loc} if loc else {}
        self.unknown_fields: dict = {}

    def put(self, path, value, loc: Optional[Loc], *, what: Optional[str] = None):
        """Set a field (path: 'name' or ('sku', 'tier')); Unknown values are left out and noted."""
        if isinstance(path, str):
            path = (path,)
        if value is None:
            return
        if isinstance(value, Unknown):
            self.ctx.unknown(value, f"{what or path[-1].replace('_', ' ')} of {self.label}")
            self.unknown_fields[path] = value
            return
        target = self.data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
        if loc:
            self.locs[path] = loc

    def put_list(self, name: str, values: list[tuple[Any, Optional[Loc]]], loc: Optional[Loc] = None):
        kept: list[Any] = []
        for value, item_loc in values:
            if isinstance(value, Unknown):
                self.ctx.unknown(value, f"an item of {name.replace('_', ' ')} of {self.label}")
                continue
            if value is None:
                continue
            if item_loc:
                self.locs[(name, len(kept))] = item_loc
            kept.append(value)
        if kept:
            self.data[name] = kept
            if loc:
                self.locs.setdefault((name,), loc)

    def put_child(self, name: str, child: "ObjectData", index: Optional[int] = None):
        """Nest another object's data (e.g. a peering inside a circuit)."""
        prefix: tuple[str | int, ...]
        if index is None:
            self.data[name] = child.data
            prefix = (name,)
        else:
            self.data.setdefault(name, []).append(child.data)
            prefix = (name, index)
        for path, loc in child.locs.items():
            self.locs[prefix + path] = loc
        for path, value in child.unknown_fields.items():
            self.unknown_fields[prefix + path] = value
