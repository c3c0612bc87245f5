"""`erdesign pricing fetch` against a local Retail Prices API (recorded pages, 127.0.0.1).

The pages are in tests/fixtures/retail_prices/api (see the README there: real gateway, VPN,
peering and public IP items; circuit, Global Reach and Direct figures are TEST DATA). The
server pages them the way the API does and can break a page on purpose.
"""
from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import yaml

PAGES = Path(__file__).parent / "fixtures" / "retail_prices" / "api"
EXAMPLES = ("minimal.yaml", "multi-region.yaml", "seed.yaml")


def _key(odata_filter: str) -> str:
    if "'ExpressRoute'" in odata_filter:
        return "expressroute"
    if "'VPN Gateway'" in odata_filter:
        return "vpn"
    if "Peering" in odata_filter:
        return "peering"
    if "'IP Addresses'" in odata_filter:
        return "publicip"
    return "none"


class RetailApi(BaseHTTPRequestHandler):
    """GET /api/retail/prices?currencyCode='USD'&$filter=...[&$skip=N]: one recorded page."""

    faults: dict = {}  # (key, page number) -> "interrupt" | "malformed" | "error" | "flaky"
    requests: list = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        odata_filter = query.get("$filter", [""])[0]
        key = _key(odata_filter)
        number = int(query.get("$skip", ["0"])[0]) // 100 + 1
        self.requests.append((key, number, query.get("currencyCode", [""])[0]))
        page_file = PAGES / f"{key}-{number}.json"
        fault = self.faults.get((key, number))
        if fault == "flaky":
            self.faults[(key, number)] = None  # fails once, then works
            self.send_error(503, "Service Unavailable")
            return
        if fault == "error":
            self.send_error(500, "Internal Server Error")
            return
        if not page_file.exists():
            self.send_error(404, "no such page")
            return
        page = json.loads(page_file.read_text())
        if (PAGES / f"{key}-{number + 1}.json").exists():
            # as the real API does: an absolute link to prices.azure.com, with the filter and $skip
            page["NextPageLink"] = ("https://prices.azure.com:443/api/retail/prices?currencyCode='USD'&$filter="
                                    + quote(odata_filter) + f"&$skip={number * 100}")
        body = json.dumps(page).encode()
        if fault == "malformed":
            body = body[: len(body) // 2]  # a page cut short but served as complete
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault == "interrupt":
            self.wfile.write(body[: len(body) // 3])  # the connection drops in the middle of the page
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def api():
    """A Retail Prices API on 127.0.0.1 serving the recorded pages; yields (url, handler class)."""
    handler = type("Api", (RetailApi,), {"faults": {}, "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/retail/prices", handler
    finally:
        server.shutdown()
        server.server_close()


def fetch(run_cli, url, *extra):
    return run_cli("pricing", "fetch", "--api-url", url, "--backoff", "0", "--timeout", "5", *extra)


def cost_json(run_cli, repo_root, example, *extra):
    result = run_cli("cost", f"examples/{example}", "-f", "json", *extra, cwd=repo_root)
    assert result.code == 0, result.err
    return json.loads(result.out)


# --------------------------------------------------------------------------- a complete fetch

def test_fetch_follows_every_page_and_writes_a_dated_book_in_the_cache(run_cli, api):
    url, handler = api
    result = fetch(run_cli, url)
    assert result.code == 0, result.err
    path = Path(os.environ["ERDESIGN_CACHE_DIR"]) / "azure-retail.yaml"
    assert f"wrote {path}:" in result.out and "erdesign cost uses it from now on" in result.out
    # every page of ExpressRoute (3 pages, NextPageLink rewritten to the mirror), then the other queries
    assert handler.requests == [("expressroute", 1, "'USD'"), ("expressroute", 2, "'USD'"), ("expressroute", 3, "'USD'"),
                                ("vpn", 1, "'USD'"), ("peering", 1, "'USD'"), ("publicip", 1, "'USD'")]
    book = yaml.safe_load(path.read_text())
    assert book["book"] == "azure-retail" and book["currency"] == "USD"
    assert book["fetched_from"] == url and book["as_of"] == book["fetched_at"][:10]
    assert {s["id"] for s in book["sources"]} == {"RP-EXPRESSROUTE", "RP-VPN", "RP-PEERING", "RP-PUBLIC-IP"}
    components = {p["component"] for p in book["prices"]}
    assert components == {"circuit_port", "circuit_egress", "er_gateway", "global_reach_data", "global_reach_addon",
                          "direct_port_pair", "direct_premium_addon", "vpn_gateway", "vnet_peering", "public_ip"}
    # the reservation price is not a pay-as-you-go price
    ports = [p for p in book["prices"] if p["component"] == "circuit_port" and p["tier"] == "Standard"
             and p["plan"] == "UnlimitedData" and p["bandwidth"] == "1Gbps"]
    assert [p["price"] for p in ports] == [5000.0]
    assert "1 × type Reservation" in result.out


def test_the_fetched_book_prices_every_circuit_of_every_example(run_cli, api, repo_root):
    assert fetch(run_cli, api[0]).code == 0
    for example in EXAMPLES:
        doc = cost_json(run_cli, repo_root, example)
        assert any(b["book"] == "azure-retail" and b["fetched_from"] == api[0] for b in doc["price_books"])
        ports = [line for line in doc["lines"] if line["component"] == "circuit_port"]
        assert ports, example
        for line in ports:
            assert line["confidence"] == "verified" and line["source"] == "RP-EXPRESSROUTE", (example, line)
        for row in doc["circuits"]:
            assert row["comparable"], (example, row)


def test_seed_compares_metered_and_unlimited_with_a_break_even(run_cli, api, repo_root):
    assert fetch(run_cli, api[0]).code == 0
    doc = cost_json(run_cli, repo_root, "seed.yaml")
    [row] = doc["circuits"]
    # TEST DATA: Standard Unlimited 1 Gbps Zone 1 = 5000; Metered = 436 + 0.025/GB
    assert (row["metered_port_monthly"], row["unlimited_port_monthly"], row["egress_rate_per_gb"]) == (436, 5000, 0.025)
    assert row["metered_monthly"] == 436 + 2000 * 0.025 == 486
    assert row["break_even_gb_month"] == (5000 - 436) / 0.025 == 182560
    assert row["recommendation"].startswith("Metered: 4,514.00 USD/month cheaper at 2,000 GB/month")
    text = run_cli("cost", "examples/seed.yaml", cwd=repo_root).out
    assert "azure-retail " in text.splitlines()[1] and f"from {api[0]}" in text
    markdown = run_cli("cost", "examples/seed.yaml", "-f", "markdown", cwd=repo_root).out
    assert "price books: azure 2026-03-31, carriers 2026-11-25 (ILLUSTRATIVE), azure-retail " in markdown.splitlines()[2]


def test_cost_can_ignore_the_fetched_book(run_cli, api, repo_root):
    assert fetch(run_cli, api[0]).code == 0
    doc = cost_json(run_cli, repo_root, "seed.yaml", "--no-fetched")
    assert [b["book"] for b in doc["price_books"]] == ["azure", "carriers"]


def test_a_fetched_book_older_than_the_shipped_one_is_not_used(run_cli, api, repo_root):
    assert fetch(run_cli, api[0]).code == 0
    path = Path(os.environ["ERDESIGN_CACHE_DIR"]) / "azure-retail.yaml"
    book = yaml.safe_load(path.read_text())
    book["as_of"] = "2020-01-01"
    path.write_text(yaml.safe_dump(book, sort_keys=False))
    doc = cost_json(run_cli, repo_root, "seed.yaml")
    assert "azure-retail" not in [b["book"] for b in doc["price_books"]]
    assert any("is not newer than the shipped books" in a for a in doc["assumptions"])


def test_output_option_and_a_transient_error_retried(run_cli, api, tmp_path):
    url, handler = api
    handler.faults[("expressroute", 2)] = "flaky"
    target = tmp_path / "prices" / "eu.yaml"
    result = fetch(run_cli, url, "-o", target)
    assert result.code == 0, result.err
    assert target.exists() and "erdesign cost uses it" not in result.out
    assert handler.requests.count(("expressroute", 2, "'USD'")) == 2
    assert not (Path(os.environ["ERDESIGN_CACHE_DIR"]) / "azure-retail.yaml").exists()


def test_currency_is_asked_for_and_checked(run_cli, api, tmp_path):
    url, handler = api
    result = fetch(run_cli, url, "--currency", "eur", "-o", tmp_path / "eur.yaml")
    # the recorded pages are in USD: a page in another currency than asked is refused
    assert result.code == 2
    assert "billing currency USD, asked for EUR" in result.err
    assert handler.requests == [("expressroute", 1, "'EUR'")]
    assert not (tmp_path / "eur.yaml").exists()


# --------------------------------------------------------------------------- broken fetches keep the old book

@pytest.mark.parametrize("fault,page,code,message", [
    ("interrupt", ("expressroute", 2), 1, "page 2 of the ExpressRoute meters"),
    ("malformed", ("expressroute", 3), 2, "page 3 of the ExpressRoute meters (circuits by zone"),
    ("error", ("vpn", 1), 1, "HTTP 500"),
    ("malformed", ("publicip", 1), 2, "malformed JSON"),
])
def test_a_broken_fetch_keeps_the_previous_book_and_says_what_is_missing(run_cli, api, fault, page, code, message):
    url, handler = api
    assert fetch(run_cli, url).code == 0
    path = Path(os.environ["ERDESIGN_CACHE_DIR"]) / "azure-retail.yaml"
    before = path.read_bytes()
    handler.faults[page] = fault
    result = fetch(run_cli, url, "--retries", "1")
    assert result.code == code, result.err
    assert message in result.err
    assert "missing: " in result.err
    if page[0] == "expressroute":
        assert f"ExpressRoute meters (circuits by zone" in result.err.split("missing: ")[1]
        assert "VPN gateway meters" in result.err.split("missing: ")[1]
    assert f"kept the previous price book {path}" in result.err
    assert path.read_bytes() == before
    assert not [f for f in os.listdir(path.parent) if f.startswith(".erdesign-")]  # no temporary file left


def test_interrupted_page_is_retried_then_reported(run_cli, api):
    url, handler = api
    handler.faults[("expressroute", 1)] = "interrupt"
    result = fetch(run_cli, url, "--retries", "2")
    assert result.code == 1
    assert "the connection closed in the middle of a page" in result.err and "after 3 attempt(s)" in result.err
    assert handler.requests.count(("expressroute", 1, "'USD'")) == 3
    assert "no price book written" in result.err


def test_unreachable_api_writes_nothing(run_cli, tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = fetch(run_cli, f"http://127.0.0.1:{port}/api/retail/prices", "--retries", "0", "-o", tmp_path / "x.yaml")
    assert result.code == 1 and "cannot connect" in result.err
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "prices.azure.com/api", "ftp://example.com/x"])
def test_only_http_urls(run_cli, url):
    result = run_cli("pricing", "fetch", "--api-url", url)
    assert result.code == 2 and "expected an http:// or https:// URL" in result.err


# --------------------------------------------------------------------------- nothing else opens a socket

def test_no_other_command_opens_a_socket(run_cli, repo_root, monkeypatch, tmp_path):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("erdesign opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fixtures = repo_root / "tests" / "fixtures"
    commands = [("rules",), ("rules", "BGP001"), ("schema",), ("pricing", "show"),
                ("pricing", "import", fixtures / "retail_prices" / "eastus2-expressroute.json", "-o", tmp_path / "b.yaml")]
    for example in EXAMPLES:
        commands += [("lint", f"examples/{example}"), ("cost", f"examples/{example}"),
                     ("cost", f"examples/{example}", "-f", "json"), ("cost", f"examples/{example}", "-f", "markdown")]
    commands += [("import", fixtures / "az" / "seed", "-o", tmp_path / "imported.yaml"),
                 ("lint", fixtures / "az" / "seed"), ("cost", fixtures / "az" / "seed")]
    for args in commands:
        result = run_cli(*args, cwd=repo_root)
        assert "opened a network connection" not in result.err, args
        assert result.code in (0, 1), (args, result.err)
    assert (tmp_path / "imported.yaml").exists() and (tmp_path / "b.yaml").exists()
    # the guard works: the one command that does use the network is caught by it
    result = run_cli("pricing", "fetch", "--api-url", "http://127.0.0.1:9/api", "--retries", "0")
    assert "opened a network connection" in result.err


def test_library_fetch_reports_progress_and_retries(api, tmp_path):
    from erdesign.costing.fetch import FetchOptions, fetch_book

    url, handler = api
    handler.faults[("vpn", 1)] = "flaky"
    said, slept = [], []
    options = FetchOptions(api_url=url, timeout=5, retries=2, backoff=0.5, progress=said.append, sleep=slept.append)
    path, result, missing = fetch_book(options, str(tmp_path / "book.yaml"))
    assert path == str(tmp_path / "book.yaml") and result.entries and missing == []
    assert "ExpressRoute meters (circuits by zone, outbound data, Global Reach, Direct ports, Premium add-on, gateways " \
           "by region): page 3 (27 items so far)" in said
    assert "HTTP 503; retry 1 of 2 in 0.5 s" in said and slept == [0.5]


def test_an_unreadable_cached_book_is_not_used_and_says_so(run_cli, repo_root):
    cache = Path(os.environ["ERDESIGN_CACHE_DIR"])
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "azure-retail.yaml").write_text("title: [unclosed\n")
    doc = cost_json(run_cli, repo_root, "seed.yaml")
    assert [b["book"] for b in doc["price_books"]] == ["azure", "carriers"]
    assert any(a.startswith("the fetched price book cannot be read") for a in doc["assumptions"])


def test_direct_port_pair_priced_from_the_fetched_book(run_cli, api, tmp_path):
    assert fetch(run_cli, api[0]).code == 0
    path = tmp_path / "direct.yaml"
    path.write_text("""version: 1
name: direct
express_route_ports:
  - {name: erd, peering_location: Amsterdam, bandwidth: 10Gbps, billing_type: MeteredData}
circuits:
  - {name: c5, express_route_port: erd, bandwidth: 5Gbps, sku: {tier: Premium, family: MeteredData}}
traffic:
  circuits: [{circuit: c5, egress_gb_month: 4000}]
""")
    doc = json.loads(run_cli("cost", path, "-f", "json").out)
    pair = next(line for line in doc["lines"] if line["component"] == "direct_port_pair")
    addon = next(line for line in doc["lines"] if line["component"] == "direct_premium_addon")
    # TEST DATA meters, mapped by their names: estimates
    assert (pair["monthly"], pair["confidence"], addon["monthly"]) == (5000, "estimate", 500)
    row = next(r for r in doc["circuits"] if r["circuit"] == "erd (Direct port pair)")
    assert row["break_even_gb_month"] == (50000 - 5000) / 0.025 and row["confidence"] == "estimate"
