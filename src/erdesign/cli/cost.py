"""`erdesign cost`: price a design - the whole TCO, metered vs unlimited, with sources."""
from __future__ import annotations

import click

from ..costing import MAX_MONTHS
from ._inputs import input_options, load_inputs

FORMATS = ("table", "json", "csv", "markdown")


def _pairs(option: str, values: tuple[str, ...]) -> dict[str, str]:
    """('a=10', 'b=2.5') -> {'a': '10', 'b': '2.5'}; the number is checked by the library."""
    out: dict[str, str] = {}
    for text in values:
        name, sep, number = text.rpartition("=")
        if not sep or not name.strip() or not number.strip():
            raise click.BadParameter(f"{text!r}: write NAME=GB, e.g. mycircuit=2000", param_hint=option)
        out[name.strip()] = number.strip()
    return out


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@input_options
@click.option("--metered", is_flag=True, help="What-if: price every circuit on the Metered plan.")
@click.option("--unlimited", is_flag=True, help="What-if: price every circuit on the Unlimited plan.")
@click.option("--months", type=click.IntRange(min=1, max=MAX_MONTHS), default=36, show_default=True,
              help=f"TCO horizon in months (at most {MAX_MONTHS}, a sanity bound).")
@click.option("--pricing", "pricing", multiple=True, type=click.Path(dir_okay=False),
              help="Overlay a price book (same format as pricing/*.yaml); repeatable, later wins.")
@click.option("--no-fetched", "no_fetched", is_flag=True,
              help="Ignore the price book written by `erdesign pricing fetch` (use the shipped books).")
@click.option("--scenario", default=None, metavar="NAME|all",
              help="Price one of the design's traffic.scenarios, or 'all' to compare every scenario with the base.")
@click.option("--egress", multiple=True, metavar="CIRCUIT=GB", help="Outbound GB/month of a circuit (replaces traffic).")
@click.option("--peering-out", multiple=True, metavar="PEERING=GB",
              help="GB/month leaving the VNet of a VNet peering (replaces traffic).")
@click.option("--peering-in", multiple=True, metavar="PEERING=GB",
              help="GB/month entering the VNet of a VNet peering (replaces traffic).")
@click.option("--global-reach", "global_reach", multiple=True, metavar="CIRCUIT:PEER=GB",
              help="Global Reach GB/month between two circuits, both directions (replaces traffic).")
@click.option("--vpn-gb", multiple=True, metavar="GATEWAY=GB", help="VPN gateway outbound GB/month (replaces traffic).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE.png|FILE.svg",
              help="Also draw the cumulative TCO per circuit and plan, the break-even and the cost by component "
                   "(needs matplotlib: pip install 'erdesign[plot]').")
@click.option("--wide", is_flag=True,
              help="Table: every column (quantity, unit, unit price, zone, …) in 120 columns; "
                   "the default fits 100 columns.")
def cost(paths, parameters, verbose, metered, unlimited, months, pricing, no_fetched, scenario, egress, peering_out,
         peering_in, global_reach, vpn_gb, fmt, output, plot, wide):
    """Price a design: circuits, Direct ports, gateways, VNet peering, Global Reach, carrier links.

    Every line shows quantity, unit price, formula, source and confidence; ESTIMATE and
    UNPRICED lines are marked, and the totals say what they leave out. Designs are found
    as `erdesign lint` finds them (no PATHS: the current folder), each priced on its own.
    """
    if metered and unlimited:
        raise click.UsageError("--metered and --unlimited exclude each other")
    plot_format = _plot_format(plot) if plot else None
    usage = {
        "egress": _pairs("--egress", egress),
        "peering_out": _pairs("--peering-out", peering_out),
        "peering_in": _pairs("--peering-in", peering_in),
        "global_reach": _pairs("--global-reach", global_reach),
        "vpn": _pairs("--vpn-gb", vpn_gb),
    }
    from ..costing import compute
    from ..costing.book import load_books
    from ..costing.render import render
    from ._io import remember_inputs

    books = load_books(list(pricing), fetched=not no_fetched)  # a malformed book fails before the design is read
    remember_inputs(pricing)  # -o never overwrites a price book it read
    plan = "metered" if metered else ("unlimited" if unlimited else None)
    from .designs import designs_named, echo_input_errors, run_each

    def price(unit):
        design = load_inputs(unit.files, parameters, verbose)
        return compute(design, months=months, plan=plan, books=books, scenario=scenario, **usage)

    units = designs_named(paths, verbose)
    if not units:
        click.echo("erdesign: no design to price", err=True)
        return
    outcomes = run_each(units, price)
    for _, _, errors in outcomes:
        echo_input_errors(errors)
    priced = [(unit, report) for unit, report, _ in outcomes if report is not None]
    failed = any(errors for _, _, errors in outcomes)
    if len(outcomes) == 1:
        text = render(priced[0][1], fmt, wide=wide) if priced else ""
    else:
        text = render_designs(priced, fmt, wide=wide)
    if output and (priced or not failed):
        from ._io import write_atomic

        write_atomic(output, text)
        lines = sum(len(report.lines) for _, report in priced)
        unpriced = sum(len(report.unpriced) for _, report in priced)
        click.echo(f"wrote {output}: {lines} line(s), {unpriced} unpriced", err=True)
    elif text:
        click.echo(text, nl=False)
    if plot and priced:
        _write_plot(plot, plot_format, priced[0][1])
    if failed:
        raise SystemExit(2)


def render_designs(pairs, fmt: str, wide: bool = False) -> str:
    """Several designs' cost reports, each under its name."""
    from ..costing.render import render

    if fmt == "json":
        import json

        return json.dumps([{"design": unit.name, **json.loads(render(report, "json"))} for unit, report in pairs],
                          indent=2, ensure_ascii=False) + "\n"
    header = {"markdown": "## {}\n", "csv": "# design: {}"}.get(fmt, "==> {} <==")
    return "\n".join(f"{header.format(unit.name)}\n{render(report, fmt, wide=wide)}" for unit, report in pairs)


def _plot_format(path: str) -> str:
    import os

    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if suffix not in ("png", "svg"):
        raise click.BadParameter(f"{path!r}: the chart is written as .png or .svg", param_hint="--plot")
    return suffix


def _write_plot(path: str, fmt: str, report) -> None:
    from ..costing.plot import MatplotlibMissing, chart_bytes
    from ._io import write_atomic

    try:
        data = chart_bytes(report, fmt)
    except MatplotlibMissing as exc:
        raise click.ClickException(str(exc)) from None
    write_atomic(path, data, what="chart")
    click.echo(f"wrote {path}", err=True)
