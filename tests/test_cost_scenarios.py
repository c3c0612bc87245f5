"""Usage scenarios: traffic.scenarios (scaled, replaced, growing volumes), `cost --scenario NAME|all`,
and the break-even held against the range the scenarios span. Prices in the overlay are TEST DATA."""
from __future__ import annotations

import json
import textwrap
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import erdesign
from erdesign.costing.book import PriceBook
from erdesign.costing.render import render
from erdesign.costing.usage import growth_factors
from erdesign.errors import InputError

# TEST DATA: Standard 1 Gbps Zone 1, Metered 436 (the real WAF figure) and Unlimited 5000; 0.025/GB is real
QUOTES = PriceBook.model_validate({"title": "test quotes", "currency": "USD", "as_of": "2026-01-01", "prices": [
    {"component": "circuit_port", "tier": "Standard", "plan": p, "bandwidth": "1Gbps", "zone": "Zone 1", "price": price,
     "unit": "month", "source": "quote-test", "confidence": "quote"}
    for p, price in (("MeteredData", 436), ("UnlimitedData", 5000))]})

DESIGN = """
version: 1
name: scenarios
vnets:
  - {name: a, region: eastus, address_space: [10.0.0.0/16]}
  - {name: b, region: eastus, address_space: [10.1.0.0/16]}
vnet_peerings:
  - {name: a-b, vnet: a, remote_vnet: b}
circuits:
  - {name: c1, peering_location: Washington DC, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
traffic:
  circuits: [{circuit: c1, egress_gb_month: 2000}]
  vnet_peerings: [{vnet_peering: a-b, outbound_gb_month: 1000, inbound_gb_month: 100}]
  scenarios:
    - {name: low, scale: 0.5}
    - name: high
      scale: 3
      circuits: [{circuit: c1, egress_gb_month: 300000}]
    - {name: growth, growth_pct_month: 5}
"""


@pytest.fixture
def design(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(DESIGN))
    return erdesign.load(str(path))


def egress(report):
    [line] = [line for line in report.lines if line.component == "circuit_egress"]
    return line.quantity


def peering_gb(report):
    return sorted(line.quantity for line in report.lines if line.component == "vnet_peering")


def test_scaled_and_replaced_volumes(design):
    low = erdesign.cost(design, scenario="low", pricing=[QUOTES])
    assert egress(low) == 1000 and peering_gb(low) == [50, 50, 500, 500]
    high = erdesign.cost(design, scenario="high", pricing=[QUOTES])
    assert egress(high) == 300000  # replaced: used as given, not scaled
    assert peering_gb(high) == [300, 300, 3000, 3000]  # the rest of the base × 3
    assert high.totals.monthly == 436 + 300000 * D("0.025") + 2 * (3000 + 300) * D("0.01")
    assert any(a == "usage scenario 'high': base traffic × 3; 1 volume replaced" for a in high.assumptions)
    base = erdesign.cost(design, pricing=[QUOTES])
    assert egress(base) == 2000 and base.scenario is None


def test_growth_is_priced_at_the_average_month():
    average, last = growth_factors(D(5), 36)
    by_hand = sum(D("1.05") ** k for k in range(36)) / 36
    assert abs(average - by_hand) < D("1e-30") and abs(last - D("1.05") ** 35) < D("1e-30")
    assert growth_factors(D(0), 36) == (1, 1)
    stop_average, stop_last = growth_factors(D(-100), 12)  # everything stops after the first month
    assert abs(stop_average - D(1) / 12) < D("1e-25") and stop_last == 0
    assert growth_factors(D(-100), 1) == (1, 1)


def test_growth_tco_is_the_sum_of_the_monthly_bills(design):
    report = erdesign.cost(design, scenario="growth", pricing=[QUOTES], months=36)
    bills = sum(436 + 2000 * D("1.05") ** k * D("0.025") + 1100 * D("1.05") ** k * 2 * D("0.01") for k in range(36))
    assert abs(report.totals.tco - bills) < D("0.50")  # the same to rounding of the average month to the cent
    assert report.egress_range["c1"] == (2000, pytest.approx(2000 * D("1.05") ** 35))


def test_scenario_all_compares_every_scenario_against_the_break_even(design):
    report = erdesign.cost(design, scenario="all", pricing=[QUOTES])
    assert [s.name for s in report.scenarios] == ["low", "high", "growth"]
    [row] = report.comparisons
    assert row.break_even_gb == (5000 - 436) / D("0.025") == 182560
    [verdict] = report.scenario_verdicts
    assert verdict == ("c1: the break-even (182,560 GB/month (55.6% of capacity)) falls inside the scenario range "
                       "(1,000–300,000 GB/month): Metered for base, low, growth (month 1) and growth (month 36); "
                       "Unlimited for high")
    text = render(report)
    assert "Usage scenarios (USD; TCO over 36 months)" in text
    high = next(line for line in text.splitlines() if line.startswith("high ") and "c1" in line)
    assert high.split()[-1] == "Unlimited"
    doc = json.loads(render(report, "json"))
    assert [s["name"] for s in doc["scenarios"]] == ["low", "high", "growth"]
    assert doc["scenarios"][1]["circuits"][0]["egress_gb_month"] == 300000
    assert doc["scenario"] == "base" and doc["scenario_verdicts"] == [verdict]


def test_all_scenarios_on_one_side_of_the_break_even(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(DESIGN).replace("egress_gb_month: 300000", "egress_gb_month: 9000"))
    report = erdesign.cost(erdesign.load(str(path)), scenario="all", pricing=[QUOTES])
    assert report.scenario_verdicts[0].startswith("c1: Metered in every scenario: egress 1,000–11,032 GB/month stays "
                                                  "below the break-even of 182,560 GB/month")


def test_unknown_scenario_and_unknown_object(design, tmp_path, run_cli):
    with pytest.raises(InputError, match=r"no scenario 'hihg'.*did you mean 'high'.*scenarios: base, low, high, growth"):
        erdesign.cost(design, scenario="hihg")
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(DESIGN).replace("circuits: [{circuit: c1, egress_gb_month: 300000}]",
                                                    "circuits: [{circuit: c2, egress_gb_month: 300000}]"))
    result = run_cli("cost", path, "--scenario", "high")
    assert result.code == 2
    assert f"{path}:" in result.err and "traffic.scenarios 'high': no circuit 'c2'" in result.err


def test_cli_hint_and_no_change_without_scenarios(run_cli, tmp_path, repo_root):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(DESIGN))
    out = run_cli("cost", path).out
    assert "The design has usage scenarios (low, high, growth)" in out
    assert run_cli("cost", path, "--scenario", "low").out.startswith("Cost of scenarios, usage scenario 'low'")
    seed = json.loads(run_cli("cost", "examples/seed.yaml", "-f", "json", cwd=repo_root).out)
    assert "scenarios" not in seed and "scenario" not in seed


@settings(max_examples=60, deadline=None)
@given(pct=st.decimals(min_value=-99, max_value=50, places=2), months=st.integers(min_value=1, max_value=240))
def test_growth_average_lies_between_the_first_and_last_month(pct, months):
    average, last = growth_factors(pct, months)
    low, high = min(D(1), last), max(D(1), last)
    assert low - D("1e-20") <= average <= high + D("1e-20")
    if months == 1:
        assert average == last == 1
