"""Options and loading shared by every command that reads a design (lint, cost, import)."""
from __future__ import annotations

import click


def input_options(fn):
    """Add the input options: ARM parameters file and --verbose import details."""
    fn = click.option(
        "-p", "--parameters", "parameters", type=click.Path(dir_okay=False),
        help="ARM parameters file (deploymentParameters.json) for ARM template inputs.",
    )(fn)
    fn = click.option("-v", "--verbose", is_flag=True, help="List skipped resources and import details.")(fn)
    fn = click.option(
        "--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False), expose_value=False,
        callback=_remember_var_files,
        help="Terraform variable values (.tfvars) for .tf inputs, after terraform.tfvars and *.auto.tfvars; "
             "repeatable, later wins.",
    )(fn)
    return fn


VAR_FILES_KEY = "erdesign.var_files"


def _remember_var_files(ctx, param, value):
    ctx.meta[VAR_FILES_KEY] = list(value or ())
    return value


DESIGN_FILES_KEY = "erdesign.design_files"  # click context meta: the design files load_inputs read


def _context_meta() -> dict:
    ctx = click.get_current_context(silent=True)
    return ctx.meta if ctx is not None else {}


def design_files() -> list[str]:
    """The design files the current command's load_inputs read (folders expanded)."""
    return list(_context_meta().get(DESIGN_FILES_KEY, []))


def load_inputs(paths, parameters=None, verbose=False, summary=True):
    """Load a design from YAML / JSON paths; InputError propagates (exit 2 in main()).

    For JSON inputs, says on stderr how many resources of other types were
    skipped (listing them with --verbose).
    """
    from ..loader import expand_paths, load_design
    from ._io import remember_inputs

    options = {}
    if parameters:
        options["parameters"] = parameters
        remember_inputs([parameters])
    var_files = _context_meta().get(VAR_FILES_KEY) or []
    if var_files:
        options["var_files"] = list(var_files)
        remember_inputs(list(var_files))
    skipped_files: list[str] = []
    files = expand_paths(list(paths), skipped=skipped_files)
    remember_inputs(files)
    _context_meta()[DESIGN_FILES_KEY] = ["<stdin>" if f == "-" else f for f in files]
    report_skipped_files(skipped_files, verbose)
    design = load_design(files, **options)
    if summary:
        skipped = [n for n in design._notes if n.rule == "IMP003"]
        resources = sum(_skipped_count(n) for n in skipped)
        files = sum(1 for n in skipped if not n.evidence)
        parts = []
        if resources:
            parts.append(f"{resources} resource{'s' if resources != 1 else ''} of other types")
        if files:
            parts.append(f"{files} file{'s' if files != 1 else ''} that {'are' if files != 1 else 'is'} "
                         "no az/ARM/Terraform input")
        if parts:
            more = "" if verbose else " (--verbose lists them)"
            click.echo(f"erdesign: skipped {' and '.join(parts)}{more}", err=True)
            if verbose:
                report_notes(skipped)
    return design


def report_skipped_files(skipped_files: list[str], verbose: bool) -> None:
    """Files found in named folders that are no input: counted, or named one by one with --verbose."""
    if skipped_files and verbose:
        for name in skipped_files:
            why = ("a YAML file with no design section" if name.lower().endswith((".yaml", ".yml"))
                   else "not a .yaml, .yml, .json, .tf or .bicep file")
            click.echo(f"{name}: skipped: {why}", err=True)
    elif skipped_files:
        n = len(skipped_files)
        click.echo(f"erdesign: skipped {n} file{'s' if n != 1 else ''} in folders that {'are' if n != 1 else 'is'} "
                   "no design or JSON input (--verbose names them)", err=True)


def _skipped_count(note) -> int:
    return sum(int(ev.value) for ev in note.evidence if ev.label == "resources skipped")


def report_notes(notes) -> None:
    """Importer notes on stderr, one located line each."""
    from ..errors import clip_message

    for note in notes:
        where = f"{note.loc}: " if note.loc else ""
        click.echo(f"{where}{note.rule} {clip_message(note.message)}", err=True)
