"""Importers for what users already have: az CLI JSON, ARM templates, Terraform plans.

The loader hands every JSON input to :func:`import_json_many` at once, so that
resources in different files (a circuit in one dump, its connection in
another) link up by ARM ID. :func:`import_json` does the same for one file.

Problems with one file or one resource (malformed JSON, an unknown ``$schema``,
an ARM expression syntax error, a resource missing required properties) are
located InputErrors. They stop the load (exit 2) only when nothing usable
remains; otherwise they become IMP005 findings and the rest is linted.
"""
from __future__ import annotations

import os
from typing import Iterable, Optional

from ..errors import InputError, InputErrors, Loc
from .arm_budget import is_over_budget

IMPORT_OPTIONS = ("parameters", "var_files")


def import_json(text: str, file: str, **options):
    """One JSON file (az dump, ARM template or Terraform plan) -> Design."""
    return import_json_many([(text, file)], **options)


def import_json_many(inputs: Iterable[tuple[str, str]], parameters: Optional[str | os.PathLike] = None,
                     var_files: Iterable[str] = (), **options):
    """Several JSON files (and .tf / .bicep sources) -> one Design, with resources linked across files."""
    from .build import build_design
    from .detect import LIVE, UNRECOGNISED, detect
    from ..discovery import TERRAFORM_SUFFIXES
    from .iacsource import BICEP_SUFFIXES, read_bicep, read_terraform
    from .jsonloc import parse

    unknown_options = set(options) - set(IMPORT_OPTIONS)
    if unknown_options:
        raise TypeError(f"unknown import option(s): {', '.join(sorted(unknown_options))}")
    inputs = list(inputs)
    problems: list[InputError] = []
    raw = []
    sources: dict[str, str] = {}
    template_notes = []
    tf_files = [file for _, file in inputs if file.lower().endswith(TERRAFORM_SUFFIXES)]
    bicep_files = [file for _, file in inputs if file.lower().endswith(BICEP_SUFFIXES)]
    inputs = [(text, file) for text, file in inputs if file not in tf_files and file not in bicep_files]
    from ..discovery import read_text

    param_values = _read_parameters(parameters) if parameters else None
    for result in ([read_terraform(tf_files, read_text, var_files)] if tf_files else []) + (
            [read_bicep(bicep_files, read_text)] if bicep_files else []):
        raw += result.raw
        problems += result.problems
        template_notes += result.notes
        sources.update(result.sources)
        inputs += result.json_inputs
        if result.parameters_text is not None and param_values is None:
            param_values = _parameters_from_text(*result.parameters_text)
    templates = []
    other_files: list[InputError] = []  # valid JSON that is no input of ours
    live_views = []  # live-state views (erdesign.live), linted against the design by the LIVE rules
    for text, file in inputs:
        sources[file] = text
        try:
            root, doc = parse(text, file)
        except InputError as exc:
            problems.append(exc)
            continue
        kind = detect(root, file)
        root_loc = getattr(root, "loc", None) or Loc(file, 1, 1)
        if kind == LIVE:
            from ..live import read_view

            live_views.append(read_view(root, file))
            continue
        if kind == UNRECOGNISED:
            other_files.append(InputError(
                "not an input erdesign reads: expected az CLI JSON (show/list output with 'type' and 'id'), "
                "an ARM template ($schema …deploymentTemplate.json#) or a Terraform plan (terraform show -json)",
                root_loc))
            continue
        try:
            raw_file, file_problems, notes, template = _read(kind, root, doc, file, param_values)
        except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
            problems.append(InputError(f"cannot read this {kind} input: a value has an unexpected shape "
                                       f"({type(exc).__name__}: {exc})", root_loc))
            continue
        raw += raw_file
        problems += file_problems
        template_notes += notes
        if template is not None:
            templates.append(template)
    if param_values is not None:
        problems += _parameter_problems(param_values, templates)
    design, errors = build_design(raw)
    problems += errors
    for unknown in template_notes:
        _note(design, unknown.rule, f"{unknown.text}: {unknown.why}", unknown.loc)
    design._live.extend(live_views)
    if not _usable(design) and live_views and not problems:
        for skipped in other_files:
            _note(design, "IMP003", f"skipped this file: {skipped.message}", skipped.loc)
        design._sources.update(sources)
        return design
    if not _usable(design) or any(is_over_budget(p) for p in problems):
        problems = other_files + problems
        if not problems:  # nothing failed: say what was left out (IMP004), and that nothing modelled remains
            problems = [InputError(n.message, n.loc) for n in design._notes if n.rule in ("IMP001", "IMP002", "IMP004")]
            skipped_count = len(raw)
            what = (f" (skipped {skipped_count} resource{'s' if skipped_count != 1 else ''} of other types)"
                    if skipped_count else "")
            first = next(iter(sources), None)
            problems.append(InputError("nothing erdesign models in these inputs: no circuit, ExpressRoute Direct "
                                       "port, gateway, connection, VNet, route table, NSG, public IP, route filter or "
                                       f"Virtual WAN hub{what}", Loc(first, 1, 1) if first else None))
        raise InputErrors(problems) if len(problems) > 1 else problems[0]
    for problem in problems:
        where = problem.loc or (Loc(problem.file, 1, 1) if problem.file else None)
        _note(design, "IMP005", f"not imported: {problem.message}", where)
    for skipped in other_files:
        _note(design, "IMP003", f"skipped this file: {skipped.message}", skipped.loc)
    design._sources.update(sources)
    return design


def _read(kind, root, doc, file, param_values):
    """(resources, problems, template notes, template or None) of one parsed input."""
    from . import arm, az, terraform
    from .detect import ARM_PARAMETERS, ARM_TEMPLATE, AZ, TERRAFORM, UNKNOWN_SCHEMA

    if kind == ARM_TEMPLATE:
        resources, errors, notes, template = arm.read(root, doc, param_values)
        return resources, errors, notes, template
    if kind == TERRAFORM:
        resources, errors = terraform.read(root, file)
        return resources, errors, [], None
    if kind == AZ:
        resources, errors = az.read(root, file)
        return resources, errors, [], None
    if kind == ARM_PARAMETERS:
        return [], [InputError("this is an ARM parameters file, not a template: pass it with "
                               "--parameters next to the template", root.value_loc("$schema"))], [], None
    if kind == UNKNOWN_SCHEMA:
        return [], [InputError(
            f"unknown $schema '{root['$schema']}': erdesign reads ARM deployment templates "
            "(https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#), "
            "az CLI JSON and Terraform plan JSON", root.value_loc("$schema"))], [], None
    raise ValueError(f"no reader for {kind}")  # pragma: no cover - detect() returns one of the kinds above


def _note(design, rule: str, message: str, loc) -> None:
    from ..engine.finding import Finding

    design._notes.append(Finding(rule=rule, message=message, loc=loc))


def _usable(design) -> bool:
    from .resources import IMPORTED_SECTIONS

    return any(getattr(design, s) for s in IMPORTED_SECTIONS)


def _parameters_from_text(text: str, file: str):
    from .arm import ParameterValues
    from .jsonloc import parse

    root, doc = parse(text, file)
    return ParameterValues(root, doc)


def _read_parameters(path):
    from ..discovery import read_text
    from .arm import ParameterValues
    from .jsonloc import parse

    file = os.fspath(path)
    text = read_text(file, "parameters file")
    root, doc = parse(text, file)
    return ParameterValues(root, doc)


def _parameter_problems(values, templates) -> list[InputError]:
    if not templates:
        return [InputError("--parameters was given, but no input is an ARM template", file=values.file)]
    declared = set()
    for t in templates:
        declared |= set(t.params)
    out = []
    for key, (_value, loc, key_loc) in values.values.items():
        if key not in declared:
            out.append(InputError(f"parameter '{key}' from the parameters file is not declared by the template",
                                  key_loc or loc))
    return out
