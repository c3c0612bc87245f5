"""`erdesign lint`: load a design and report findings."""
from __future__ import annotations

import click


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def lint(paths):
    """Check a design (YAML, or az/ARM/Terraform JSON) for ExpressRoute limits and mistakes."""
    from ..loader import load_design

    design = load_design(paths)
    click.echo(f"{len(design.circuits)} circuit(s), {len(design.gateways)} gateway(s): design is valid")
