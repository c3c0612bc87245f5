"""`erdesign pricing`: work with price books (import Azure Retail Prices API responses, show gaps)."""
from __future__ import annotations

import click


@click.group()
def pricing():
    """Work with price books: import Azure Retail Prices JSON, show what is priced."""


@pricing.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the price book here (default: stdout).")
@click.option("--book", "book_id", default="imported", show_default=True, help="Book id written into the price book.")
@click.option("--title", default=None, help="Title of the price book.")
def import_(files, output, book_id, title):
    """Turn saved Azure Retail Prices API responses (JSON pages) into a price book.

    Save responses of https://prices.azure.com/api/retail/prices, e.g. with
    $filter=serviceName eq 'ExpressRoute' (one file per page), then
    `erdesign pricing import *.json -o my-prices.yaml` and
    `erdesign cost design.yaml --pricing my-prices.yaml`.
    """
    from ..costing.book import parse_book
    from ..costing.retail import book_yaml, import_files, to_book

    result = import_files(list(files))
    report = _report(result)
    if not result.entries:
        click.echo(report, err=True)
        click.echo("erdesign: no meter could be mapped to a price; nothing written", err=True)
        raise SystemExit(1)
    text = book_yaml(to_book(result, book=book_id, title=title))
    parse_book(text, output or "<imported>")  # the book we write must load
    if output:
        from ._io import write_atomic

        write_atomic(output, text)
        click.echo(report + f"wrote {output}: {len(result.entries)} price(s)")
    else:
        click.echo(report, err=True, nl=False)
        click.echo(text, nl=False)


def _report(result) -> str:
    from ..errors import clip

    lines = [f"mapped {len(result.entries)} meter(s):"]
    for m in result.entries:
        e = m.entry
        dims = ", ".join(f"{k} {v}" for k, v in e.items()
                         if k not in ("component", "price", "unit", "source", "as_of", "confidence", "meter"))
        lines.append(f"  {clip(m.meter)} -> {e['component']} ({dims}): {e['price']} {result.currency}/{e['unit']}, "
                     f"effective {e['as_of']}")
    if result.skipped:
        lines.append(f"not mapped {len(result.skipped)} meter(s):")
        lines += [f"  {clip(s.meter)}: {clip(s.reason, 200)}" for s in result.skipped]
    lines += [f"warning: {clip(w, 200)}" for w in result.warnings]
    return "\n".join(lines) + "\n"


@pricing.command("show")
@click.option("--pricing", "pricing_files", multiple=True, type=click.Path(dir_okay=False),
              help="Overlay a price book, as for `erdesign cost`.")
@click.option("--component", default=None, help="Only this component (circuit_port, er_gateway, ...).")
def show(pricing_files, component):
    """List the prices in effect (packaged books plus overlays) and the documented gaps."""
    from ..costing.book import COMPONENTS, DIMENSIONS, load_books
    from ..costing.money import fmt_number
    from ..model import format_bandwidth

    books = load_books(list(pricing_files))
    if component and component not in COMPONENTS:
        from ..errors import InputError, did_you_mean

        raise InputError(f"unknown component '{component}'{did_you_mean(component, list(COMPONENTS))}")
    for book in books.books:
        flag = " (ILLUSTRATIVE)" if book.illustrative else ""
        click.echo(f"{book.book} {book.as_of}{flag}: {book.title}")
        for entry in book.prices:
            if component and entry.component != component:
                continue
            dims = []
            for d in DIMENSIONS:
                value = getattr(entry, d)
                if value is None:
                    continue
                dims.append(f"{d}={format_bandwidth(value) if d in ('bandwidth', 'port_bandwidth') else value}")
            conf = entry.confidence.upper() if entry.confidence != "verified" else entry.confidence
            click.echo(f"  {entry.component} {' '.join(dims)}: {fmt_number(entry.price, 6)} {book.currency}/"
                       f"{entry.unit} [{conf}, {entry.source}, {entry.as_of or book.as_of}]")
        for gap in book.unpriced:
            if component and gap.component != component:
                continue
            dims = " ".join(f"{d}={v}" for d, v in gap.dims().items())
            click.echo(f"  UNPRICED {gap.component}{' ' + dims if dims else ''}: {gap.reason}")
