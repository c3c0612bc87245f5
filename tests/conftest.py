"""Shared test fixtures: paths, and running the CLI in-process."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"  # ../shared beside the checkout; tests that need it skip when absent


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory):
    """Tests never read or write the user's own cache folder (data bundle, fetched price books)."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the checkout")
    return SHARED


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `erdesign ARGS...` in-process; returns CliResult(code, out, err)."""

    def run(*args: str, cwd: os.PathLike | str | None = None) -> CliResult:
        from erdesign.cli import main

        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
