"""Hypothesis properties of the cost model."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

import erdesign
from erdesign.costing.book import PriceBook, PriceEntry

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = erdesign.load(str(EXAMPLES / "seed.yaml"))
MULTI = erdesign.load(str(EXAMPLES / "multi-region.yaml"))

gb = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def usage(draw_egress, draw_out, draw_in, draw_gr):
    return {
        "egress": {"er-wdc-1": draw_egress[0], "er-nyc-1": draw_egress[1], "er-fra-1": draw_egress[2],
                   "er-ams-1": draw_egress[3]},
        "peering_out": {"cust1-to-hub-eus": draw_out},
        "peering_in": {"cust3-to-hub-weu": draw_in},
        "global_reach": {("er-nyc-1", "er-fra-1"): draw_gr},
    }


@SETTINGS
@given(st.lists(gb, min_size=4, max_size=4), gb, gb, gb, st.sampled_from([None, "metered", "unlimited"]))
def test_total_is_the_sum_of_the_lines(egress, out, inn, gr, plan):
    report = erdesign.cost(MULTI, plan=plan, **usage(egress, out, inn, gr))
    priced = [line for line in report.lines if line.confidence != "unpriced"]
    assert report.totals.monthly == sum((line.monthly or 0 for line in priced), D(0))
    assert report.totals.one_time == sum((line.one_time or 0 for line in priced), D(0))
    assert all(line.monthly is None and line.one_time is None for line in report.lines if line.confidence == "unpriced")
    by_confidence = sum(report.totals.monthly_by_confidence.values(), D(0))
    assert by_confidence == report.totals.monthly
    doc = report.to_dict()
    assert D(str(doc["totals"]["monthly"])) == report.totals.monthly


@SETTINGS
@given(st.lists(gb, min_size=4, max_size=4), gb, gb, gb, st.lists(gb, min_size=7, max_size=7),
       st.sampled_from([None, "metered", "unlimited"]))
def test_more_usage_never_costs_less(egress, out, inn, gr, extra, plan):
    base = erdesign.cost(MULTI, plan=plan, **usage(egress, out, inn, gr))
    more = erdesign.cost(MULTI, plan=plan, **usage([e + x for e, x in zip(egress, extra[:4])],
                                                   out + extra[4], inn + extra[5], gr + extra[6]))
    assert more.totals.monthly >= base.totals.monthly
    assert more.totals.tco >= base.totals.tco


def _plan_book(metered: D, unlimited: D, rate: D) -> PriceBook:
    common = {"tier": "Standard", "bandwidth": 1000, "zone": "Zone 1", "unit": "month", "source": "test quote",
                  "confidence": "quote"}
    return PriceBook(
        book="test-quotes", title="test quotes", currency="USD", as_of=dt.date(2026, 1, 1),
        prices=[
            PriceEntry(component="circuit_port", plan="MeteredData", price=metered, **common),
            PriceEntry(component="circuit_port", plan="UnlimitedData", price=unlimited, **common),
            PriceEntry(component="circuit_egress", plan="MeteredData", zone="Zone 1", price=rate, unit="GB",
                       source="test quote", confidence="quote"),
        ])


cents = st.integers(min_value=1, max_value=2_000_000).map(lambda c: D(c) / 100)


@SETTINGS
@given(cents, cents, st.integers(min_value=1, max_value=5000).map(lambda m: D(m) / 10000))
def test_at_the_break_even_volume_both_plans_cost_the_same(a, b, rate):
    metered, unlimited = min(a, b), max(a, b)
    book = _plan_book(metered, unlimited, rate)
    [row] = erdesign.cost(SEED, pricing=[book]).comparisons
    assert row.missing == []
    volume = row.break_even_gb
    assert volume == (unlimited - metered) / rate
    on_metered = erdesign.cost(SEED, pricing=[book], plan="metered", egress={"useasterc1cust1": volume})
    on_unlimited = erdesign.cost(SEED, pricing=[book], plan="unlimited", egress={"useasterc1cust1": volume})
    assert on_metered.totals.monthly == on_unlimited.totals.monthly  # to the cent
    circuit = lambda r: sum((line.monthly for line in r.lines if line.object_kind == "circuit"), D(0))  # noqa: E731
    assert circuit(on_metered) == circuit(on_unlimited) == unlimited


@SETTINGS
@given(st.integers(min_value=1, max_value=240), st.integers(min_value=1, max_value=240), gb)
def test_months_scale_linearly(m1, m2, egress):
    r1 = erdesign.cost(MULTI, months=m1, egress={"er-fra-1": egress})
    r2 = erdesign.cost(MULTI, months=m2, egress={"er-fra-1": egress})
    assert r1.totals.monthly == r2.totals.monthly
    assert r1.totals.tco == m1 * r1.totals.monthly + r1.totals.one_time
    assert r2.totals.tco - r1.totals.tco == (m2 - m1) * r1.totals.monthly


# --------------------------------------------------------------------------- extremes the validators let through

def _extreme_book(price: D, rate: D) -> PriceBook:
    """Every price a multi-region report looks up, at `price` (rate for per-GB meters)."""
    entries = []
    for tier in ("Standard", "Premium"):
        for plan in ("MeteredData", "UnlimitedData"):
            for bandwidth in (500, 1000):
                entries.append(PriceEntry(component="circuit_port", tier=tier, plan=plan, bandwidth=bandwidth,
                                          zone="Zone 1", price=price, unit="month", source="x", confidence="quote"))
    entries += [
        PriceEntry(component="circuit_egress", plan="MeteredData", price=rate, unit="GB", source="x", confidence="quote"),
        PriceEntry(component="global_reach_data", direction="egress", price=rate, unit="GB", source="x",
                   confidence="quote"),
        PriceEntry(component="global_reach_data", direction="ingress", price=rate, unit="GB", source="x",
                   confidence="quote"),
        PriceEntry(component="vnet_peering", scope="intra_region", direction="egress", price=rate, unit="GB",
                   source="x", confidence="quote"),
        PriceEntry(component="er_gateway", sku="ErGw2AZ", price=price, unit="hour", source="x", confidence="quote"),
        PriceEntry(component="carrier_virtual_circuit", price=price, unit="month", source="x", confidence="quote"),
        PriceEntry(component="cross_connect", price=price, unit="one-time", source="x", confidence="quote"),
    ]
    return PriceBook(book="extremes", title="extremes", currency="USD", as_of=dt.date(2026, 1, 1), prices=entries)


bound_prices = st.sampled_from([D(0), D("0.000001"), D("0.0000015"), D(1), D("999999999999.99"), D("1e12")])
bound_volumes = st.one_of(st.sampled_from([0, D("1e-9"), "0.000001", 1e12, "1e12", D("999999999999.999999"),
                                           "1000000000000.0"]),
                          st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bound_prices, bound_prices, st.lists(bound_volumes, min_size=7, max_size=7), st.sampled_from([1, 36, 1200]),
       st.sampled_from([None, "metered", "unlimited"]))
def test_no_arithmetic_error_at_the_extremes_the_validators_allow(price, rate, volumes, months, plan):
    import json

    from erdesign.costing.render import FORMATS, render

    report = erdesign.cost(MULTI, plan=plan, months=months, pricing=[_extreme_book(price, rate)],
                           **usage(volumes[:4], volumes[4], volumes[5], volumes[6]))
    for fmt in FORMATS:
        text = render(report, fmt)
        assert "NaN" not in text and "Infinity" not in text
    doc = json.loads(render(report, "json"), parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert doc["totals"]["tco"] >= 0
    for row in report.comparisons:
        assert row.break_even_gb is None or row.break_even_gb <= D("1e12") / D("0.000001")


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
                 st.text(max_size=12), st.integers(min_value=-10**40, max_value=10**40)))
def test_a_usage_value_is_either_priced_or_an_input_error(value):
    from erdesign.errors import InputError

    try:
        report = erdesign.cost(SEED, plan="metered", egress={"useasterc1cust1": value})
    except InputError as exc:
        assert str(exc).startswith("--egress useasterc1cust1: ")
        return
    [egress] = [line for line in report.lines if line.component == "circuit_egress"]
    assert D(0) <= egress.quantity <= D("1e12") and not egress.quantity.is_signed()
