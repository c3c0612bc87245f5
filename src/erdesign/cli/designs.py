"""Run a command once per design (see erdesign.discovery) and keep going past a broken one."""
from __future__ import annotations

from typing import Callable, TypeVar

from ..discovery import DesignUnit, discover
from ..errors import InputError, InputErrors

T = TypeVar("T")


def input_errors_of(exc: Exception) -> list[InputError]:
    return list(exc.errors) if isinstance(exc, InputErrors) else [exc]


def designs_named(paths, verbose: bool = False) -> list[DesignUnit]:
    """The designs `paths` belong to; a path that names nothing becomes a unit holding that error.
    With `verbose`, says on stderr which files found in folders are no input."""
    from ._inputs import report_skipped_files

    skipped: list[str] = []
    try:
        units = discover(list(paths), skipped=skipped)
        report_skipped_files(skipped, verbose)
        return units
    except (InputError, InputErrors) as exc:
        errors = input_errors_of(exc)
        name = errors[0].file or (str(paths[0]) if paths else ".")
        return [DesignUnit(name, [], "file", errors)]


def run_each(units: list[DesignUnit], work: Callable[[DesignUnit], T]) -> list[tuple[DesignUnit, T | None, list]]:
    """(unit, work(unit) or None, input errors) for every unit; input errors never stop the others."""
    outcomes = []
    for unit in units:
        if unit.errors:
            outcomes.append((unit, None, list(unit.errors)))
            continue
        try:
            outcomes.append((unit, work(unit), []))
        except (InputError, InputErrors) as exc:
            outcomes.append((unit, None, input_errors_of(exc)))
    return outcomes


def echo_input_errors(errors: list) -> None:
    """A design's input errors on stderr, one line each; a flood is cut after the first MAX_LISTED."""
    import click

    if errors:
        click.echo(str(errors[0]) if len(errors) == 1 else str(InputErrors(errors)), err=True)
