"""`erdesign lint`: load a design and report findings."""
from __future__ import annotations

import click

from ._inputs import input_options, load_inputs


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@input_options
def lint(paths, parameters, verbose):
    """Check a design (YAML, or az/ARM/Terraform JSON) for ExpressRoute limits and mistakes."""
    design = load_inputs(paths, parameters, verbose)
    click.echo(f"{len(design.circuits)} circuit(s), {len(design.gateways)} gateway(s): design is valid")
