"""`erdesign schema`: JSON Schema of the design format, for editors."""
from __future__ import annotations

import json

import click


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
def schema(output):
    """Print the JSON Schema of the design format (for yaml-language-server and editors).

    The repository commits the same text as schema/design-v1.json; point a design's modeline at it:
    # yaml-language-server: $schema=../schema/design-v1.json
    """
    from ..schema import design_schema

    text = json.dumps(design_schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    if output:
        from ._io import write_atomic

        write_atomic(output, text, what="schema")
    else:
        click.echo(text, nl=False)
