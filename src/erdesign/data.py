"""Read the data that ships with erdesign: limit tables (rules/data), the rule
catalog (rules/catalog) and price books (pricing/), through importlib.resources
so that they are found wherever the package is installed.

Parsing ~130 YAML files costs tens of milliseconds on every run, which a pre-commit hook pays
per commit. The parsed data is therefore kept in one precompiled bundle in the user's cache
folder, keyed by the name, size and modification time of every shipped data file: any change to
the YAML (an edit, an upgrade) makes a new bundle. The YAML stays the only source of truth; a
test checks the bundle against it. ``ERDESIGN_NO_DATA_CACHE=1`` reads the YAML every time.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Optional

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PACKAGES = ("erdesign.rules", "erdesign.pricing")
_BUNDLE_FORMAT = 1


def _read_yaml(resource) -> Any:
    return yaml.load(resource.read_text(encoding="utf-8"), Loader=_Loader)


def shipped_files() -> Optional[list[Path]]:
    """Every shipped YAML data file, or None when the package is not on a file system (a zip)."""
    found: list[Path] = []
    for package in _PACKAGES:
        root = files(package)
        if not isinstance(root, Path):
            return None
        found.extend(sorted(p for p in root.rglob("*.yaml") if p.is_file()))
    return found


def cache_folder() -> Path:
    from .cachedir import cache_dir

    return Path(cache_dir())


def fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256(str(_BUNDLE_FORMAT).encode())
    for path in paths:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def own_private_file(path: Path) -> bool:
    """Only a bundle this user wrote, that nobody else can write, is read back."""
    try:
        st = path.lstat()
    except OSError:
        return False
    return (stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def parse_all(paths: list[Path]) -> dict[str, Any]:
    """Every data file parsed from its YAML, keyed by its path."""
    return {str(path): _read_yaml(path) for path in paths}


@lru_cache(maxsize=1)
def bundle() -> dict[str, Any]:
    """The parsed data files by path: from the cached bundle when it matches the YAML, else parsed now."""
    if os.environ.get("ERDESIGN_NO_DATA_CACHE"):
        return {}
    try:
        paths = shipped_files()
        if paths is None:
            return {}
        target = cache_folder() / f"data-{fingerprint(paths)}.pickle"
    except OSError:
        return {}
    if own_private_file(target):
        try:
            with open(target, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # a damaged bundle is rebuilt below
            pass
    bundle = parse_all(paths)
    _write_bundle(target, bundle)
    return bundle


def _write_bundle(target: Path, bundle: dict) -> None:
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in target.parent.glob("data-*.pickle"):
            stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".data-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(bundle, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass  # no writable cache folder: the YAML is read each run, as without the cache


def read_resource_yaml(resource) -> Any:
    """A shipped data file's content, from the precompiled bundle when there is one."""
    cached = bundle().get(str(resource))
    return cached if cached is not None else _read_yaml(resource)


@lru_cache(maxsize=None)
def table(name: str) -> dict:
    """A limits table from rules/data/<name>.yaml (cached; treat as read-only)."""
    return read_resource_yaml(files("erdesign.rules") / "data" / f"{name}.yaml")


def catalog_resources():
    """Every rule page in rules/catalog/, as importlib.resources traversables."""
    folder = files("erdesign.rules") / "catalog"
    return sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def pricing_resources():
    """Every price book in pricing/."""
    folder = files("erdesign.pricing")
    return sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def source_line(table_name: str, source_id: str) -> str:
    """'<title> (<url>), as of <date>' for a source id cited in a table."""
    for src in table(table_name).get("sources", []):
        if src.get("id") == source_id:
            parts = [src.get("title", source_id)]
            if src.get("url"):
                parts.append(f"<{src['url']}>")
            if src.get("as_of"):
                parts.append(f"as of {src['as_of']}")
            return ", ".join(str(p) for p in parts)
    return source_id
