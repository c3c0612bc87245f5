"""`erdesign diff`: compare two designs - changes with their safety, findings and cost deltas.

Exit codes: 0 no change at or above --fail-on; 1 there is one; 2 usage or input error.
"""
from __future__ import annotations

import sys

import click

from ..costing import MAX_MONTHS
from ._inputs import input_options

_FAIL_ON = ("in-place", "downtime", "new-resource", "not-allowed", "never")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--base", "base", metavar="REV",
              help="Compare the design PATHS at git revision REV (read with `git show`) with the working tree.")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file (atomically).")
@click.option("--fail-on", type=click.Choice(_FAIL_ON), default="not-allowed", show_default=True,
              help="Exit 1 when a change is at or above this safety class.")
@click.option("--months", type=click.IntRange(min=1, max=MAX_MONTHS), default=36, show_default=True,
              help="TCO horizon in months.")
@click.option("--pricing", "pricing", multiple=True, type=click.Path(dir_okay=False),
              help="Overlay a price book on both sides (as in `erdesign cost`).")
@input_options
def diff(paths, base, fmt, output, fail_on, months, pricing, parameters, verbose):
    """Compare two designs: OLD NEW (two files or folders), or PATHS with --base REV.

    Lists objects added, removed and changed field by field with their locations, and for each
    change what Azure does with it (in place / in place with downtime / needs a new resource /
    not allowed, from rules/data/change_safety.yaml); findings new, fixed and unchanged; and the
    cost delta per line and in total.
    """
    from ..costing.book import load_books
    from ..diff import compare, load_revision
    from ..diff.render import render
    from ._inputs import load_inputs
    from ._io import remember_inputs

    if base is None and len(paths) != 2:
        raise click.UsageError("give two designs (OLD NEW), or the design paths with --base REV")
    books = load_books(list(pricing))
    remember_inputs(pricing)  # -o never overwrites a price book it read
    options = {"parameters": parameters} if parameters else {}
    if base is not None:
        old = load_revision(list(paths), base, **options)
        new = load_inputs(paths, parameters, verbose, summary=False)
        old_label, new_label = f"{base}:{', '.join(paths)}", ", ".join(paths)
    else:
        old = load_inputs([paths[0]], parameters, verbose, summary=False)
        new = load_inputs([paths[1]], parameters, verbose, summary=False)
        old_label, new_label = paths
    from ..engine.catalog import load_catalog
    from ..engine.config import discover

    catalog = load_catalog()
    config = discover(paths[-1], catalog)  # the lint configuration of the new side applies to both
    report = compare(old, new, months=months, books=books, old_label=old_label, new_label=new_label,
                     lint_options={"config": config, "catalog": catalog},
                     fail_on=None if fail_on == "never" else fail_on.replace("-", "_"))
    text = render(report, fmt)
    if output:
        from ._io import write_atomic

        write_atomic(output, text, what="report")
    else:
        click.echo(text, nl=False)
    sys.exit(report.exit_code())
