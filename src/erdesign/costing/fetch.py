"""`erdesign pricing fetch`: read the Azure Retail Prices API and write a dated price book.

This is the only module of erdesign that opens a network connection, and it does so only
when asked (`erdesign pricing fetch`, or :func:`fetch_book`). It queries
https://prices.azure.com/api/retail/prices (public, no sign-in) with an OData ``$filter``
per group of meters, follows ``NextPageLink`` page by page, retries transient failures with
exponential backoff, and hands every page to the same mapping as `erdesign pricing import`
(:mod:`.retail`). Nothing is written unless every page of every query arrived and parsed:
a failed, interrupted or malformed fetch leaves the previous book as it was.

The book lands in the user's cache folder by default (:func:`default_book_path`); `erdesign
cost` layers it over the shipped books when it is newer than they are (:func:`cached_book`).
"""
from __future__ import annotations

import datetime as _dt
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Optional
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..cachedir import CACHE_ENV, cache_dir  # noqa: F401 (CACHE_ENV: re-exported for callers)
from ..errors import InputError, InputErrors

DEFAULT_API_URL = "https://prices.azure.com/api/retail/prices"
BOOK_ID = "azure-retail"
BOOK_FILE = "azure-retail.yaml"
# Guards against a misbehaving server or mirror (not Azure facts): a real page is about 100 items
# (~60 kB), and ExpressRoute has a few dozen pages at most.
MAX_PAGE_BYTES = 20_000_000
MAX_PAGES_PER_QUERY = 1000
RETRY_STATUS = (408, 425, 429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Query:
    """One OData query and what it should bring back."""

    source: str  # source id cited by the entries it yields
    label: str
    filter: str
    components: tuple[str, ...]  # price-book components its meters map to


QUERIES = (
    Query("RP-EXPRESSROUTE", "ExpressRoute meters (circuits by zone, outbound data, Global Reach, Direct ports, "
          "Premium add-on, gateways by region)", "serviceName eq 'ExpressRoute'",
          ("circuit_port", "circuit_egress", "er_gateway", "global_reach_data", "global_reach_addon",
           "direct_port_pair", "direct_premium_addon")),
    Query("RP-VPN", "VPN gateway meters", "serviceName eq 'VPN Gateway' and productName eq 'VPN Gateway'",
          ("vpn_gateway",)),
    Query("RP-PEERING", "VNet peering meters", "serviceName eq 'Virtual Network' and (productName eq "
          "'Virtual Network Peering' or productName eq 'Global Virtual Network Peering')", ("vnet_peering",)),
    Query("RP-PUBLIC-IP", "public IP address meters", "serviceName eq 'Virtual Network' and productName eq "
          "'IP Addresses'", ("public_ip",)),
)


class FetchError(Exception):
    """The fetch did not complete; ``missing`` says which queries were not (fully) read."""

    def __init__(self, message: str, missing: list[str], malformed: bool = False):
        super().__init__(message)
        self.message = message
        self.missing = missing
        self.malformed = malformed


@dataclass
class FetchOptions:
    api_url: str = DEFAULT_API_URL
    currency: str = "USD"
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    progress: Optional[Callable[[str], None]] = None
    sleep: Callable[[float], None] = time.sleep


@dataclass
class Fetched:
    """What a complete fetch brought back: parsed pages and counts per query."""

    pages: list = field(default_factory=list)  # (name, data, item locations)
    items: dict[str, int] = field(default_factory=dict)  # query source -> items
    page_count: dict[str, int] = field(default_factory=dict)
    fetched_at: str = ""
    api_url: str = ""
    currency: str = "USD"


# --------------------------------------------------------------------------- where the book lives


def default_book_path() -> str:
    return os.path.join(cache_dir(), BOOK_FILE)


def cached_book():
    """(the fetched book at the default path, why it is not used) - (None, '') when there is none.

    Used only when it is newer than every shipped Azure book it would overlay."""
    from .book import packaged_books, read_book_file

    path = default_book_path()
    if not os.path.isfile(path):
        return None, ""
    try:
        book = read_book_file(path)
    except (InputError, InputErrors) as exc:
        first = str(exc).splitlines()[0]
        return None, (f"the fetched price book cannot be read ({first}), so it is not used; run `erdesign pricing "
                      f"fetch` again or delete {path}")
    shipped = [b for b in packaged_books() if not b.illustrative]
    newest = max((b.as_of for b in shipped), default=None)
    if newest is not None and book.as_of <= newest:
        return None, (f"the fetched price book {path} (as of {book.as_of}) is not newer than the shipped books "
                      f"(as of {newest}), so it is not used; run `erdesign pricing fetch` again")
    if book.currency != (shipped[0].currency if shipped else book.currency):
        return None, (f"the fetched price book {path} is in {book.currency} and the shipped books in "
                      f"{shipped[0].currency}; pass it with --pricing together with books in {book.currency}")
    return (book, path), ""


# --------------------------------------------------------------------------- HTTP

def check_api_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--api-url {url!r}: expected an http:// or https:// URL of the Retail Prices API "
                         "(or of a mirror of it)")
    return url


def first_url(api_url: str, query: Query, currency: str) -> str:
    parts = urlsplit(api_url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    params += [("currencyCode", f"'{currency}'"), ("$filter", query.filter)]
    return urlunsplit(parts._replace(query=urlencode(params, quote_via=_quote)))


def next_url(api_url: str, next_link: str) -> str:
    """The next page at the URL we were told to use: a mirror's pages may carry the real API's
    NextPageLink, so only its query (the filter and $skip) is kept."""
    link = urlsplit(next_link)
    if not link.query:
        raise ValueError(f"NextPageLink {next_link!r} has no query")
    return urlunsplit(urlsplit(api_url)._replace(query=link.query))


def _quote(text, safe="", encoding=None, errors=None):
    """Percent-encode as the API's own links do: quotes, $ and parentheses stay readable."""
    return quote(text, safe="'$()", encoding=encoding, errors=errors)


def get_text(url: str, options: FetchOptions) -> str:
    """The body of one GET, retried on timeouts, dropped connections and 408/429/5xx."""
    import http.client
    import urllib.error
    import urllib.request

    from .. import __version__

    attempt = 0
    while True:
        wait = options.backoff * (2 ** attempt)
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                           "User-Agent": f"erdesign/{__version__}"})
            with urllib.request.urlopen(request, timeout=options.timeout) as response:  # noqa: S310 (http/https only)
                body = response.read(MAX_PAGE_BYTES + 1)
                short = getattr(response, "length", None)  # bytes the Content-Length promised and never came
                if short and len(body) <= MAX_PAGE_BYTES:
                    raise http.client.IncompleteRead(body, short)
            if len(body) > MAX_PAGE_BYTES:
                raise FetchError(f"a page is larger than {MAX_PAGE_BYTES:,} bytes (a sanity bound): {url}", [])
            try:
                return body.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise FetchError(f"the page is not UTF-8 text: {url}", [], malformed=True) from None
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUS or attempt >= options.retries:
                raise FetchError(f"HTTP {exc.code} {exc.reason} from {url}", []) from None
            wait = max(wait, _retry_after(exc.headers.get("Retry-After") if exc.headers else None))
            reason = f"HTTP {exc.code}"
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = _reason(exc)
            if attempt >= options.retries:
                raise FetchError(f"{reason} ({url}), after {attempt + 1} attempt(s)", []) from None
        attempt += 1
        if options.progress:
            options.progress(f"{reason}; retry {attempt} of {options.retries} in {wait:g} s")
        options.sleep(wait)


def _retry_after(value: Optional[str]) -> float:
    try:
        return min(max(float(value or 0), 0.0), 60.0)  # never wait more than a minute on the server's word
    except ValueError:
        return 0.0


def _reason(exc: BaseException) -> str:
    import http.client
    import socket

    inner = getattr(exc, "reason", None)
    if isinstance(exc, (socket.timeout, TimeoutError)) or isinstance(inner, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection closed in the middle of a page"
    if isinstance(exc, http.client.HTTPException):
        return f"broken HTTP response ({type(exc).__name__})"
    text = str(inner or exc) or type(exc).__name__
    return f"cannot connect: {text}"


# --------------------------------------------------------------------------- the fetch

def fetch(options: FetchOptions, queries=QUERIES) -> Fetched:
    """Every page of every query, parsed and checked; FetchError on the first page that fails."""
    from .retail import parse_response

    check_api_url(options.api_url)
    done = Fetched(api_url=options.api_url, currency=options.currency,
                   fetched_at=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat())
    for index, query in enumerate(queries):
        url: Optional[str] = first_url(options.api_url, query, options.currency)
        seen: set[str] = set()
        page = 0
        items = 0
        while url:
            page += 1
            where = f"page {page} of the {query.label}"
            missing = [f"{query.label} (from page {page} on)"] + [q.label for q in queries[index + 1:]]
            if url in seen or page > MAX_PAGES_PER_QUERY:
                raise FetchError(f"{where}: NextPageLink loops or runs past {MAX_PAGES_PER_QUERY} pages", missing)
            seen.add(url)
            if options.progress:
                options.progress(f"{query.label}: page {page} ({items} items so far)")
            try:
                text = get_text(url, options)
                name = f"{query.source.lower()}-page{page}.json"
                data, locs = parse_response(text, name)
            except FetchError as exc:
                raise FetchError(f"{where}: {exc.message}", missing, exc.malformed) from None
            except InputError as exc:
                raise FetchError(f"{where} is malformed ({url}): {exc}", missing, malformed=True) from None
            currency = data.get("BillingCurrency")
            if currency and currency != options.currency:
                raise FetchError(f"{where}: billing currency {currency}, asked for {options.currency}", missing,
                                 malformed=True)
            done.pages.append((name, data, locs))
            items += len(data["Items"])
            link = data.get("NextPageLink")
            if link is not None and not isinstance(link, str):
                raise FetchError(f"{where}: NextPageLink is not a URL ({link!r})", missing, malformed=True)
            try:
                url = next_url(options.api_url, link) if link else None
            except ValueError as exc:
                raise FetchError(f"{where}: {exc}", missing, malformed=True) from None
        done.items[query.source] = items
        done.page_count[query.source] = page
    return done


def build_book(fetched: Fetched, queries=QUERIES):
    """(book dict, ImportResult, components the response did not price) of a complete fetch."""
    from .retail import import_pages

    source_of = {f"{q.source.lower()}-page": q.source for q in queries}

    def cite(name: str) -> str:
        return next(source for prefix, source in source_of.items() if name.startswith(prefix))

    result = import_pages(fetched.pages, source_of=cite, paged=True)
    day = fetched.fetched_at[:10]
    sources = []
    for q in queries:
        sources.append({
            "id": q.source,
            "title": f"Azure Retail Prices API, $filter={q.filter}, currencyCode {fetched.currency} "
                     f"({fetched.page_count.get(q.source, 0)} page(s), {fetched.items.get(q.source, 0)} item(s)), "
                     f"fetched {fetched.fetched_at}",
            "url": fetched.api_url,
            "as_of": day,
        })
    found = {m.entry["component"] for m in result.entries}
    wanted = [c for q in queries for c in q.components]
    missing = [c for c in wanted if c not in found]
    book = {
        "book": BOOK_ID,
        "title": f"Azure Retail Prices API ({fetched.currency}), fetched {day} by erdesign pricing fetch",
        "currency": fetched.currency,
        "as_of": day,
        "fetched_at": fetched.fetched_at,
        "fetched_from": fetched.api_url,
        "notes": "Written by `erdesign pricing fetch`. Entries are list prices (pay-as-you-go) read from the "
                 "API; each entry's as_of is its meter's effectiveStartDate. Meters erdesign could not map "
                 "are listed by the command, not here.",
        "sources": sources,
        "prices": [m.entry for m in result.entries],
    }
    return book, result, missing


def fetch_book(options: FetchOptions, output: Optional[str] = None, queries=QUERIES,
               write: Optional[Callable[[str, str], None]] = None):
    """Fetch, map and write the book (atomically, with ``write(path, text)``) to ``output``
    (default: the cache folder). Returns (path, ImportResult, missing components). Raises
    FetchError and writes nothing when the fetch is incomplete."""
    from .book import parse_book
    from .retail import book_yaml

    fetched = fetch(options, queries)
    book, result, missing = build_book(fetched, queries)
    if not result.entries:
        raise FetchError("the response has no meter erdesign can map to a price", [q.label for q in queries],
                         malformed=True)
    text = book_yaml(book, command="erdesign pricing fetch")
    path = output or default_book_path()
    parse_book(text, path)  # the book we write must load
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    (write or write_book)(path, text)
    return path, result, missing


def write_book(path: str, text: str) -> None:
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".erdesign-", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write the price book: {exc.strerror or exc}", file=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot write the price book: {exc.strerror or exc}", file=path) from None
        raise
