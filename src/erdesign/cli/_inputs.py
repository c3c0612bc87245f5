"""Options and loading shared by every command that reads a design (lint, cost, import)."""
from __future__ import annotations

import click


def input_options(fn):
    """Add the input options: ARM parameters file and --verbose import details."""
    fn = click.option(
        "-p", "--parameters", "parameters", type=click.Path(dir_okay=False),
        help="ARM parameters file (deploymentParameters.json) for ARM template inputs.",
    )(fn)
    fn = click.option("-v", "--verbose", is_flag=True, help="List skipped resources and import details.")(fn)
    return fn


def load_inputs(paths, parameters=None, verbose=False):
    """Load a design from YAML / JSON paths; InputError propagates (exit 2 in main())."""
    from ..loader import load_design

    options = {}
    if parameters:
        options["parameters"] = parameters
    return load_design(list(paths), **options)
