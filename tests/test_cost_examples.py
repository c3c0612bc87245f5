"""Every example in examples/ priced end to end, against totals computed by hand here.

The expected figures are spelled out from the price books' numbers (not by calling
the cost code): hourly meters × 730 h, GB × rate, fees × count.
"""
from __future__ import annotations

import json
import os
from decimal import Decimal as D

import pytest

import erdesign

H = 730  # hours a month (pricing/azure-*.yaml hours_per_month)
UPDATE = os.environ.get("ERDESIGN_UPDATE_GOLDEN") == "1"


def price(path, **options):
    return erdesign.cost(erdesign.load(str(path)), **options)


def lines_of(report, component):
    return [line for line in report.lines if line.component == component]


def unpriced(report):
    return sorted(f"{line.group}: {line.description}" for line in report.lines if line.confidence == "unpriced")


# --------------------------------------------------------------------------- seed

def test_seed_gateway_line_is_the_verified_hourly_price_times_730(examples_dir):
    report = price(examples_dir / "seed.yaml")
    [gateway] = lines_of(report, "er_gateway")
    assert gateway.unit_price == D("0.19")  # ExpressRoute "Standard Gateway" meter, Retail Prices API
    assert gateway.quantity == H
    assert gateway.monthly == D("138.70")  # 0.19 × 730 to the cent
    assert gateway.confidence == "verified"
    assert gateway.source == "ADB-ER"
    assert gateway.formula == "0.19 USD/h × 730 h"


def test_seed_totals_by_hand(examples_dir):
    report = price(examples_dir / "seed.yaml")
    gateway = D("0.19") * H                                  # Standard ExpressRoute gateway
    peering = (2000 + 5000) * (D("0.01") + D("0.01"))        # vnet1 <-> hub, both ways, egress + ingress
    egress = D(2000) * D(0)                                  # Unlimited plan: outbound included
    virtual_circuits = 2 * D(900)                            # ESTIMATE: 1 Gbps L2 link, primary + secondary
    cross_connects = 2 * D(300)                              # ESTIMATE: per cross-connect
    monthly = gateway + peering + egress + virtual_circuits + cross_connects
    one_time = 2 * D(0)                                      # ESTIMATE: exchange VCs have no setup fee
    t = report.totals
    assert t.monthly == monthly == D("2678.70")
    assert t.one_time == one_time
    assert t.estimate_monthly == virtual_circuits + cross_connects
    assert t.monthly_by_confidence["verified"] == gateway + peering
    assert t.first_year == 12 * monthly + one_time == D("32144.40")
    assert t.tco == 36 * monthly + one_time == D("96433.20")
    assert unpriced(report) == [
        "carrier Equinix: Cross-connect xc-rtr1 at corp-pop: one-time",
        "carrier Equinix: Cross-connect xc-rtr2 at corp-pop: one-time",
        "circuit useasterc1cust1: Port fee: Standard Unlimited 1Gbps, Washington DC (Zone 1)",
    ]


def test_seed_what_if_metered(examples_dir):
    report = price(examples_dir / "seed.yaml", plan="metered")
    [port] = lines_of(report, "circuit_port")
    [egress] = lines_of(report, "circuit_egress")
    assert port.monthly == D("436.00")  # Standard Metered 1 Gbps, Zone 1 (Microsoft WAF 2023)
    assert egress.monthly == 2000 * D("0.025") == D("50.00")
    assert report.totals.monthly == D("2678.70") + D("436.00") + D("50.00")


def test_seed_plan_comparison_names_what_is_missing(examples_dir):
    report = price(examples_dir / "seed.yaml")
    [row] = report.comparisons
    assert row.break_even_gb is None
    assert row.metered_monthly == D(436) + 2000 * D("0.025")
    assert row.missing == ["Standard Unlimited 1Gbps port fee (Zone 1)"]
    assert row.recommendation.startswith("not comparable: Standard Unlimited 1Gbps port fee (Zone 1) unpriced; "
                                         "fetch the prices (erdesign pricing fetch)")
    assert not row.comparable


# --------------------------------------------------------------------------- minimal

def test_minimal_totals_by_hand(examples_dir):
    report = price(examples_dir / "minimal.yaml")
    egress = 1000 * D("0.025")         # Metered, Amsterdam = Zone 1
    gateway = D("0.361") * H           # ErGw1AZ
    public_ip = D("0.005") * H         # its Standard public IP (ESTIMATE: the eastus2 meter, in westeurope)
    monthly = egress + gateway + public_ip
    assert report.totals.monthly == monthly == D("292.18")
    assert report.totals.one_time == 0
    assert report.totals.tco == 36 * monthly
    assert report.totals.estimate_monthly == public_ip
    assert unpriced(report) == ["circuit er-ams: Port fee: Standard Metered 200Mbps, Amsterdam (Zone 1)"]
    assert any("no carrier virtual circuits" in a["assumed"] for a in report.assumed)


# --------------------------------------------------------------------------- multi-region

def test_multi_region_totals_by_hand(examples_dir):
    report = price(examples_dir / "multi-region.yaml")
    egress = 3000 * D("0.025") + 3000 * D("0.025")          # er-fra-1, er-ams-1 metered (Zone 1); the others Unlimited
    gateways = 2 * D("0.632") * H                            # two ErGw2AZ
    public_ips = 2 * D("0.005") * H                          # their Standard public IPs (ESTIMATE outside eastus2)
    intra = D("0.01") + D("0.01")                            # intra-region peering: egress + ingress
    peering = (8000 + 2000) * intra + (4000 + 1000) * intra + (3000 + 1000) * intra
    equinix_estimate = 2 * D(900)                            # eqx-wdc-pri/sec: 1 Gbps, no quote
    equinix_quote = 2 * D(450) + 2 * D(300)                  # eqx-nyc VCs and 2 cross-connects, quoted
    megaport_estimate = 2 * D(300)                           # mp-xc-fra ×2; the 500 Mbps VCs are unpriced
    monthly = egress + gateways + public_ips + peering + equinix_estimate + equinix_quote + megaport_estimate
    one_time = 2 * D(500)                                    # eqx-xc-nyc ×2, quoted
    t = report.totals
    assert t.monthly == monthly == D("5360.02")
    assert t.one_time == one_time
    assert t.estimate_monthly == equinix_estimate + megaport_estimate + public_ips
    assert t.monthly_by_confidence["quote"] == equinix_quote
    assert t.one_time_by_confidence["quote"] == one_time
    assert t.tco == 36 * monthly + one_time
    # 4 port fees, 2 Global Reach data, 2 Global Reach add-ons, 4 Megaport VCs monthly and mp-xc-fra one-time
    # (eqx-nyc-pri/sec quote both of their fees: 450 a month, 0 one-time)
    assert len(t.unpriced) == 13 and not t.complete
    assert not [line for line in t.unpriced if line.object.startswith("eqx-nyc")]
    gr = [line for line in report.lines if line.component == "global_reach_data"]
    assert [(line.quantity, line.confidence) for line in gr] == [(500, "unpriced"), (500, "unpriced")]


def test_multi_region_what_if_unlimited(examples_dir):
    report = price(examples_dir / "multi-region.yaml", plan="unlimited")
    assert all(line.monthly == 0 for line in lines_of(report, "circuit_egress"))
    assert report.totals.monthly == D("5360.02") - 2 * 3000 * D("0.025")


def test_every_example_is_covered(examples_dir):
    covered = {"seed.yaml", "minimal.yaml", "multi-region.yaml"}
    present = {p.name for p in examples_dir.glob("*.yaml")}
    assert present <= covered, f"write hand-computed totals for {sorted(present - covered)}"


# --------------------------------------------------------------------------- golden output

@pytest.mark.parametrize("fmt,suffix,extra", [("table", "txt", ["--wide"]), ("table", "compact.txt", []),
                                              ("json", "json", []), ("markdown", "md", [])])
def test_seed_golden_output(run_cli, repo_root, fmt, suffix, extra):
    result = run_cli("cost", "examples/seed.yaml", "--format", fmt, *extra, cwd=repo_root)
    assert result.code == 0, result.err
    golden = repo_root / "tests" / "golden" / "cost" / f"seed.{suffix}"
    if UPDATE or not golden.exists():
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")
    if fmt == "json":
        doc = json.loads(result.out)
        assert doc["currency"] == "USD"
        assert doc["totals"]["monthly"] == 2678.7
