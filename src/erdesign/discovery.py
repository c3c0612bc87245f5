"""Which files make which design: the one rule shared by the CLI, pre-commit and people.

- Each YAML file is its own design,
- unless a design declares its parts: a design file's ``include:`` list (paths, folders or
  glob patterns relative to that file), or a folder marker ``erdesign.yaml`` that makes its
  folder (with its subfolders, up to a deeper marker) one design. Naming any part of such a
  design means the whole design it belongs to.
- JSON inputs (az CLI, ARM, Terraform plans) and infrastructure source (.tf, .bicep) named from one
  folder form one design per folder; live-state views (route and ARP tables, BGP peer status…) named
  with designs are read against them.
- No path at all means the current folder.

Parts are found within the project: the git work tree holding the file (else the current
folder when the file is inside it, else the file's own folder). Discovery never fails on a
broken file: the file is reported when its design is loaded.
"""
from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .errors import InputError, InputErrors, Loc

MARKER_NAMES = ("erdesign.yaml", "erdesign.yml")
CONFIG_NAMES = (".erdesign.yaml", ".erdesign.yml")  # configuration files, never design files
YAML_SUFFIXES = (".yaml", ".yml")
# Inputs other than design YAML: az/ARM/Terraform-plan JSON and infrastructure source; those named
# from one folder are one design (a Terraform configuration is a folder of .tf files).
IMPORT_SUFFIXES = (".json", ".tf", ".tfvars", ".bicep", ".bicepparam")
TERRAFORM_SUFFIXES = (".tf", ".tfvars")
DESIGN_SUFFIXES = YAML_SUFFIXES
TERRAFORM_SOURCE_SUFFIX = ".tf"
_INCLUDE_KEY = re.compile(r"^include\s*:", re.MULTILINE)


@dataclass
class DesignUnit:
    """One design: the name outputs group its findings under, and the files it is made of."""

    name: str
    files: list[str]
    kind: str  # "file", "include" (a design file with include:), "folder" (a marker), "json" (a JSON folder)
    errors: list[InputError] = field(default_factory=list)  # broken include: entries


def discover(paths: Sequence[str | os.PathLike] = (), cwd: Optional[str] = None,
             skipped: Optional[list[str]] = None) -> list[DesignUnit]:
    """The designs the given paths (files or folders; none means the current folder) belong to.

    Raises InputError for a path that does not exist or a folder without any input file.
    Files found in named folders that are no input are appended to `skipped` when given.
    """

    cwd = os.path.abspath(cwd or os.getcwd())
    named = [str(p) for p in paths] or [os.path.relpath(cwd)]
    files = [os.path.normpath(f) for f in expand_paths(named, skipped=skipped) if os.path.basename(f).lower() not in CONFIG_NAMES]
    finder = _Finder(cwd)
    units: dict[tuple, DesignUnit] = {}
    json_by_folder: dict[str, DesignUnit] = {}
    for file in files:
        marker = finder.marker_for(file)
        if marker is not None:
            key = ("folder", _key(marker))
            if key not in units:
                units[key] = finder.folder_design(marker)
            continue
        if file.lower().endswith(IMPORT_SUFFIXES):
            folder = os.path.dirname(file) or "."
            if file.lower().endswith(TERRAFORM_SUFFIXES):
                root = terraform_root(folder, project_root(file, cwd))
                if _key(root) != _key(folder):  # a module's file: its configuration is the root's
                    folder = os.path.relpath(root) if not os.path.isabs(file) else root
                    file = next(os.path.join(folder, n) for n in sorted(os.listdir(root)) if n.endswith(".tf"))
            unit = json_by_folder.get(_key(folder))
            if unit is None:
                unit = json_by_folder[_key(folder)] = DesignUnit(_display(folder) + "/", [], "json")
                units[("json", _key(folder))] = unit
            if file not in unit.files:
                unit.files.append(file)
            continue
        for root in finder.roots_of(file):
            key = ("file", _key(root))
            if key not in units:
                units[key] = finder.include_design(root)
    return join_live_views(list(units.values()))


# Folders that hold tools' output or environments, never designs: a folder walk leaves them out, like hidden ones.
TOOL_FOLDERS = ("build", "dist", "node_modules", "__pycache__", "venv", "site-packages")


def is_tool_folder(name: str) -> bool:
    return name.startswith(".") or name in TOOL_FOLDERS or name.endswith(".egg-info")


def join_live_views(units: list[DesignUnit]) -> list[DesignUnit]:
    """Live-state views (az route/ARP tables, BGP peer status, learned routes) are read against a design,
    not as one: a JSON folder holding only live views, named together with designs, joins each of them."""
    live = [u for u in units if u.kind == "json" and u.files and all(is_live_view(f) for f in u.files)]
    others = [u for u in units if u not in live]
    if not live or not others:
        return units
    views = [f for u in live for f in u.files]
    for unit in others:
        unit.files.extend(f for f in views if f not in unit.files)
    return others


def is_live_view(file: str) -> bool:
    """Whether a JSON file holds a live-state view (unreadable or other JSON: no)."""
    import json

    from .errors import InputError, InputErrors
    from .importers.detect import LIVE, detect
    from .inputgate import read_input_text

    try:  # through the input gate (regular files, size limit); a bad file is reported when its design loads
        root = json.loads(read_input_text(file, "JSON input"))
    except (InputError, InputErrors, ValueError, RecursionError):
        return False
    return detect(root, file) == LIVE


def design_parts(file: str | os.PathLike) -> list[str]:
    """A design file and, transitively, the files its ``include:`` lists name (for erdesign.load())."""
    if not os.path.isfile(file):
        return [str(file)]  # a folder, or a missing file the loader reports
    finder = _Finder(os.getcwd())
    unit = finder.include_design(str(file))
    if unit.errors:
        from .errors import InputErrors

        InputErrors.raise_if_any(unit.errors)
    return unit.files


# --------------------------------------------------------------------------- internals

def _key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _display(path: str) -> str:
    return path.replace(os.sep, "/").rstrip("/") or "."


def terraform_root(folder: str, project: str) -> str:
    """The configuration a folder of .tf files belongs to: the outermost folder above it, within the
    project, that holds .tf files too (modules live below their root configuration), else itself."""
    here = os.path.abspath(folder)
    top = os.path.abspath(project)
    found = here
    probe = os.path.dirname(here)
    while probe.startswith(top) and probe != os.path.dirname(probe):
        try:
            if any(n.endswith(".tf") for n in os.listdir(probe)):
                found = probe
        except OSError:
            break
        if probe == top:
            break
        probe = os.path.dirname(probe)
    return found


def project_root(path: str, cwd: str) -> str:
    """The git work tree holding `path`, else `cwd` if it holds `path`, else the path's folder."""
    folder = os.path.dirname(os.path.abspath(path))
    probe = folder
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if folder == cwd or folder.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return folder


# Design files read when looking for the designs that include a part: a project of more is not searched
# past that (run erdesign from the project's folder, or keep the project in git).
MAX_INCLUDER_SCAN = 2000


def _walk_inputs(folder: str, stop_at_markers: bool = False) -> list[str]:
    """YAML and JSON files under `folder` (sorted, hidden ones left out); with stop_at_markers,
    subfolders holding their own marker are left out (they are designs of their own)."""
    found = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not is_tool_folder(d) and not (
            stop_at_markers and any(os.path.isfile(os.path.join(here, d, m)) for m in MARKER_NAMES)))
        for name in sorted(names):
            if not name.startswith(".") and name.lower().endswith(YAML_SUFFIXES + IMPORT_SUFFIXES):
                found.append(os.path.join(here, name))
    return found


class _Finder:
    """Markers and include: lists, read once per run."""

    def __init__(self, cwd: str):
        self.cwd = cwd
        self._includes: dict[str, tuple[list[str], list[InputError]]] = {}  # file key -> (parts, errors)
        self._includers: dict[str, dict[str, list[str]]] = {}  # project root -> part key -> includer files

    # ---- folder markers
    def marker_for(self, file: str) -> Optional[str]:
        """The folder of the nearest marker at or above `file`, within its project."""
        root = _key(project_root(file, self.cwd))
        folder = os.path.dirname(os.path.abspath(file))
        while True:
            if any(os.path.isfile(os.path.join(folder, m)) for m in MARKER_NAMES):
                return os.path.relpath(folder) if not os.path.isabs(file) else folder
            if _key(folder) == root:
                return None
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            folder = parent

    def folder_design(self, folder: str) -> DesignUnit:
        files = _walk_inputs(folder, stop_at_markers=True)
        unit = DesignUnit(_display(folder) + "/", [], "folder")
        for file in files:
            self._add_with_includes(unit, file)
        return unit

    # ---- include: lists
    def include_design(self, root: str) -> DesignUnit:
        unit = DesignUnit(_display(root), [], "file")
        self._add_with_includes(unit, root)
        if len(unit.files) > 1:
            unit.kind = "include"
        return unit

    def _add_with_includes(self, unit: DesignUnit, file: str) -> None:
        pending = [file]
        seen = {_key(f) for f in unit.files}
        while pending:
            current = pending.pop(0)
            if _key(current) in seen:
                continue
            seen.add(_key(current))
            unit.files.append(current)
            parts, errors = self.includes_of(current)
            unit.errors.extend(errors)
            pending.extend(parts)

    def includes_of(self, file: str) -> tuple[list[str], list[InputError]]:
        key = _key(file)
        if key not in self._includes:
            self._includes[key] = _read_includes(file)
        return self._includes[key]

    def roots_of(self, file: str) -> list[str]:
        """The design files that include `file`, transitively, that nothing includes; or the file itself."""
        includers = self._includer_index(project_root(file, self.cwd))
        roots: list[str] = []
        visited: list[str] = []
        pending = [file]
        while pending:
            current = pending.pop(0)
            if _key(current) in {_key(v) for v in visited}:
                continue
            visited.append(current)
            parents = includers.get(_key(current), [])
            if not parents:
                roots.append(current)
            pending.extend(parents)
        # files that include each other in a ring have no root: the nearest includer stands for it
        return roots or visited[1:2] or [file]

    def _includer_index(self, root: str) -> dict[str, list[str]]:
        if root not in self._includers:
            index: dict[str, list[str]] = {}
            candidates = [c for c in _walk_inputs(root) if c.lower().endswith(YAML_SUFFIXES)]
            for candidate in candidates[:MAX_INCLUDER_SCAN]:
                for part in self.includes_of(_as_given(candidate, self.cwd))[0]:
                    index.setdefault(_key(part), []).append(_as_given(candidate, self.cwd))
            self._includers[root] = index
        return self._includers[root]


def _as_given(path: str, cwd: str) -> str:
    """Paths under the working folder are shown relative to it, like the ones users type."""
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel


def _read_includes(file: str) -> tuple[list[str], list[InputError]]:
    """The files named by `file`'s top-level include: list (expanded), and the entries that name nothing."""
    from .inputgate import read_input_text

    try:  # through the input gate: a FIFO or device named *.yaml is never opened for reading
        text = read_input_text(file, "design file")
    except (InputError, InputErrors, OSError, UnicodeDecodeError):
        return [], []  # the file is reported when its design loads
    if not _INCLUDE_KEY.search(text):
        return [], []
    from .yamlsource import load_yaml

    try:
        data, locs = load_yaml(text, file)
    except InputError:
        return [], []  # reported when the design is loaded
    if not isinstance(data, dict) or not isinstance(data.get("include"), list):
        return [], []  # a malformed include: is reported by the model's validation
    base = os.path.dirname(file)
    parts: list[str] = []
    errors: list[InputError] = []
    for i, entry in enumerate(data["include"]):
        if not isinstance(entry, str) or not entry.strip():
            continue
        where = locs.get(("include", i), Loc(file, 1, 1))
        target = os.path.normpath(os.path.join(base, entry))
        if glob.has_magic(entry):
            matches = sorted(glob.glob(target, recursive=True))
        else:
            matches = [target] if os.path.exists(target) else []
        found: list[str] = []
        for match in matches:
            if os.path.isdir(match):
                found.extend(_walk_inputs(match))
            elif match.lower().endswith(YAML_SUFFIXES + IMPORT_SUFFIXES):
                found.append(match)
        found = [f for f in found if _key(f) != _key(file)]
        if not found:
            errors.append(InputError(f"include: '{entry}' names no .yaml, .yml, .json, .tf or .bicep file", where))
        parts.extend(found)
    return parts, errors


# --------------------------------------------------------------------------- reading the files of a design

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
        p = Path(raw)
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
    from .model import Design
    from .yamlsource import load_yaml

    try:
        data, _ = load_yaml(read_text(path), path)
    except (InputError, InputErrors):
        return True
    return isinstance(data, dict) and any(k in Design.model_fields for k in data)


def _is_folder(p: Path) -> bool:
    try:
        return p.is_dir()
    except (OSError, ValueError):  # a symlink loop, a name too long: the input gate says which
        return False


def read_text(path: str, what: str = "file") -> str:
    """The text of one input file through the input gate (UTF-8, or UTF-16 with a byte-order mark)."""
    from .inputgate import read_input_text

    return read_input_text(path, what, utf16=True)
