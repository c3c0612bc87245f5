"""`erdesign router-config`: render the router side of a design's ExpressRoute links (ios-xe, junos, eos)."""
from __future__ import annotations

import os

import click

from ._inputs import input_options, load_inputs

_EPILOG = """\b
Addresses: the first usable address of each /30 on the router, the second
at Microsoft; remote AS, BFD timers and the maximum-prefix ceiling come from
erdesign's sourced tables. MD5 keys are written as a placeholder, never a key.
Check a configuration against the design with
  erdesign lint DESIGN --router-config rtr1=rtr1.cfg
"""


@click.command(epilog=_EPILOG)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--vendor", type=click.Choice(["ios-xe", "junos", "eos"]), default=None,
              help="Configuration dialect (default: each router's platform; required when a router has none).")
@click.option("--router", "router_name", metavar="NAME", help="Only this router.")
@click.option("-o", "--output", type=click.Path(), metavar="PATH",
              help="Write to this file (one router) or into this existing folder as NAME.cfg (several).")
@input_options
def router_config(paths, vendor, router_name, output, parameters, verbose):
    """Render the router configuration of a design's ExpressRoute links: (Q-in-Q) sub-interfaces, addresses,
    VRF, BGP to Microsoft with MD5 placeholder, BFD, maximum-prefix and the prefixes to advertise."""
    from ..errors import InputError
    from ..edge.render import render_router, select_routers

    design = load_inputs(paths, parameters, verbose)
    targets = select_routers(design, router_name)
    if not targets:
        raise InputError("the design has no ExpressRoute link with a /30 to render (no private or Microsoft peering "
                         "with primary/secondary prefixes)")
    rendered = []
    for target in targets:
        dialect = vendor or target.platform
        if dialect is None:
            raise InputError(f"router '{target.name}' has no platform (ios-xe, junos or eos) in the design; "
                             "give --vendor")
        rendered.append((target.name, render_router(design, target, dialect)))

    if output and os.path.isdir(output):
        from ._io import write_atomic

        for name, text in rendered:
            write_atomic(os.path.join(output, f"{name}.cfg"), text, what="router configuration")
        return
    if output and len(rendered) > 1:
        raise InputError(f"{output}: {len(rendered)} routers to write; give --router NAME, or -o an existing folder")
    text = "\n".join(body for _, body in rendered)
    if output:
        from ._io import write_atomic

        write_atomic(output, text, what="router configuration")
    else:
        click.echo(text, nl=False)
