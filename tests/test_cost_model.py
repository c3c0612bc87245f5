"""How each building block is priced: one small design per rule, totals worked out by hand."""
from __future__ import annotations

import textwrap
from decimal import Decimal as D

import pytest

import erdesign
from erdesign.errors import InputError

H = 730


def design(tmp_path, body: str):
    path = tmp_path / "d.yaml"
    path.write_text("version: 1\nname: t\n" + textwrap.dedent(body))
    return erdesign.load(str(path))


def only(report, component):
    lines = [line for line in report.lines if line.component == component]
    assert len(lines) == 1, lines
    return lines[0]


HUB = """
vnets:
  - {name: hub, region: eastus, address_space: [10.0.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.0.255.0/27}]}
"""


def test_scale_gateway_fixed_and_autoscale(tmp_path):
    fixed = erdesign.cost(design(tmp_path, HUB + """
gateways:
  - {name: gw, vnet: hub, sku: ErGwScale, scale_units: {min: 2, max: 2}}
"""))
    line = only(fixed, "er_gateway")
    assert (line.quantity, line.unit, line.monthly) == (2 * H, "SU·h", D("0.21") * 2 * H)
    assert line.formula == "0.21 USD/h × 2 SU × 730 h"
    auto = erdesign.cost(design(tmp_path, HUB + """
gateways:
  - {name: gw, vnet: hub, sku: ErGwScale, scale_units: {min: 2, max: 10}}
"""))
    assert only(auto, "er_gateway").monthly == D("306.60")
    [scaling] = [a for a in auto.assumed if "autoscaling ErGwScale gateway" in a["assumed"]]
    assert scaling["applies_to"] == [  # 0.21 × 10 × 730 at the maximum
        "gateway gw (2-10 SU, priced at 2; at the maximum it would be 1,533.00 USD/month)"]
    assert scaling["change"] == "gateways[].scale_units.min"


def test_scale_gateway_without_scale_units_is_unpriced(tmp_path):
    report = erdesign.cost(design(tmp_path, HUB + "gateways:\n  - {name: gw, vnet: hub, sku: ErGwScale}\n"))
    line = only(report, "er_gateway")
    assert line.confidence == "unpriced" and "scale_units is not given" in line.note


def test_vpn_gateway_for_ipsec_over_expressroute(tmp_path):
    report = erdesign.cost(design(tmp_path, HUB + """
circuits:
  - {name: c1, peering_location: Washington DC, provider: Equinix, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
gateways:
  - {name: er, vnet: hub, sku: ErGw1AZ}
  - {name: vpn, vnet: hub, type: Vpn, sku: VpnGw1AZ}
connections:
  - {name: er-c1, gateway: er, circuit: c1}
  - {name: vpn-c1, gateway: vpn, type: IPsec, ipsec_over_expressroute: true}
traffic:
  circuits: [{circuit: c1, egress_gb_month: 100}]
  vpn: [{gateway: vpn, egress_gb_month: 50}]
"""))
    vpn = only(report, "vpn_gateway")
    assert vpn.monthly == D("0.21") * H == D("153.30")
    assert "IPsec over ExpressRoute" in vpn.description
    assert any("billed as the circuit's outbound data" in a for a in report.assumptions)
    # Standard Metered 1 Gbps Zone 1 = 436; 100 GB × 0.025; ErGw1AZ; VpnGw1AZ; the carrier side is missing
    assert report.totals.monthly == D(436) + 100 * D("0.025") + D("0.361") * H + D("0.21") * H
    assert any("no carrier virtual circuits" in a["assumed"] for a in report.assumed)


def test_global_vnet_peering_egress_at_source_zone_ingress_at_destination_zone(tmp_path):
    report = erdesign.cost(design(tmp_path, """
vnets:
  - {name: us, region: eastus, address_space: [10.0.0.0/16]}
  - {name: au, region: australiaeast, address_space: [10.1.0.0/16]}
vnet_peerings:
  - {name: us-au, vnet: us, remote_vnet: au}
  - {name: au-us, vnet: au, remote_vnet: us}
traffic:
  vnet_peerings: [{vnet_peering: us-au, outbound_gb_month: 1000, inbound_gb_month: 100}]
"""))
    got = {line.description: line.monthly for line in report.lines}
    assert got == {
        "us -> au: egress at us (global, Zone 1)": 1000 * D("0.035"),
        "us -> au: ingress at au (global, Zone 2)": 1000 * D("0.09"),
        "au -> us: egress at au (global, Zone 2)": 100 * D("0.09"),
        "au -> us: ingress at us (global, Zone 1)": 100 * D("0.035"),
    }


def test_peering_traffic_given_on_both_halves_is_counted_once(tmp_path):
    report = erdesign.cost(design(tmp_path, """
vnets:
  - {name: a, region: eastus, address_space: [10.0.0.0/16]}
  - {name: b, region: eastus, address_space: [10.1.0.0/16]}
vnet_peerings:
  - {name: a-b, vnet: a, remote_vnet: b}
  - {name: b-a, vnet: b, remote_vnet: a}
traffic:
  vnet_peerings:
    - {vnet_peering: a-b, outbound_gb_month: 100, inbound_gb_month: 50}
    - {vnet_peering: b-a, outbound_gb_month: 80, inbound_gb_month: 100}
"""))
    # a->b given as 100 (a-b) and 100 (b-a inbound): once; b->a given as 50 and 80: the larger is priced
    assert report.totals.monthly == (100 + 80) * D("0.02")
    assert any("given twice" in a and "80" in a for a in report.assumptions)


def test_peering_without_traffic_is_an_assumption_not_a_guess(tmp_path):
    report = erdesign.cost(design(tmp_path, """
vnets:
  - {name: a, region: eastus, address_space: [10.0.0.0/16]}
  - {name: b, region: eastus, address_space: [10.1.0.0/16]}
vnet_peerings:
  - {name: a-b, vnet: a, remote_vnet: b}
"""))
    assert report.lines == []
    assert {a["assumed"]: a["applies_to"] for a in report.assumed} == {
        "VNet peering traffic not given: 0 GB/month": ["a <-> b"]}


METERED = """
circuits:
  - {name: c1, peering_location: Washington DC, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
"""


def test_missing_egress_on_a_metered_circuit_is_stated(tmp_path):
    report = erdesign.cost(design(tmp_path, METERED))
    egress = only(report, "circuit_egress")
    assert egress.quantity == 0 and egress.monthly == 0
    assert any(a["assumed"].startswith("outbound data not given: 0 GB/month on a Metered circuit")
               and a["applies_to"] == ["circuit c1"] for a in report.assumed)
    [row] = report.comparisons
    assert row.egress_gb is None


def test_local_circuit_is_always_unlimited(tmp_path):
    report = erdesign.cost(design(tmp_path, """
circuits:
  - {name: loc, peering_location: Amsterdam, bandwidth: 1Gbps, sku: {tier: Local, family: UnlimitedData}}
traffic:
  circuits: [{circuit: loc, egress_gb_month: 5000}]
"""), plan="metered")
    port = only(report, "circuit_port")
    assert port.confidence == "unpriced" and "Local port prices" in port.note
    assert only(report, "circuit_egress").monthly == 0
    assert any("always Unlimited" in a for a in report.assumptions)
    assert report.comparisons[0].recommendation.startswith("ExpressRoute Local is Unlimited only")


def test_unknown_peering_location_leaves_zone_dependent_lines_unpriced(tmp_path):
    report = erdesign.cost(design(tmp_path, METERED.replace("Washington DC", "Atlantis")))
    for line in report.lines:
        assert line.confidence == "unpriced"
        assert "peering location 'Atlantis' is unknown" in line.note
    assert report.comparisons[0].break_even_gb is None


def test_expressroute_direct(tmp_path):
    report = erdesign.cost(design(tmp_path, """
express_route_ports:
  - {name: erd, peering_location: Amsterdam, bandwidth: 10Gbps, billing_type: MeteredData}
circuits:
  - {name: std, express_route_port: erd, bandwidth: 5Gbps, sku: {tier: Standard, family: MeteredData}}
  - {name: prem, express_route_port: erd, bandwidth: 5Gbps, sku: {tier: Premium, family: MeteredData}}
traffic:
  circuits: [{circuit: std, egress_gb_month: 1000}, {circuit: prem, egress_gb_month: 2000}]
"""))
    pair = only(report, "direct_port_pair")
    assert pair.confidence == "unpriced" and "port-pair fees" in pair.note
    ports = [line for line in report.lines if line.component == "circuit_port"]
    assert [(line.monthly, line.confidence) for line in ports] == [(0, "verified"), (0, "verified")]
    addon = only(report, "direct_premium_addon")
    assert addon.object == "prem" and addon.confidence == "unpriced"
    egress = [line.monthly for line in report.lines if line.component == "circuit_egress"]
    assert egress == [1000 * D("0.025"), 2000 * D("0.025")]  # per circuit, zone of the port's location
    assert report.totals.monthly == 3000 * D("0.025")
    assert "the port pair's (billing_type): see the row of port pair erd" in report.comparisons[0].recommendation


def test_global_reach_across_zones_splits_the_total(tmp_path):
    report = erdesign.cost(design(tmp_path, """
circuits:
  - name: ny
    peering_location: New York
    bandwidth: 1Gbps
    sku: {tier: Premium, family: UnlimitedData}
    global_reach: [{peer_circuit: sg}]
  - {name: sg, peering_location: Singapore, bandwidth: 1Gbps, sku: {tier: Premium, family: UnlimitedData}}
traffic:
  global_reach: [{circuit: ny, peer_circuit: sg, gb_month: 1000}]
"""))
    gr = [(line.description, line.quantity, line.confidence) for line in report.lines
          if line.component == "global_reach_data"]
    assert gr == [
        ("Global Reach data, egress at the source (Zone 1)", 500, "unpriced"),
        ("Global Reach data, ingress at the destination (Zone 2)", 500, "unpriced"),
        ("Global Reach data, egress at the source (Zone 2)", 500, "unpriced"),
        ("Global Reach data, ingress at the destination (Zone 1)", 500, "unpriced"),
    ]
    assert any("half of it is priced in each direction" in a for a in report.assumptions)


def test_global_reach_priced_from_an_overlay_is_never_covered_by_unlimited(tmp_path):
    from erdesign.costing.book import PriceBook

    book = PriceBook.model_validate({
        "title": "quote", "currency": "USD", "as_of": "2026-01-01",
        "prices": [{"component": "global_reach_data", "direction": d, "zone": "Zone 1", "price": 0.02, "unit": "GB",
                    "source": "our quote", "confidence": "quote"} for d in ("egress", "ingress")]})
    report = erdesign.cost(design(tmp_path, """
circuits:
  - {name: a, peering_location: London, bandwidth: 1Gbps, sku: {tier: Premium, family: UnlimitedData}, global_reach: [{peer_circuit: b}]}
  - {name: b, peering_location: Amsterdam, bandwidth: 1Gbps, sku: {tier: Premium, family: UnlimitedData}}
traffic:
  global_reach: [{circuit: a, peer_circuit: b, gb_month: 1000}]
"""), pricing=[book])
    assert report.totals.monthly == 1000 * D("0.02") * 2  # egress at the source + ingress at the destination


def test_quote_in_another_currency_is_not_converted(tmp_path):
    report = erdesign.cost(design(tmp_path, """
circuits:
  - {name: c1, peering_location: Frankfurt, bandwidth: 1Gbps, sku: {tier: Standard, family: UnlimitedData}}
providers:
  - name: DE-CIX
    virtual_circuits:
      - {name: v1, circuit: c1, link: primary, monthly_fee: 700, currency: EUR}
"""))
    [monthly] = [line for line in report.lines if line.component == "carrier_virtual_circuit" and line.unit == "month"]
    assert monthly.confidence == "unpriced" and "does not convert currencies" in monthly.note


def test_bad_options(tmp_path):
    d = design(tmp_path, METERED)
    with pytest.raises(InputError, match="months"):
        erdesign.cost(d, months=0)
    with pytest.raises(InputError, match="not metered or unlimited"):
        erdesign.cost(d, plan="cheap")
    with pytest.raises(InputError, match="did you mean 'c1'"):
        erdesign.cost(d, egress={"c11": 1})


def test_report_object_api(examples_dir):
    report = erdesign.cost(str(examples_dir / "seed.yaml"))
    doc = report.to_dict()
    assert set(doc) >= {"currency", "lines", "totals", "circuits", "assumptions", "sources"}
    assert doc["currency"] == "USD" and "currency" not in doc["lines"][0]
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas"):
            report.to_frame()
    else:
        frame = report.to_frame()
        assert len(frame) == len(report.lines)


def test_metro_circuit_port_fee_is_unpriced_but_egress_follows_the_zone(tmp_path):
    report = erdesign.cost(design(tmp_path, METERED.replace("Washington DC", "Amsterdam Metro")),
                           egress={"c1": 1000})
    port = only(report, "circuit_port")
    assert port.confidence == "unpriced" and "ExpressRoute Metro" in port.note
    assert only(report, "circuit_egress").monthly == 1000 * D("0.025")
    assert report.comparisons[0].break_even_gb is None
    assert "Metro" in report.comparisons[0].recommendation
