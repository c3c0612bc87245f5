"""`erdesign lint`: load a design, run the rules, report findings.

Exit codes: 0 no active finding at or above --fail-on; 1 there is one; 2 usage,
configuration or input error, or a check crashed (internal error).
"""
from __future__ import annotations

import sys

import click

from ._inputs import design_files, input_options, load_inputs

_FORMATS = ("text", "concise", "json", "sarif", "github")
_LEVELS = ("error", "warning", "info")


def _severity_override(ctx, param, values):
    out = {}
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            rule, sep, level = item.partition("=")
            if not sep or not rule.strip() or level.strip().lower() not in _LEVELS:
                raise click.BadParameter(f"expected RULE=LEVEL with LEVEL one of {', '.join(_LEVELS)}, got {item!r}")
            out[rule.strip().upper()] = level.strip().lower()
    return out


_EPILOG = """\b
Suppress a finding on purpose (a reason is required, an expiry optional):
  peer_asn: 65515  # erdesign: ignore[BGP001] lab circuit expires=2026-12-31
or with a `suppress: [{rule, reason, expires}]` entry on the object.
Suppressed findings do not count; unused, expired or reason-less
suppressions are reported (SUP001-SUP004). `erdesign rules explain SUP004`
gives the comment grammar.
"""


@click.command(epilog=_EPILOG)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(_FORMATS), default=None,
              help="Output format (default: text, or `format` from the configuration).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file (atomically).")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rule IDs or prefixes (comma-separated or repeated; ALL for every rule). "
                   "Replaces the configuration's select.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add rule IDs or prefixes to the selection.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Leave out these rule IDs or prefixes.")
@click.option("--severity", "severity", multiple=True, callback=_severity_override, metavar="RULE=LEVEL",
              help="Override a rule's (or prefix's) severity, e.g. --severity BGP005=error.")
@click.option("--fail-on", type=click.Choice(_LEVELS), default=None,
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (2 still means an error).")
@click.option("--show-evidence", is_flag=True, help="Print the evidence (numbers and their sources) under each finding.")
@click.option("--show-suppressed", is_flag=True, help="Also print suppressed findings, with their reason (text format).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Use this configuration file instead of searching for pyproject.toml / .erdesign.yaml.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@input_options
def lint(paths, fmt, output, select, extend_select, ignore, severity, fail_on, exit_zero, show_evidence,
         show_suppressed, config_path, isolated, parameters, verbose):
    """Check a design (YAML, or az/ARM/Terraform JSON) for ExpressRoute limits and mistakes.

    Several files (or a folder) make one design. Configuration comes from
    [tool.erdesign] in pyproject.toml or .erdesign.yaml, found by walking up
    from the first file; options given here override it.
    """
    from ..engine.catalog import load_catalog
    from ..engine.config import Config, discover, load_config_file, split_selectors
    from ..engine.runner import lint as run_lint
    from ..output import render

    catalog = load_catalog()
    if isolated:
        config = Config()
    elif config_path:
        config = load_config_file(config_path, catalog)
    else:
        config = discover(paths[0], catalog)

    design = load_inputs(paths, parameters, verbose)
    report = run_lint(
        design,
        config=config,
        select=split_selectors(select) if select else None,
        extend_select=split_selectors(extend_select),
        ignore=split_selectors(ignore),
        severity=severity,
        fail_on=fail_on,
        catalog=catalog,
    )
    _count_input_files(report)

    fmt = fmt or config.format
    text = render(report, fmt, show_evidence=show_evidence or verbose, show_suppressed=show_suppressed or verbose)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)
    from ..errors import clip_message, one_line

    for err in report.errors:
        click.echo(f"erdesign: {clip_message(one_line(str(err)))} (set ERDESIGN_DEBUG=1 for the traceback; "
                   "please report it)", err=True)
        if _debug() and err.traceback:
            click.echo(err.traceback, err=True)
    sys.exit(report.exit_code(exit_zero=exit_zero))


def _write(path: str, text: str) -> None:
    from ._io import write_atomic

    write_atomic(path, text, what="report")


def _count_input_files(report) -> None:
    """The summary counts the files given (JSON imports may not record their text)."""
    files = design_files()
    report.files = files + [f for f in report.files if f not in files]


def _debug() -> bool:
    import os

    return bool(os.environ.get("ERDESIGN_DEBUG"))
