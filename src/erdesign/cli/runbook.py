"""`erdesign runbook build|teardown DESIGN`: the ordered steps, az commands and gates for a design."""
from __future__ import annotations

import click

from ._inputs import input_options, load_inputs

_FORMATS = ("markdown", "sh", "json")


def _options(fn):
    fn = input_options(fn)
    fn = click.option("--resource-group", metavar="NAME",
                      help="Resource group for objects whose design names none (default: <design name>-rg).")(fn)
    fn = click.option("--only", "only", nargs=2, multiple=True, metavar="circuit NAME",
                      help="Only the part of the design that serves this circuit (repeatable).")(fn)
    fn = click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the runbook to this file.")(fn)
    fn = click.option("-f", "--format", "fmt", type=click.Choice(_FORMATS), default="markdown", show_default=True,
                      help="markdown for people, sh for a bash script (dry run unless run with --execute), json.")(fn)
    fn = click.argument("paths", nargs=-1, required=True, type=click.Path())(fn)
    return fn


@click.group()
def runbook():
    """Build and teardown runbooks derived from a design (order, az commands, gates, who does what)."""


@runbook.command()
@_options
def build(paths, fmt, output, only, resource_group, parameters, verbose):
    """The build order: resource groups, VNets, circuit, carrier provisioning, peering, gateway, connection, …"""
    _run("build", paths, fmt, output, only, resource_group, parameters, verbose)


@runbook.command()
@_options
def teardown(paths, fmt, output, only, resource_group, parameters, verbose):
    """The teardown order: VNet peerings, connections, Global Reach, …, carrier deprovisioning, circuit, VNets."""
    _run("teardown", paths, fmt, output, only, resource_group, parameters, verbose)


def _run(kind, paths, fmt, output, only, resource_group, parameters, verbose):
    from ..runbook import build_runbook, render, teardown_runbook

    circuits = []
    for what, name in only:
        if what != "circuit":
            raise click.BadParameter(f"expected 'circuit NAME', got '{what} {name}'", param_hint="--only")
        circuits.append(name)
    design = load_inputs(paths, parameters, verbose, summary=False)
    if not (design.circuits or design.vnets or design.gateways or design.express_route_ports):
        from ..errors import InputError
        from ..live import views_of

        live = " (live views are read by `erdesign lint`, next to a design)" if views_of(design) else ""
        raise InputError(f"nothing to {'build' if kind == 'build' else 'tear down'}: the inputs hold no circuit, "
                         f"VNet, gateway or ExpressRoute Direct port{live}", file=str(paths[0]))
    make = build_runbook if kind == "build" else teardown_runbook
    book = make(design, only_circuits=circuits or None, resource_group=resource_group)
    text = render(book, fmt, origin=", ".join(str(p) for p in paths))
    if output:
        from ._io import write_atomic

        write_atomic(output, text, what="runbook", executable=fmt == "sh")
    else:
        click.echo(text, nl=False)
