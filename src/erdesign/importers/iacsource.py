"""Infrastructure code read where it lives: Terraform `.tf` folders, and Bicep through the user's compiler.

Terraform: each folder holding the given `.tf` files is one root configuration (:mod:`tfsource`),
mapped by the plan importer. Bicep: a `.bicep` file is compiled to an ARM template by the user's
own Bicep CLI (``bicep`` on PATH, else ``az bicep``), with a timeout, and read by the ARM importer;
a `.bicepparam` file is compiled the same way into its template and parameter values. Nothing is
downloaded: without a compiler, one line says how to get one or how to pass `bicep build` output.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..errors import InputError, Loc
from .values import Unknown

BICEP_TIMEOUT_S = 120
BICEP_SUFFIXES = (".bicep", ".bicepparam")
_USING = re.compile(r"^\s*using\s+'([^']+)'", re.MULTILINE)


@dataclass
class SourceResult:
    raw: list = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    notes: list[Unknown] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    json_inputs: list[tuple[str, str]] = field(default_factory=list)
    parameters_text: Optional[tuple[str, str]] = None


def read_terraform(files: Iterable[str], read_text, var_files: Iterable[str] = ()) -> SourceResult:
    """Every configuration the `.tf` files belong to (one per folder), through the plan mapping."""
    from . import terraform
    from .tfsource import read_configuration

    result = SourceResult()
    folders: list[str] = []
    for file in files:
        folder = os.path.dirname(file) or "."
        if folder not in folders:
            folders.append(folder)
    for folder in folders:
        try:
            plan, reader = read_configuration(folder, read_text, list(var_files))
        except InputError as exc:
            result.problems.append(exc)
            continue
        raw, errors = terraform.read(plan, folder)
        result.raw += raw
        result.problems += reader.problems + errors
        result.notes += reader.notes
        result.sources.update(reader.sources)
    return result


def bicep_command(file: str, params: bool) -> Optional[list[str]]:
    """The user's Bicep compiler command for a file, or None when there is none."""
    override = os.environ.get("ERDESIGN_BICEP")
    exe = override or shutil.which("bicep")
    if exe:
        return [exe, "build-params" if params else "build", file, "--stdout"]
    az = shutil.which("az")
    if az:
        verb = "build-params" if params else "build"
        return [az, "bicep", verb, "--file", file, "--stdout"]
    return None


def compile_bicep(file: str) -> str:
    """The compiler's standard output for a `.bicep`/`.bicepparam` file; an InputError when it can't."""
    params = file.lower().endswith(".bicepparam")
    cmd = bicep_command(file, params)
    if cmd is None:
        raise InputError("reading Bicep needs the Bicep CLI on PATH (install it: "
                         "https://learn.microsoft.com/azure/azure-resource-manager/bicep/install), or pass the "
                         "ARM template that `bicep build` writes", Loc(file, 1, 1))
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=BICEP_TIMEOUT_S, stdin=subprocess.DEVNULL,
                              check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"the Bicep compiler did not finish in {BICEP_TIMEOUT_S} s", Loc(file, 1, 1)) from None
    except OSError as exc:
        raise InputError(f"cannot run the Bicep compiler ({cmd[0]}): {exc.strerror}", Loc(file, 1, 1)) from None
    if done.returncode != 0:
        raise InputError(f"the Bicep compiler failed: {_first_error(done.stderr or done.stdout)}", _error_loc(file, done.stderr))
    return done.stdout


def _first_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    picked = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "no message")
    return picked[:200]


def _error_loc(file: str, stderr: str) -> Loc:
    """Bicep writes `path(line,col) : Error BCP…`: point at that place when it names the file."""
    match = re.search(r"\((\d+),(\d+)\)\s*:\s*Error", stderr or "")
    if match:
        return Loc(file, int(match.group(1)), int(match.group(2)))
    return Loc(file, 1, 1)


def compiled_name(file: str) -> str:
    """Where findings on a compiled template point: the ARM JSON `bicep build` would write beside it."""
    stem = file[: -len(".bicep")] if file.lower().endswith(".bicep") else file
    return stem + ".json"


def read_bicep(files: Iterable[str], read_text) -> SourceResult:
    result = SourceResult()
    for file in files:
        try:
            result.sources[file] = read_text(file)
            if file.lower().endswith(".bicepparam"):
                _read_bicepparam(file, result)
            else:
                output = compile_bicep(file)
                result.json_inputs.append((output, compiled_name(file)))
                result.notes.append(_compiled_note(file))
        except InputError as exc:
            result.problems.append(exc)
    return result


def _compiled_note(file: str) -> Unknown:
    return Unknown(os.path.basename(file), Loc(file, 1, 1),
                   f"compiled by your Bicep CLI; findings point into the ARM template it compiles to "
                   f"({os.path.basename(compiled_name(file))}, as `bicep build` writes it)", "IMP003")


def _read_bicepparam(file: str, result: SourceResult) -> None:
    """A .bicepparam: its template (`using '…'`) compiled, and its parameter values."""
    output = compile_bicep(file)
    try:
        data = json.loads(output)
    except ValueError:
        raise InputError("the Bicep compiler's output for this parameters file is not JSON", Loc(file, 1, 1)) from None
    template_text = data.get("templateJson") if isinstance(data, dict) else None
    params_text = data.get("parametersJson") if isinstance(data, dict) else None
    if not isinstance(params_text, str):
        params_text = output  # older compilers print the parameters file itself
    if not isinstance(template_text, str):
        using = _USING.search(result.sources.get(file, ""))
        if not using:
            raise InputError("the parameters file has no `using '<template>.bicep'` line", Loc(file, 1, 1))
        template = os.path.normpath(os.path.join(os.path.dirname(file), using.group(1)))
        if template.lower().endswith(".json"):
            with open(template, encoding="utf-8") as fh:
                template_text = fh.read()
        else:
            template_text = compile_bicep(template)
            result.notes.append(_compiled_note(template))
        name = compiled_name(template) if template.lower().endswith(".bicep") else template
    else:
        name = compiled_name(file[: -len("param")] if file.lower().endswith(".bicepparam") else file)
    result.json_inputs.append((template_text, name))
    result.parameters_text = (params_text, file[: -len(".bicepparam")] + ".parameters.json")
