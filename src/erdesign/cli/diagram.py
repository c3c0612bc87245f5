"""`erdesign diagram`: draw a design's topology as Mermaid or Graphviz DOT (SVG/PNG through `dot`)."""
from __future__ import annotations

import click

from ._inputs import input_options

FORMATS = ("mermaid", "dot", "svg", "png")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="mermaid", show_default=True,
              help="mermaid (renders in GitHub markdown), dot, or svg/png through Graphviz's `dot`.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (needed for png).")
@click.option("--findings", is_flag=True, help="Mark each object with its worst lint finding.")
@click.option("--cost", "with_cost", is_flag=True, help="Label objects and links with their monthly cost.")
@input_options
def diagram(paths, fmt, output, findings, with_cost, parameters, verbose):
    """Draw a design: sites and routers, carrier virtual circuits, peering locations and circuits,
    gateways, hub VNets and spokes, Global Reach links."""
    from ..diagram import GraphvizMissing, build, render_with_graphviz, to_dot, to_mermaid
    from ._inputs import load_inputs

    if fmt == "png" and not output:
        raise click.UsageError("--format png writes a binary file: give -o FILE.png")
    design = load_inputs(paths, parameters, verbose)
    report = None
    if findings:
        from ..engine.runner import lint

        report = lint(design)
    cost = None
    if with_cost:
        from ..costing import compute

        cost = compute(design)
    graph = build(design, findings=report, cost=cost)
    if fmt in ("mermaid", "dot"):
        text = to_mermaid(graph) if fmt == "mermaid" else to_dot(graph)
        if output:
            from ._io import write_atomic

            write_atomic(output, text, what="diagram")
        else:
            click.echo(text, nl=False)
        return
    try:
        data = render_with_graphviz(to_dot(graph), fmt)
    except GraphvizMissing as exc:
        raise click.ClickException(str(exc)) from None
    if output:
        from ._io import write_atomic

        write_atomic(output, data, what="diagram")
    else:
        click.echo(data.decode("utf-8"), nl=False)
