"""Shared test fixtures: paths, and running the CLI in-process."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _no_user_price_cache(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's real cache: `erdesign cost` would layer a fetched
    price book from there over the shipped ones. Each test gets its own empty cache folder."""
    monkeypatch.setenv("ERDESIGN_CACHE_DIR", str(tmp_path_factory.mktemp("cache", numbered=True)))


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


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
