"""`erdesign pricing`: work with price books (fetch or import Azure Retail Prices API responses, show gaps)."""
from __future__ import annotations

import click


@click.group()
def pricing():
    """Work with price books: fetch or import Azure Retail Prices, show what is priced."""


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
        from ._io import remember_inputs, write_atomic

        remember_inputs(files)  # never over a saved page it read
        write_atomic(output, text, "price book")
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


@pricing.command("fetch")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the price book here (default: the cache folder, where `erdesign cost` finds it).")
@click.option("--currency", default="USD", show_default=True, help="ISO currency code of the prices (USD, EUR, ...).")
@click.option("--api-url", default=None, metavar="URL",
              help="The Retail Prices API, or a mirror of it (default https://prices.azure.com/api/retail/prices).")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=30, show_default=True,
              help="Seconds to wait for each page.")
@click.option("--backoff", type=click.FloatRange(min=0, max=60), default=1, show_default=True,
              help="Seconds before the first retry; doubled for each further one.")
@click.option("--retries", type=click.IntRange(min=0, max=10), default=3, show_default=True,
              help="Retries of a page after a timeout, a dropped connection or HTTP 429/5xx (with backoff).")
def fetch(output, currency, api_url, timeout, backoff, retries):
    """Fetch current list prices from the Azure Retail Prices API into a dated price book.

    The only erdesign command that uses the network. It reads the ExpressRoute meters
    (circuits by zone, outbound data, Global Reach, Direct ports, Premium add-on, gateways
    by region), the VPN gateway, VNet peering and public IP meters, following every
    NextPageLink. Without -o the book goes to the cache folder ($ERDESIGN_CACHE_DIR, else
    $XDG_CACHE_HOME/erdesign, else ~/.cache/erdesign), and `erdesign cost` uses it whenever
    it is newer than the shipped books. If any page fails, nothing is written and the
    previous book stays.
    """
    import re
    import sys

    from ..costing.fetch import DEFAULT_API_URL, FetchError, FetchOptions, check_api_url, default_book_path, fetch_book
    from ..errors import InputError

    currency = currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise InputError(f"--currency {currency!r}: expected a three-letter ISO code such as USD or EUR")
    url = check_api_url(api_url or DEFAULT_API_URL)
    path = output or default_book_path()
    progress = _progress_line if sys.stderr.isatty() else None
    options = FetchOptions(api_url=url, currency=currency, timeout=timeout, retries=retries, backoff=backoff,
                           progress=progress)

    def write(target: str, text: str) -> None:
        from ._io import write_atomic

        write_atomic(target, text, "price book")

    try:
        written, result, missing = fetch_book(options, path, write=write)
    except FetchError as exc:
        if progress:
            click.echo("", err=True)
        click.echo(f"erdesign: pricing fetch failed: {exc.message}", err=True)
        if exc.missing:
            click.echo("missing: " + "; ".join(exc.missing), err=True)
        click.echo(_kept(path), err=True)
        raise SystemExit(2 if exc.malformed else 1)
    if progress:
        click.echo("", err=True)
    click.echo(_summary(result), nl=False)
    if missing:
        click.echo("not in the response (these stay as the shipped books have them): " + ", ".join(missing))
    where = "" if output else " (erdesign cost uses it from now on)"
    click.echo(f"wrote {written}: {len(result.entries)} price(s){where}")


def _progress_line(text: str) -> None:
    click.echo("\r\033[K" + text[:110], err=True, nl=False)


def _kept(path: str) -> str:
    import os

    if not os.path.exists(path):
        return f"no price book written; {path} does not exist, so erdesign cost uses the shipped books"
    try:
        from ..costing.book import read_book_file

        book = read_book_file(path)
        return f"kept the previous price book {path} (as of {book.as_of}); nothing was written"
    except Exception:  # the old file is left alone whatever it holds
        return f"kept the previous file {path}; nothing was written"


def _summary(result) -> str:
    """Counts per component and, for what was not mapped, per reason (a fetch maps hundreds of meters)."""
    from collections import Counter

    mapped = Counter(m.entry["component"] for m in result.entries)
    lines = [f"mapped {len(result.entries)} meter(s): " + ", ".join(f"{c} {n}" for c, n in sorted(mapped.items()))]
    if result.skipped:
        lines.append(f"not mapped {len(result.skipped)} meter(s):")
        reasons = Counter(s.reason for s in result.skipped)
        for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            example = next(s.meter for s in result.skipped if s.reason == reason)
            lines.append(f"  {n} × {reason} (e.g. {example})")
    lines += [f"warning: {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"
