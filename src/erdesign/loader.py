"""Load a design from one or more files (or folders) with exact source locations.

YAML designs are validated against :mod:`erdesign.model`; JSON inputs (az CLI
dumps, ARM templates, Terraform plans) go through :mod:`erdesign.importers`.
Every problem becomes an :class:`~erdesign.errors.InputError` that names the
file, line and column.
"""
from __future__ import annotations

import os
from typing import Any, Optional, Sequence

from pydantic import ValidationError

from . import model as m
from .collector import collector_paused
from .discovery import (DESIGN_SUFFIXES, IMPORT_SUFFIXES, TERRAFORM_SOURCE_SUFFIX, expand_paths, looks_like_design,
                        read_text)
from .errors import InputError, InputErrors, Loc, did_you_mean
from .validation import LocMap, attach_locations, located_validation_errors, nearest_loc
from .yamlsource import load_yaml

# Names other modules and users import from here; they live in the layers below the loader.
__all__ = ["DESIGN_SUFFIXES", "IMPORT_SUFFIXES", "TERRAFORM_SOURCE_SUFFIX", "attach_locations", "expand_paths",
           "load_design", "load_design_text", "located_validation_errors", "looks_like_design", "merge",
           "nearest_loc", "parse_design_text", "read_text", "resolve"]

_LIST_SECTIONS = [
    name
    for name, field in m.Design.model_fields.items()
    if name not in ("version", "name", "description", "traffic", "include", "monitoring")
]


# --------------------------------------------------------------------------- entry points

def load_design(paths: Sequence[str | os.PathLike] | str | os.PathLike, **import_options: Any) -> m.Design:
    """Load and check a design made of one or more files or folders.

    Raises InputError / InputErrors for any problem with the input.
    ``import_options`` go to the JSON importers (e.g. ``parameters=`` for ARM).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    with collector_paused():
        return _load_files(expand_paths(paths), import_options)


def _load_files(files: list[str], import_options: dict) -> m.Design:
    texts: list[tuple[str, str]] = []
    errors: list[InputError] = []
    for path in files:
        try:
            texts.append((read_text(path), "<stdin>" if path == "-" else path))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    return design_from_texts(texts, errors, **import_options)


def design_from_texts(texts: Sequence[tuple[str, str]], errors: Optional[list[InputError]] = None,
                      **import_options: Any) -> m.Design:
    """One resolved design from (text, label) pairs: design YAML parsed, JSON and IaC inputs imported
    together (so resources link across files); every input error raised at once, with `errors` before."""
    errors = list(errors or [])
    fragments: list[m.Design] = []
    json_inputs: list[tuple[str, str]] = []
    for text, label in texts:
        if label.lower().endswith(IMPORT_SUFFIXES):
            json_inputs.append((text, label))
            continue
        try:
            fragments.append(parse_design_text(text, label))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    if json_inputs:
        from .importers import import_json_many

        try:
            fragments.append(import_json_many(json_inputs, **import_options))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    InputErrors.raise_if_any(errors)
    design = merge(fragments)
    resolve(design)
    return design


def load_design_text(text: str, file: str = "<design>") -> m.Design:
    """Parse and check a single YAML design given as text."""
    with collector_paused():
        design = parse_design_text(text, file)
        resolve(design)
    return design


# --------------------------------------------------------------------------- YAML -> model

def parse_design_text(text: str, file: str) -> m.Design:
    data, locs = load_yaml(text, file)
    if data is None:
        raise InputError("empty design file: expected a mapping with sections such as circuits, vnets, gateways",
                         Loc(file, 1, 1))
    if not isinstance(data, dict):
        raise InputError(f"a design file is a mapping of sections (circuits:, vnets:, …), not a {type(data).__name__}",
                         locs.get((), Loc(file, 1, 1)))
    marked = _take_unknown_markers(data)
    try:
        design = m.Design.model_validate(data, context={"unknown_fields": {f for _, _, f in marked}} if marked else None)
    except ValidationError as exc:
        raise located_validation_errors(exc, locs, file, m.Design) from None
    attach_locations(design, locs, ())
    if marked:
        _mark_unknown(design, marked, locs, file)
    design._sources[file] = text
    return design


# Required fields an imported design may leave unknown (the input gives no value): written as `unknown`.
UNKNOWABLE_FIELDS = {"circuits": "bandwidth", "express_route_ports": "bandwidth", "gateways": "sku"}


def _take_unknown_markers(data: dict) -> list[tuple[str, int, str]]:
    """(section, index, field) of every `field: unknown`, removed from the data before validation."""
    marked = []
    for section, field in UNKNOWABLE_FIELDS.items():
        items = data.get(section)
        for i, item in enumerate(items if isinstance(items, list) else []):
            value = item.get(field) if isinstance(item, dict) else None
            if isinstance(value, str) and value.strip().lower() == m.UNKNOWN_MARKER:
                del item[field]
                marked.append((section, i, field))
    return marked


def _mark_unknown(design: m.Design, marked: list, locs: LocMap, file: str) -> None:
    """Record the `unknown` values (checks that need them are held back, IMP008), and refuse a missing value
    elsewhere that validation let through only because some object said `unknown`."""
    from .importers.values import Unknown

    chosen = {(section, i) for section, i, _ in marked}
    errors = []
    for section, field in UNKNOWABLE_FIELDS.items():
        for i, obj in enumerate(getattr(design, section)):
            if getattr(obj, field) is not None:
                continue
            if (section, i) in chosen:
                where = locs.get((section, i, "<key>", field)) or obj.loc()
                obj._unknown[field] = Unknown(f"{section}[{i}].{field}", where, "given as 'unknown' in the design")
            else:
                errors.append(InputError(f"{section}[{i}]: missing required key '{field}'", obj.loc() or Loc(file, 1, 1)))
    InputErrors.raise_if_any(errors)


# --------------------------------------------------------------------------- merging and references

def merge(fragments: list[m.Design]) -> m.Design:
    """One design from several files: list sections are concatenated in file order."""
    if len(fragments) == 1:
        return fragments[0]
    design = m.Design()
    for frag in fragments:
        for section in _LIST_SECTIONS:
            getattr(design, section).extend(getattr(frag, section))
        for section in m.Traffic.model_fields:
            getattr(design.traffic, section).extend(getattr(frag.traffic, section))
        if frag.monitoring is not None:
            if design.monitoring is None:
                design.monitoring = m.Monitoring()
            design.monitoring.alerts.extend(frag.monitoring.alerts)
            if frag.monitoring.service_health_alerts is not None:
                design.monitoring.service_health_alerts = frag.monitoring.service_health_alerts
        design.name = design.name or frag.name
        design.description = design.description or frag.description
        design._sources.update(frag._sources)
        design._notes.extend(frag._notes)
        design._live.extend(frag._live)
        design._outside_references.update(frag._outside_references)
        if not design._locs and frag._locs.get(()):
            design._locs[()] = frag._locs[()]
    return design


def _named(design: m.Design) -> dict[str, list[m.Named]]:
    kinds = {section: list(getattr(design, section)) for section in _LIST_SECTIONS}
    kinds["routers"] = design.routers
    return kinds


def resolve(design: m.Design) -> None:
    """Index objects by name and check that every reference (a field declared with model.Ref) names
    exactly one object."""
    errors: list[InputError] = []
    labels = m.section_labels()
    index: dict[str, dict[str, m.Named]] = {}
    for kind, nodes in _named(design).items():
        table: dict[str, m.Named] = {}
        for node in nodes:
            name = node.name
            if name in table:
                first = table[name]
                errors.append(InputError(
                    f"{labels[kind]} name '{name}' is defined twice (first at {first.loc('name') or first.loc()}); "
                    "references to it would be ambiguous",
                    node.loc("name"),
                ))
            else:
                table[name] = node
        index[kind] = table
    design._index = index

    for ref in m.references(design):
        if ref.chain[:1] and ref.chain[0][0] == "traffic" and ref.chain[1][0] == "scenarios":
            continue  # checked when the scenario is priced (costing.usage), so that lint does not stop at them
        if ref.name is None or ref.name in index[ref.section]:
            continue
        label = labels[ref.section]
        hint = did_you_mean(ref.name, index[ref.section])
        defined = "" if index[ref.section] else f" (the design defines no {label})"
        errors.append(InputError(f"{ref.owner_text()} refers to {label} '{ref.name}', which is not defined"
                                 f"{hint}{defined}", ref.owner.loc(ref.field)))
    InputErrors.raise_if_any(errors)
