"""The charges added with `pricing fetch`: Global Reach add-on, Direct port pairs (and how their plan
may change), public IPs of gateways, Premium as Microsoft bills it, and the assumed quantities
listed once. Figures in the overlay books here are TEST DATA, worked out by hand."""
from __future__ import annotations

import json
import textwrap
from decimal import Decimal as D

import erdesign
from erdesign.costing.book import PriceBook
from erdesign.costing.render import render

H = 730


def design(tmp_path, body: str):
    path = tmp_path / "d.yaml"
    path.write_text("version: 1\nname: t\n" + textwrap.dedent(body))
    return erdesign.load(str(path))


def book(*prices):
    return PriceBook.model_validate({"title": "test quotes", "currency": "USD", "as_of": "2026-01-01",
                                     "prices": [dict(p, source="quote-test", confidence="quote") for p in prices]})


def lines(report, component):
    return [line for line in report.lines if line.component == component]


GLOBAL_REACH = """
circuits:
  - name: ny
    peering_location: New York
    bandwidth: 1Gbps
    sku: {tier: Premium, family: UnlimitedData}
    global_reach: [{peer_circuit: sj}]
  - {name: sj, peering_location: Silicon Valley, bandwidth: 500Mbps, sku: {tier: Standard, family: MeteredData}}
  - {name: alone, peering_location: Chicago, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
traffic:
  global_reach: [{circuit: ny, peer_circuit: sj, gb_month: 1000}]
"""


def test_global_reach_add_on_is_a_monthly_line_on_each_circuit_with_global_reach(tmp_path):
    report = erdesign.cost(design(tmp_path, GLOBAL_REACH))
    addons = lines(report, "global_reach_addon")
    assert [(line.group, line.description, line.confidence) for line in addons] == [
        ("circuit ny", "Global Reach add-on (1Gbps, Zone 1)", "unpriced"),
        ("circuit sj", "Global Reach add-on (500Mbps, Zone 1)", "unpriced"),
    ]
    assert "Add-on fee for enabling this feature on each ExpressRoute circuit" in addons[0].note
    assert "2 Global Reach add-on fees" in report.totals.to_dict()["unpriced_summary"]
    assert not any("add-on fee (mentioned in the 2018 FAQ)" in a for a in report.assumptions)


def test_global_reach_add_on_priced_by_bandwidth(tmp_path):
    quotes = book({"component": "global_reach_addon", "bandwidth": "1Gbps", "price": 100, "unit": "month"},
                  {"component": "global_reach_addon", "bandwidth": "500Mbps", "price": 50, "unit": "month"},
                  {"component": "global_reach_data", "direction": "egress", "price": 0.2, "unit": "GB"},
                  {"component": "global_reach_data", "direction": "ingress", "price": 0.2, "unit": "GB"})
    report = erdesign.cost(design(tmp_path, GLOBAL_REACH), pricing=[quotes])
    assert [line.monthly for line in lines(report, "global_reach_addon")] == [D(100), D(50)]
    assert sum(line.monthly for line in lines(report, "global_reach_data")) == 1000 * D("0.2") * 2
    # the circuit's own group carries its add-on
    text = render(report)
    ny = text[text.index("circuit ny"):text.index("circuit sj")]
    assert "Global Reach add-on (1Gbps, Zone 1)" in ny and "100.00" in ny


DIRECT = """
express_route_ports:
  - {name: erd, peering_location: Amsterdam, bandwidth: 10Gbps, billing_type: MeteredData}
circuits:
  - {name: std, express_route_port: erd, bandwidth: 5Gbps, sku: {tier: Standard, family: MeteredData}}
  - {name: prem, express_route_port: erd, bandwidth: 5Gbps, sku: {tier: Premium, family: MeteredData}}
  - {name: wdc, peering_location: Washington DC, provider: Equinix, bandwidth: 1Gbps}
traffic:
  circuits: [{circuit: std, egress_gb_month: 1000}, {circuit: prem, egress_gb_month: 2000}]
"""
DIRECT_QUOTES = (
    {"component": "direct_port_pair", "port_bandwidth": "10Gbps", "plan": "MeteredData", "price": 5000, "unit": "month"},
    {"component": "direct_port_pair", "port_bandwidth": "10Gbps", "plan": "UnlimitedData", "price": 50000,
     "unit": "month"},
    {"component": "direct_premium_addon", "bandwidth": "5Gbps", "price": 500, "unit": "month"},
)


def test_direct_port_pair_metered_vs_unlimited_with_break_even(tmp_path):
    report = erdesign.cost(design(tmp_path, DIRECT), pricing=[book(*DIRECT_QUOTES)])
    [pair] = lines(report, "direct_port_pair")
    assert (pair.monthly, pair.description) == (D(5000), "Port pair 10Gbps (Metered), Amsterdam")
    assert [line.monthly for line in lines(report, "direct_premium_addon")] == [D(500)]
    row = next(r for r in report.comparisons if r.circuit == "erd (Direct port pair)")
    assert row.egress_gb == 3000  # the port's circuits, summed
    assert (row.metered_port, row.unlimited_port, row.egress_rate) == (D(5000), D(50000), D("0.025"))
    assert row.metered_monthly == 5000 + 3000 * D("0.025")
    assert row.break_even_gb == (50000 - 5000) / D("0.025") == 1_800_000
    assert row.capacity_gb == 10_000 * D("0.45") * H
    assert row.recommendation.startswith("Metered: 44,925.00 USD/month cheaper at 3,000 GB/month")
    # the what-if reprices the pair on the other plan
    unlimited = erdesign.cost(design(tmp_path, DIRECT), pricing=[book(*DIRECT_QUOTES)], plan="unlimited")
    assert lines(unlimited, "direct_port_pair")[0].monthly == 50000


def test_plan_change_rules_listed_once_under_the_comparison(tmp_path):
    report = erdesign.cost(design(tmp_path, DIRECT))
    assert report.plan_changes == [
        "a provider circuit can move from Metered to Unlimited later, but not back (source: ExpressRoute circuits "
        "and peering, https://learn.microsoft.com/azure/expressroute/expressroute-circuit-peerings): when unsure, "
        "start Metered",
        "an ExpressRoute Direct port pair can switch between Metered and Unlimited in either direction (source: "
        "About ExpressRoute Direct, https://learn.microsoft.com/azure/expressroute/expressroute-erdirect-about)",
    ]
    text = render(report, "markdown")
    assert text.count("Plan changes:") == 2
    assert json.loads(render(report, "json"))["plan_changes"] == report.plan_changes


def test_direct_port_pair_unpriced_is_not_comparable(tmp_path):
    report = erdesign.cost(design(tmp_path, DIRECT))
    row = next(r for r in report.comparisons if r.circuit == "erd (Direct port pair)")
    assert not row.comparable and row.break_even_gb is None
    assert "Metered 10Gbps port-pair fee (Zone 1)" in row.recommendation


PIPS = """
vnets:
  - {name: hub, region: westeurope, address_space: [10.0.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.0.255.0/27}]}
  - {name: hub2, region: eastus2, address_space: [10.1.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.1.255.0/27}]}
public_ips:
  - {name: pip1, region: westeurope, sku: Standard}
  - {name: pip2, region: eastus2, sku: Standard}
  - {name: pip3, region: eastus2, sku: Basic}
gateways:
  - {name: gw1, vnet: hub, sku: ErGw1AZ, public_ip: pip1}
  - {name: gw2, vnet: hub2, sku: ErGw1AZ, public_ip: pip2}
  - {name: gw3, vnet: hub2, type: Vpn, sku: VpnGw1AZ, public_ip: pip3}
  - {name: gw4, vnet: hub, sku: ErGwScale, scale_units: {min: 2, max: 4}}
"""


def test_gateway_public_ips_are_priced_per_hour(tmp_path):
    report = erdesign.cost(design(tmp_path, PIPS))
    ips = {line.object: line for line in lines(report, "public_ip")}
    assert set(ips) == {"gw1", "gw2", "gw3"}
    assert ips["gw2"].monthly == D("0.005") * H == D("3.65") and ips["gw2"].confidence == "verified"  # eastus2 meter
    assert ips["gw1"].confidence == "estimate" and "applied to every other region" in ips["gw1"].note
    assert ips["gw3"].unit_price == D("0.0036") and ips["gw3"].description == "Public IP pip3 (Basic, static), eastus2"
    [no_ip] = [a for a in report.assumed if a["assumed"].startswith("no public IP address")]
    assert no_ip["applies_to"] == ["gateway gw4"]


def test_premium_provider_circuit_is_one_meter_premium_included(tmp_path):
    report = erdesign.cost(design(tmp_path, """
circuits:
  - {name: p, peering_location: London, bandwidth: 1Gbps, sku: {tier: Premium, family: MeteredData}}
"""), pricing=[book({"component": "circuit_port", "tier": "Premium", "plan": "MeteredData", "bandwidth": "1Gbps",
                     "zone": "Zone 1", "price": 800, "unit": "month"})])
    [port] = lines(report, "circuit_port")
    assert port.description == "Port fee: Premium Metered 1Gbps (Premium included), London (Zone 1)"
    assert port.monthly == 800
    assert not lines(report, "direct_premium_addon")  # the add-on meter is for circuits on Direct only


def test_assumed_quantities_are_listed_once_with_where_to_change_them(tmp_path):
    report = erdesign.cost(design(tmp_path, """
vnets:
  - {name: hub, region: eastus, address_space: [10.0.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.0.255.0/27}]}
  - {name: spoke, region: eastus, address_space: [10.1.0.0/16]}
gateways:
  - {name: gw, vnet: hub, sku: ErGw1AZ}
vnet_peerings:
  - {name: p1, vnet: hub, remote_vnet: spoke}
circuits:
  - {name: a, peering_location: London, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
  - {name: b, peering_location: Paris, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
  - {name: c, peering_location: Paris, bandwidth: 1Gbps, sku: {tier: Standard, family: UnlimitedData}}
"""))
    by_what = {a["assumed"]: a for a in report.assumed}
    hours = next(a for a in report.assumed if a["assumed"].startswith("730 hours a month"))
    assert hours["applies_to"] == ["ExpressRoute gateways"] and "hours_per_month" in hours["change"]
    metered = by_what["outbound data not given: 0 GB/month on a Metered circuit (the total leaves out its data charges)"]
    assert metered["applies_to"] == ["circuit a", "circuit b"] and "--egress CIRCUIT=GB" in metered["change"]
    assert by_what["outbound data not given: 0 GB/month (included in Unlimited anyway)"]["applies_to"] == ["circuit c"]
    assert by_what["VNet peering traffic not given: 0 GB/month"]["applies_to"] == ["hub <-> spoke"]
    text = render(report)
    assert text.count("outbound data not given") == 2  # once per kind, not per circuit
    assert "applies to: circuit a, circuit b; change: traffic.circuits[].egress_gb_month" in text
    md = render(report, "markdown")
    assert "| Assumed " in md and "| circuit a, circuit b " in md
    doc = json.loads(render(report, "json"))
    assert doc["assumed_quantities"][0]["assumed"].startswith("730 hours a month")
