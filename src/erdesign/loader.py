"""Load a design from one or more files (or folders) with exact source locations.

YAML designs are validated against :mod:`erdesign.model`; JSON inputs (az CLI
dumps, ARM templates, Terraform plans) go through :mod:`erdesign.importers`.
Every problem becomes an :class:`~erdesign.errors.InputError` that names the
file, line and column.
"""
from __future__ import annotations

import os
from pathlib import Path as FsPath
from typing import Any, Callable, Container, Optional, Sequence

from pydantic import BaseModel, ValidationError

from . import model as m
from .collector import collector_paused
from .discovery import IMPORT_SUFFIXES, is_tool_folder
from .errors import InputError, InputErrors, Loc, did_you_mean
from .yamlsource import FieldLocations, LocMap, Locations, load_yaml

DESIGN_SUFFIXES = (".yaml", ".yml")
TERRAFORM_SOURCE_SUFFIX = ".tf"

_LIST_SECTIONS = [
    name
    for name, field in m.Design.model_fields.items()
    if name not in ("version", "name", "description", "traffic", "include", "monitoring")
]


# --------------------------------------------------------------------------- entry points

def expand_paths(paths: Sequence[str | os.PathLike], skipped: Optional[list[str]] = None) -> list[str]:
    """Files as given; a folder means every design or JSON file in it and its subfolders
    (sorted; hidden files and folders, and tools' folders such as build/ or node_modules/, are left out). Other files found in folders are
    appended to `skipped` when a list is given."""
    from .inputgate import STDIN, check_readable_file

    files: list[str] = []
    for raw in paths:
        if os.fspath(raw) == STDIN:
            files.append(STDIN)
            continue
        p = FsPath(raw)
        if _is_folder(p):
            found: list[str] = []
            terraform_roots: list[str] = []
            for folder, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not is_tool_folder(d))
                # .tf files below a folder of .tf files are its modules, read through `source =`
                inside_root = any(folder.startswith(root + os.sep) for root in terraform_roots)
                if any(n.endswith(TERRAFORM_SOURCE_SUFFIX) for n in names) and not inside_root:
                    terraform_roots.append(folder)
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    path = os.path.join(folder, name)
                    module_file = inside_root and name.lower().endswith(TERRAFORM_SOURCE_SUFFIX)
                    if name.lower().endswith(DESIGN_SUFFIXES) and not looks_like_design(path):
                        if skipped is not None:  # e.g. a usage file beside the designs: not a failure
                            skipped.append(path)
                    elif name.lower().endswith(DESIGN_SUFFIXES + IMPORT_SUFFIXES) and not module_file:
                        found.append(path)
                    elif skipped is not None and not module_file:
                        skipped.append(path)
            if not found:
                raise InputError("folder holds no .yaml, .yml, .json, .tf or .bicep file", file=str(raw))
            files.extend(found)
        else:
            check_readable_file(str(raw))
            files.append(str(raw))
    return files




def looks_like_design(path: str) -> bool:
    """Whether a YAML file found in a folder is (meant to be) a design: a mapping with at least one design
    section. Unreadable or broken YAML counts as a design, so that its error is reported. Read through the
    same YAML reader (and its limits) as designs."""
    try:
        data, _ = load_yaml(read_text(path), path)
    except (InputError, InputErrors):
        return True
    return isinstance(data, dict) and any(k in m.Design.model_fields for k in data)


def _is_folder(p: FsPath) -> bool:
    try:
        return p.is_dir()
    except (OSError, ValueError):  # a symlink loop, a name too long: the input gate says which
        return False


def read_text(path: str, what: str = "file") -> str:
    """The text of one input file through the input gate (UTF-8, or UTF-16 with a byte-order mark)."""
    from .inputgate import read_input_text

    return read_input_text(path, what, utf16=True)


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
    fragments: list[m.Design] = []
    errors: list[InputError] = []
    json_inputs: list[tuple[str, str]] = []  # imported together, so resources link across files
    for path in files:
        try:
            text = read_text(path)
            if path == "-":
                path = "<stdin>"
            if path.lower().endswith(IMPORT_SUFFIXES):
                json_inputs.append((text, path))
            else:
                fragments.append(parse_design_text(text, path))
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
    message = message or _message
    return InputErrors([_validation_error(err, locs, file, root_model, strip, root_label, message,
                                          suggest=i < _SUGGESTED)
                        for i, err in enumerate(_dedupe(exc.errors()))])


_SUGGESTED = 200  # 'did you mean' hints for the first errors only: a file of many thousand stays quick


def _dedupe(errors: list[dict]) -> list[dict]:
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


def _message(err: dict) -> str:
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
    import typing

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
    private = node.__pydantic_private__
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
            raw_items = raw if type(raw) is list else ()
            for i, item in enumerate(value):
                located = i < len(raw_items)
                if isinstance(item, m.Node):
                    _attach_source(item, source, raw_items[i] if located else None,
                                   source.item_position(raw_items, i) if located else None, path + (name, i))
                elif isinstance(item, m.Suppression):
                    item._loc = source.loc(source.item_position(raw_items, i)) if located else None


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


# (referring section, attribute, target kind, target label)
_REFERENCES: list[tuple[str, str, str, str]] = [
    ("circuits", "express_route_port", "express_route_ports", "ExpressRoute Direct port"),
    ("gateways", "vnet", "vnets", "VNet"),
    ("gateways", "public_ip", "public_ips", "public IP"),
    ("connections", "gateway", "gateways", "gateway"),
    ("connections", "circuit", "circuits", "circuit"),
    ("vnet_peerings", "vnet", "vnets", "VNet"),
    ("vnet_peerings", "remote_vnet", "vnets", "VNet"),
    ("hub_gateways", "hub", "virtual_hubs", "virtual hub"),
    ("hub_connections", "hub_gateway", "hub_gateways", "hub ExpressRoute gateway"),
    ("hub_connections", "circuit", "circuits", "circuit"),
]

_KIND_LABEL = {
    "sites": "site", "routers": "router", "providers": "provider", "express_route_ports": "ExpressRoute Direct port",
    "circuits": "circuit", "vnets": "VNet", "route_tables": "route table", "nsgs": "NSG", "public_ips": "public IP",
    "route_filters": "route filter", "gateways": "gateway", "connections": "connection", "vnet_peerings": "VNet peering",
    "virtual_hubs": "virtual hub", "hub_gateways": "hub ExpressRoute gateway", "hub_connections": "hub connection",
}


def _named(design: m.Design) -> dict[str, list[m.Node]]:
    kinds = {section: list(getattr(design, section)) for section in _LIST_SECTIONS}
    kinds["routers"] = design.routers
    return kinds


def resolve(design: m.Design) -> None:
    """Index objects by name and check that every reference names exactly one object."""
    errors: list[InputError] = []
    index: dict[str, dict[str, m.Node]] = {}
    for kind, nodes in _named(design).items():
        table: dict[str, m.Node] = {}
        for node in nodes:
            name = node.name
            if name in table:
                first = table[name]
                errors.append(InputError(
                    f"{_KIND_LABEL[kind]} name '{name}' is defined twice (first at {first.loc('name') or first.loc()}); "
                    "references to it would be ambiguous",
                    node.loc("name"),
                ))
            else:
                table[name] = node
        index[kind] = table
    design._index = index

    def ref(src: m.Node, attr: str, kind: str, label: str, owner: str) -> None:
        target = getattr(src, attr)
        if target is None or target in index[kind]:
            return
        hint = did_you_mean(target, index[kind])
        defined = "" if index[kind] else f" (the design defines no {label})"
        errors.append(InputError(f"{owner} refers to {label} '{target}', which is not defined{hint}{defined}",
                                 src.loc(attr)))

    for section, attr, kind, label in _REFERENCES:
        for obj in getattr(design, section):
            ref(obj, attr, kind, label, f"{_KIND_LABEL[section]} '{obj.name}' {attr}")
    for circuit in design.circuits:
        for peering in circuit.peerings:
            owner = f"circuit '{circuit.name}' peering {peering.type}"
            ref(peering, "route_filter", "route_filters", "route filter", owner)
            for link_name in ("primary_link", "secondary_link"):
                link = getattr(peering, link_name)
                if link is not None:
                    ref(link, "router", "routers", "router", f"{owner} {link_name}")
        for gr in circuit.global_reach:
            ref(gr, "peer_circuit", "circuits", "circuit", f"circuit '{circuit.name}' global_reach")
    for vnet in design.vnets:
        for subnet in vnet.subnets:
            owner = f"VNet '{vnet.name}' subnet '{subnet.name}'"
            ref(subnet, "route_table", "route_tables", "route table", owner)
            ref(subnet, "nsg", "nsgs", "NSG", owner)
    for provider in design.providers:
        for vc in provider.virtual_circuits:
            ref(vc, "circuit", "circuits", "circuit", f"provider '{provider.name}' virtual circuit '{vc.name}'")
        for xc in provider.cross_connects:
            ref(xc, "site", "sites", "site", f"provider '{provider.name}' cross-connect '{xc.name}'")
    traffic = design.traffic
    for t in traffic.circuits:
        ref(t, "circuit", "circuits", "circuit", "traffic.circuits entry")
    for t in traffic.vnet_peerings:
        ref(t, "vnet_peering", "vnet_peerings", "VNet peering", "traffic.vnet_peerings entry")
    for t in traffic.global_reach:
        ref(t, "circuit", "circuits", "circuit", "traffic.global_reach entry")
        ref(t, "peer_circuit", "circuits", "circuit", "traffic.global_reach entry")
    for t in traffic.vpn:
        ref(t, "gateway", "gateways", "gateway", "traffic.vpn entry")
    InputErrors.raise_if_any(errors)
