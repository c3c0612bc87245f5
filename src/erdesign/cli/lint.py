"""`erdesign lint`: load a design, run the rules, report findings.

Exit codes: 0 no active finding at or above --fail-on; 1 there is one; 2 usage,
configuration or input error, or a check crashed (internal error).
"""
from __future__ import annotations

import sys

import click

from ._inputs import design_files, input_options, load_inputs
from .terminal import color_option, use_color

_FORMATS = ("text", "concise", "json", "sarif", "github", "markdown")
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
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(_FORMATS), default=None,
              help="Output format (default: text, or `format` from the configuration).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to this file (atomically; also when the input has errors).")
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
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not in this baseline; its stale entries are reported (SUP005).")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record today's findings in FILE (by fingerprint, which survives line moves) and apply it.")
@click.option("--router-config", "router_config", multiple=True, metavar="NAME=FILE",
              help="Check a router's configuration (IOS-XE, EOS, Junos) against the design (RTR rules); repeatable.")
@click.option("--stdin-filename", metavar="NAME",
              help="With PATH '-': the design is read from stdin and reported (and configured) as NAME.")
@click.option("--no-source", "no_source", is_flag=True, help="Text format: leave out the source line under findings.")
@color_option
@input_options
def lint(paths, fmt, output, select, extend_select, ignore, severity, fail_on, exit_zero, show_evidence,
         show_suppressed, config_path, isolated, baseline_path, write_baseline, router_config, stdin_filename, no_source,
         color, parameters, verbose):
    """Check designs (YAML, or az/ARM/Terraform JSON) for ExpressRoute limits and mistakes.

    Each YAML file is its own design unless a design declares its parts (an
    `include:` list, or an `erdesign.yaml` marker making its folder one design);
    naming any part checks the whole design. JSON inputs of one folder form one
    design. No PATHS: the current folder. Findings are grouped per design; the
    exit code is the worst of them. Configuration comes from [tool.erdesign] in
    pyproject.toml or .erdesign.yaml, found by walking up from each design;
    options given here override it.
    """
    from ..engine.catalog import load_catalog
    from ..engine.config import Config, discover, load_config_file, split_selectors
    from ..engine.report import LintReport
    from ..engine.runner import lint as run_lint
    from ..errors import InputError, InputErrors
    from .designs import designs_named, echo_input_errors, run_each

    if baseline_path and write_baseline:
        raise click.UsageError("--baseline and --write-baseline exclude each other")
    catalog = load_catalog()
    baseline = None
    if baseline_path:
        from ..engine.baseline import read_baseline

        baseline = read_baseline(baseline_path)
    fixed_config = Config() if isolated else (load_config_file(config_path, catalog) if config_path else None)
    from ._io import remember_inputs

    remember_inputs([p for p in (baseline_path, None if isolated else config_path) if p])  # -o never over them
    if "-" in paths:
        if len(paths) > 1:
            raise click.UsageError("'-' (stdin) cannot be combined with other paths")
        from ..discovery import DesignUnit

        units = [DesignUnit(stdin_filename or "<stdin>", [], "stdin")]
    else:
        units = designs_named(paths, verbose)
    if not units:  # only configuration files were named (pre-commit passes .erdesign.yaml too)
        click.echo("erdesign: no design to check", err=True)
        sys.exit(0)
    configs = {}

    def config_of(unit):
        if unit.name not in configs:
            configs[unit.name] = fixed_config or discover(unit.files[0] if unit.files else
                                                          unit.name, catalog)
        return configs[unit.name]

    def check(unit):
        config = config_of(unit)
        if unit.kind == "stdin":
            from .terminal import read_stdin_design

            design = read_stdin_design(unit.name)
        else:
            design = load_inputs(unit.files, parameters, verbose)
        _attach_router_configs(design, router_config, verbose)
        report = run_lint(
            design,
            config=config,
            select=split_selectors(select) if select else None,
            extend_select=split_selectors(extend_select),
            ignore=split_selectors(ignore),
            severity=severity,
            fail_on=fail_on,
            catalog=catalog,
            baseline=baseline,
        )
        _count_input_files(report)
        if unit.kind == "stdin":
            report.files = [unit.name]
        report.sources = dict(design._sources)
        return report

    outcomes = run_each(units, check)
    if write_baseline:
        baseline = _write_baseline(write_baseline, [report for _, report, _ in outcomes if report is not None])
        outcomes = run_each(units, check)  # again, with it: the output shows what it accepted
    reports = []
    for unit, report, errors in outcomes:
        if report is None:
            report = LintReport(input_errors=errors, files=list(unit.files), catalog=catalog,
                                fail_on=fail_on or "error")
            echo_input_errors(errors)
        reports.append(report)

    if fmt is None:
        try:
            fmt = (config_of(units[0]) if units[0].files else (fixed_config or Config())).format
        except (InputError, InputErrors):
            fmt = Config().format  # the configuration's error is already reported with its design
    colour = fmt == "text" and not output and use_color(color)
    options = {"show_evidence": show_evidence or verbose, "show_suppressed": show_suppressed or verbose,
               "color": colour, "show_source": not no_source}
    pairs = [(unit, report) for (unit, _, _), report in zip(outcomes, reports)]
    text = render_designs(pairs, fmt, **options)
    if output:
        _write(output, text)
    elif not (len(pairs) == 1 and reports[0].input_errors and fmt in ("text", "concise")):
        click.echo(text, nl=False, color=colour)  # a lone unreadable design in text: its errors on stderr say it all
    from ..errors import clip_message, one_line

    for report in reports:
        for err in report.errors:
            click.echo(f"erdesign: {clip_message(one_line(str(err)))} (set ERDESIGN_DEBUG=1 for the traceback; "
                       "please report it)", err=True)
            if _debug() and err.traceback:
                click.echo(err.traceback, err=True)
    code = max(report.exit_code(exit_zero=exit_zero) for report in reports)
    if code == 2 and output and fmt in CI_FORMATS and not any(report.errors for report in reports):
        from ._io import commit_outputs

        commit_outputs()  # in CI formats input errors are the report (annotations, SARIF notifications): written
    sys.exit(code)


_HUMAN_FORMATS = ("text", "concise", "markdown")
CI_FORMATS = ("sarif", "github", "json")  # an -o report in these is written even when an input could not be read


def render_designs(pairs, fmt: str, **options) -> str:
    """One report for one design; several are grouped under a header each (human formats)
    or merged into one document (machine formats, which locate every finding anyway)."""
    from ..engine.report import merge_reports
    from ..output import render

    reports = [report for _, report in pairs]
    if len(pairs) == 1:
        return render(reports[0], fmt, **options)
    merged = merge_reports(reports)
    if fmt in _HUMAN_FORMATS:
        header = "### {}" if fmt == "markdown" else "==> {} <=="
        blocks = [f"{header.format(unit.name)}\n{render(report, fmt, **options)}" for unit, report in pairs]
        return "\n".join(blocks) + f"\n{len(pairs)} designs: {_designs_summary_line(reports)}\n"
    text = render(merged, fmt, **options)
    if fmt == "json":
        import json

        doc = json.loads(text)
        doc["designs"] = [{"name": unit.name, "files": list(report.files), "summary": report.summary,
                           "exit_code": report.exit_code()} for unit, report in pairs]
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return text


def _attach_router_configs(design, values, verbose: bool) -> None:
    from ..edge.attach import attach_router_configs, router_configs, split_pairs
    from ._io import remember_inputs

    remember_inputs(attach_router_configs(design, split_pairs(values)))
    for attached in router_configs(design) if verbose else ():
        for note in attached.config.notes:
            where = "" if note.startswith(attached.config.file) else f"{attached.config.file}: "
            click.echo(f"{where}{note} (not checked)", err=True)


def _designs_summary_line(reports) -> str:
    """The last line over several designs: the checked ones' findings, then what could not be checked."""
    from ..engine.report import merge_reports

    checked = [report for report in reports if not report.input_errors]
    broken = sum(len(report.input_errors) for report in reports)
    if not checked:
        return merge_reports(reports).summary_line()
    line = merge_reports(checked).summary_line()
    if broken:
        line = f"{line[:-1]}; not checked: {broken} input error{'' if broken == 1 else 's'}."
    return line


def _write(path: str, text: str) -> None:
    from ._io import write_atomic

    write_atomic(path, text, what="report")


def _write_baseline(path: str, reports):
    """Write the baseline of every design's findings; returns it (as the file will read)."""
    from ..engine.baseline import baseline_text, parse_baseline
    from ._io import write_atomic

    if any(report.errors for report in reports):
        raise click.ClickException("not writing a baseline: a check failed (internal error)")
    text = baseline_text([f for report in reports for f in report.findings])
    write_atomic(path, text, what="baseline")  # written when the run ends well, like every output
    accepted = parse_baseline(text, path)
    click.echo(f"wrote {path}: {len(accepted.entries)} finding(s) baselined", err=True)
    return accepted


def _count_input_files(report) -> None:
    """The summary counts the files given (JSON imports may not record their text)."""
    files = design_files()
    report.files = files + [f for f in report.files if f not in files]


def _debug() -> bool:
    import os

    return bool(os.environ.get("ERDESIGN_DEBUG"))
