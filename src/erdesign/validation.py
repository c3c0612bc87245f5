"""Pydantic validation errors at file:line:col, and source locations attached to validated objects.

The layer below the design loader, the importers and the costing inputs (price books, usage
files): each validates data through a pydantic model and reports each problem where it is written.
"""
from __future__ import annotations

import typing
from typing import Any, Callable, Container, Optional

from pydantic import BaseModel, ValidationError

from . import model as m
from .errors import InputError, InputErrors, Loc, did_you_mean
from .yamlsource import FieldLocations, Locations

# Where each value of the data is: read from the YAML (Locations), or a plain {path: Loc} (importers, options)
LocMap = typing.Union[Locations, dict]


def located_validation_errors(exc: ValidationError, locs: LocMap, file: str, root_model: type[BaseModel], *,
                              strip: Container[str] = (), root_label: str = "",
                              message: Optional[Callable[[dict], str]] = None) -> InputErrors:
    """The errors of ``root_model.model_validate(data)`` on YAML data, one per field, at file:line:col.

    ``locs`` are the data's locations (from :func:`erdesign.yamlsource.load_yaml`). An unknown key is
    reported at the key with a did-you-mean among the model's fields, a missing key at its parent
    mapping, any other error at the value. ``strip``: names to drop from pydantic's error paths (union
    tags); ``root_label``: what a message about the top level is prefixed with ('' for nothing);
    ``message``: the wording of a value error (default: the design's).
    """
    message = message or validation_message
    return InputErrors([_validation_error(err, locs, file, root_model, strip, root_label, message,
                                          suggest=i < _SUGGESTED)
                        for i, err in enumerate(_dedupe(exc.errors()))])


_SUGGESTED = 200  # 'did you mean' hints for the first errors only: a file of many thousand stays quick


def _dedupe(errors: list) -> list[dict]:
    seen, out = set(), []
    for err in errors:
        key = tuple(err["loc"])
        if key not in seen:
            seen.add(key)
            out.append(err)
    return out


def _validation_error(err: dict, locs: LocMap, file: str, root_model: type[BaseModel], strip: Container[str],
                      root_label: str, message: Callable[[dict], str], suggest: bool = True) -> InputError:
    path = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in strip))
    kind = err["type"]
    if kind == "extra_forbidden":
        key = path[-1]
        parent = path[:-1]
        where = locs.get(parent + ("<key>", key)) or nearest_loc(locs, path, file)
        valid = _fields_at(root_model, parent)
        hint = did_you_mean(str(key), valid) if valid and suggest else ""
        shown = f"'{key}'" if str(key).isprintable() else repr(str(key))
        return InputError(f"{_where(parent, root_label)}unknown key {shown}{hint}", where)
    if kind == "missing":
        where = nearest_loc(locs, path[:-1], file)
        return InputError(f"{_where(path[:-1], root_label)}missing required key '{path[-1]}'", where)
    return InputError(f"{_where(path, root_label)}{message(err)}", nearest_loc(locs, path, file))


def _where(path: tuple, root_label: str = "") -> str:
    text = m.format_path(path) or root_label
    return f"{text}: " if text else ""


def nearest_loc(locs: LocMap, path: tuple, file: str) -> Loc:
    """Where `path` is in the source, or its closest located ancestor (the file's start at worst)."""
    while path:
        if path in locs:
            return locs[path]
        path = path[:-1]
    return locs.get((), Loc(file, 1, 1))


def validation_message(err: dict) -> str:
    """The wording of one pydantic error about a design value (without its path)."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    shown = _show(value)
    if kind == "literal_error":
        return f"{shown} is not one of {ctx.get('expected', '')}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {shown}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {shown}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {shown}"
    if kind in ("string_type",):
        return f"expected text, got {shown}"
    if kind in ("list_type",):
        return f"expected a list, got {shown}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, got {shown}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{shown}: {err['msg'].lower()}"
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return f"expected a date like 2026-12-31, got {shown}"
    if kind == "string_too_short":
        return "must not be empty"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(cls: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the model found by following `path` from `cls`."""

    current: Any = cls
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def attach_locations(node: m.Node, locs: LocMap, path: tuple) -> None:
    """Give every Node of a freshly validated design its path and source locations."""
    if isinstance(locs, Locations):  # read from the YAML when asked for, not copied
        try:
            data = locs.value_at(path)
        except KeyError:
            data = None
        _attach_source(node, locs, data, locs.position(path), path)
        return
    node._path = path
    if path in locs:
        node._locs[()] = locs[path]
    for name in type(node).model_fields:
        sub = path + (name,)
        if sub not in locs:
            continue
        node._locs[(name,)] = locs[sub]
        value = getattr(node, name)
        if isinstance(value, m.Node):
            attach_locations(value, locs, sub)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, m.Node):
                    attach_locations(item, locs, sub + (i,))
                elif isinstance(item, m.Suppression):
                    item._loc = locs.get(sub + (i,))
                elif sub + (i,) in locs:
                    node._locs[(name, i)] = locs[sub + (i,)]


def _attach_source(node: m.Node, source: Locations, data: Any, at: Optional[int], path: tuple) -> None:
    private = typing.cast(dict, node.__pydantic_private__)  # set for every model with private attributes
    private["_path"] = path
    fields = type(node).model_fields
    mapping = data if type(data) is dict else None
    private["_locs"] = FieldLocations(source, mapping, at, fields, private["_locs"])
    if mapping is None:
        return
    values = node.__dict__
    for name, raw in mapping.items():
        if name not in fields:
            continue
        value = values[name]
        if isinstance(value, m.Node):
            _attach_source(value, source, raw, source.value_position(mapping, name), path + (name,))
        elif type(value) is list:
            raw_items: list = raw if type(raw) is list else []
            for i, item in enumerate(value):
                located = i < len(raw_items)
                if isinstance(item, m.Node):
                    _attach_source(item, source, raw_items[i] if located else None,
                                   source.item_position(raw_items, i) if located else None, path + (name, i))
                elif isinstance(item, m.Suppression):
                    item._loc = source.loc(source.item_position(raw_items, i)) if located else None
