"""`erdesign import`: az CLI JSON / ARM templates / Terraform plans -> design YAML."""
from __future__ import annotations

import click

from ._inputs import design_files, input_options, load_inputs, report_notes


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the design YAML to this file (atomically) instead of stdout.")
@input_options
def import_(paths, output, parameters, verbose):
    """Turn az CLI JSON dumps, ARM templates or Terraform plans into a design YAML.

    Several files (or a folder) make one design; resources link up by ARM ID
    across files. Import notes (unknown values, resources outside the inputs,
    skipped types) go to stderr and into the file's header comment. The YAML
    loads and lints to the same findings as the inputs.
    """
    from ..importers.to_yaml import to_yaml

    design = load_inputs(paths, parameters, verbose, summary=False)
    notes = sorted(design._notes, key=_note_key)
    text = to_yaml(design, sources=design_files(), notes=notes)
    report_notes(notes)
    if output:
        from ._io import write_atomic

        write_atomic(output, text, what="design")
        click.echo(f"wrote {output}: {_counts(design)}", err=True)
    else:
        click.echo(text, nl=False)


def _note_key(note):
    loc = note.loc
    return (loc.file, loc.line, loc.col) if loc else ("", 0, 0)


def _counts(design) -> str:
    parts = []
    for section, label in (("circuits", "circuit"), ("express_route_ports", "port"), ("vnets", "VNet"),
                           ("gateways", "gateway"), ("connections", "connection"), ("vnet_peerings", "VNet peering"),
                           ("public_ips", "public IP"), ("route_tables", "route table"), ("nsgs", "NSG"),
                           ("route_filters", "route filter")):
        n = len(getattr(design, section))
        if n:
            parts.append(f"{n} {label}{'s' if n > 1 else ''}")
    return ", ".join(parts) or "empty design"
