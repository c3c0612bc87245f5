"""`erdesign schema`: JSON Schema of the design format, for editors."""
from __future__ import annotations

import json

import click


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
def schema(output):
    """Print the JSON Schema of the design format (for yaml-language-server and editors)."""
    from ..model import Design

    doc = Design.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["$id"] = "https://erdesign.dev/schema/design-v1.json"
    text = json.dumps(doc, indent=2, sort_keys=False) + "\n"
    if output:
        from ._io import write_atomic

        write_atomic(output, text, what="schema")
    else:
        click.echo(text, nl=False)
