"""The shipped price books: valid, sourced, honest; and the book loader's rules."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from erdesign.costing.book import PriceBook, PriceBooks, _default_id, packaged_books, parse_book
from erdesign.errors import InputError, InputErrors


def books_by_id():
    return {b.book: b for b in packaged_books()}


def test_packaged_books_load_and_every_entry_is_sourced():
    books = books_by_id()
    assert set(books) == {"azure", "carriers"}
    for book in books.values():
        ids = {s.id for s in book.sources}
        for entry in book.prices:
            assert entry.source in ids, (book.book, entry)
            assert entry.confidence in ("verified", "estimate")
            if entry.confidence == "estimate":
                assert entry.derivation and len(entry.derivation) > 40
        for src in book.sources:
            assert src.url or src.repo, src.id


def test_carrier_figures_are_illustrative_estimates():
    carriers = books_by_id()["carriers"]
    assert carriers.illustrative
    assert {e.confidence for e in carriers.prices} == {"estimate"}


def test_verified_azure_figures_match_the_reference():
    azure = PriceBooks([books_by_id()["azure"]])
    assert azure.hours_per_month == 730
    gw = {s: azure.find("er_gateway", "hour", sku=s).amount
          for s in ("Standard", "HighPerformance", "UltraPerformance", "ErGw1AZ", "ErGw2AZ", "ErGw3AZ", "ErGwScale")}
    assert gw == {"Standard": D("0.19"), "HighPerformance": D("0.49"), "UltraPerformance": D("1.87"),
                  "ErGw1AZ": D("0.361"), "ErGw2AZ": D("0.632"), "ErGw3AZ": D("2.151"), "ErGwScale": D("0.21")}
    assert azure.find("circuit_port", "month", tier="Standard", plan="MeteredData", bandwidth=1000, zone="Zone 1",
                      direct=False).amount == D("436")
    assert azure.find("circuit_egress", "GB", plan="MeteredData", zone="Zone 1").amount == D("0.025")
    assert azure.find("circuit_egress", "GB", plan="MeteredData", zone="Zone 2") is None
    for zone, rate in (("Zone 1", "0.035"), ("Zone 2", "0.09"), ("Zone 3", "0.16")):
        assert azure.find("vnet_peering", "GB", scope="global", direction="egress", zone=zone).amount == D(rate)
    assert azure.find("global_reach_data", "GB", direction="egress", zone="Zone 1") is None
    assert "not published" in azure.gap("global_reach_data", "GB", direction="egress", zone="Zone 1")


def test_no_price_for_what_no_source_gives():
    azure = PriceBooks([books_by_id()["azure"]])
    for plan in ("MeteredData", "UnlimitedData"):
        for bw in (50, 100, 200, 500, 2000, 5000, 10000):
            assert azure.find("circuit_port", "month", tier="Standard", plan=plan, bandwidth=bw, zone="Zone 1",
                              direct=False) is None
    assert azure.find("circuit_port", "month", tier="Standard", plan="UnlimitedData", bandwidth=1000,
                      zone="Zone 1", direct=False) is None
    assert azure.find("direct_port_pair", "month", port_bandwidth=10000, plan="MeteredData") is None


def test_direct_circuits_do_not_pick_up_provider_circuit_prices():
    azure = PriceBooks([books_by_id()["azure"]])
    quote = azure.find("circuit_port", "month", tier="Standard", direct=True)
    assert quote.amount == 0 and quote.source_id == "ER-FAQ"


def _book(prices, **extra):
    return PriceBook.model_validate({"title": "t", "currency": "USD", "as_of": "2026-01-01", "prices": prices, **extra})


def test_most_specific_entry_wins_then_the_later_book():
    generic = _book([{"component": "er_gateway", "sku": "ErGw1AZ", "price": 1, "unit": "hour", "source": "a",
                      "confidence": "verified"}])
    regional = _book([{"component": "er_gateway", "sku": "ErGw1AZ", "region": "eastus2", "price": 2, "unit": "hour",
                       "source": "b", "confidence": "verified"}])
    later = _book([{"component": "er_gateway", "sku": "ergw1az", "price": 3, "unit": "hour", "source": "c",
                    "confidence": "quote"}])
    books = PriceBooks([generic, regional, later])
    assert books.find("er_gateway", "hour", sku="ErGw1AZ", region="eastus2").amount == 2
    assert books.find("er_gateway", "hour", sku="ErGw1AZ", region="westeurope").amount == 3
    assert books.find("er_gateway", "hour", sku="ErGw1AZ", region=None).amount == 3


def test_entry_inherits_the_book_date_and_currency_is_single():
    book = _book([{"component": "cross_connect", "price": 250, "unit": "month", "source": "quote", "confidence": "quote"}])
    quote = PriceBooks([book]).find("cross_connect", "month")
    assert quote.as_of == "2026-01-01" and quote.currency == "USD"
    other = PriceBook(title="e", currency="eur", as_of=dt.date(2026, 1, 1))
    assert other.currency == "EUR"
    with pytest.raises(InputError, match="does not convert currencies"):
        PriceBooks([book]).add(other)


@pytest.mark.parametrize("text,message", [
    ("title: t\ncurrency: USD\nas_of: 2026-01-01\nprices:\n"
     "  - {component: cross_connect, price: 1, unit: month, source: s, confidence: verified}\n"
     "  - {component: cross_connect, price: 2, unit: month, source: s, confidence: verified}\n",
     "book.yaml:6:5: prices[1]: same component and dimensions as prices[0]"),
    ("title: t\ncurrency: USD\nas_of: 2026-01-01\nsources: [{id: SRC, title: x}]\nprices:\n"
     "  - {component: cross_connect, price: 1, unit: month, source: SCR, confidence: verified}\n",
     "book.yaml:6:63: prices[0]: source 'SCR' is not a source id of this book (did you mean 'SRC'?)"),
    ("title: t\ncurrency: USD\nas_of: 2026-01-01\nprices:\n"
     "  - {component: circuit_port, tier: Standard, plan: Metered, bandwidth: 1Gbps, price: 1, unit: month,"
     " source: s, confidence: verified}\n", "needs zone"),
    ("title: t\ncurrency: USD\nas_of: 2026-01-01\nprices:\n"
     "  - {component: circuit_egress, plan: cheap, price: 1, unit: GB, source: s, confidence: verified}\n",
     "book.yaml:5:39: prices[0].plan: 'cheap' is not a data plan"),
    ("title: t\ncurrency: USD\nas_of: 2026-13-01\n", "book.yaml:3:8: bad value: month must be in 1..12"),
    ("title: t\ncurrency: USD\nas_of: 2026-01-01\nprices:\n  - {component: teleport, price: 1}\n",
     "book.yaml:5:17: prices[0].component: 'teleport' is not one of"),
    ("- just a list\n", "book.yaml:1:1: a price book is a mapping"),
    ("title: t\ntitle: u\n", "book.yaml:2:1: duplicated key 'title'"),
])
def test_book_errors_are_located(text, message):
    with pytest.raises((InputError, InputErrors)) as info:
        parse_book(text, "book.yaml")
    assert message in str(info.value)


def test_default_book_id_drops_the_date():
    assert _default_id("azure-2026-03-31.yaml") == "azure"
    assert _default_id("carriers.yaml") == "carriers"
    assert _default_id("my-eu-prices-2025-01-01.yaml") == "my-eu-prices"
