"""GR rules: one failing and one passing design per rule, checked at the exact line."""
from __future__ import annotations

import textwrap

import pytest

from erdesign.checks import globalreach as gr
from rules_helpers import findings, line, line_of, run


PRIVATE = "peerings: [{type: AzurePrivatePeering, peer_asn: 65001, prefix: 192.168.0.0/29, vlan_id: 10}]"


def pair(loc_a="London", loc_b="Amsterdam", tier_a="Standard", tier_b="Standard", prefix="10.99.0.0/29",
         peerings_b=PRIVATE.replace("192.168.0.0", "192.168.0.8"), extra="") -> str:
    prefix_line = f", address_prefix: {prefix}" if prefix else ""
    return textwrap.dedent(f"""\
        circuits:
          - name: a
            peering_location: {loc_a}
            provider: Equinix
            bandwidth: 1Gbps
            sku: {{tier: {tier_a}, family: UnlimitedData}}
            {PRIVATE}
            global_reach:
              - {{peer_circuit: b{prefix_line}}}
          - name: b
            peering_location: {loc_b}
            provider: Equinix
            bandwidth: 1Gbps
            sku: {{tier: {tier_b}, family: UnlimitedData}}
            {peerings_b}
        """) + textwrap.dedent(extra)


GOOD = pair()


@pytest.mark.parametrize("fn", [gr.global_reach_pairs, gr.global_reach_prefixes, gr.global_reach_transit])
def test_a_valid_pair_has_no_finding(fn):
    assert run(fn, GOOD) == []


def test_gr001_local_circuit():
    text = pair(loc_b="Washington DC", tier_b="Local", loc_a="Seattle")
    [f] = findings(gr.global_reach_pairs, text, "GR001")
    assert "circuit 'b' is ExpressRoute Local" in f.message
    assert f.field == ("peer_circuit",) and line(f) == line_of(text, "peer_circuit: b")
    assert not findings(gr.global_reach_pairs, pair(loc_b="Washington DC", loc_a="Seattle"), "GR001")


def test_gr002_same_peering_location():
    text = pair(loc_a="Singapore", loc_b="singapore")
    [f] = findings(gr.global_reach_pairs, text, "GR002")
    assert "both circuits are at peering location Singapore" in f.message
    assert line(f) == line_of(text, "peer_circuit: b")
    assert not findings(gr.global_reach_pairs, pair(loc_a="Singapore", loc_b="Singapore2"), "GR002")


def test_gr003_cross_geopolitical_without_premium_on_both():
    text = pair(loc_a="London", loc_b="Tokyo", tier_a="Premium")
    [f] = findings(gr.global_reach_pairs, text, "GR003")
    assert "London (Europe)" in f.message and "Tokyo (Japan)" in f.message and "'b' is not Premium" in f.message
    assert line(f) == line_of(text, "peer_circuit: b")
    assert not findings(gr.global_reach_pairs, pair(loc_a="London", loc_b="Tokyo", tier_a="Premium",
                                                    tier_b="Premium"), "GR003")


def test_gr004_location_in_a_country_without_global_reach():
    text = pair(loc_a="Vienna", loc_b="Frankfurt")
    [f] = findings(gr.global_reach_pairs, text, "GR004")
    assert "circuit 'a' is at Vienna" in f.message and "Austria" in f.message
    assert f.field == () and line(f) == line_of(text, "peer_circuit: b")
    assert not findings(gr.global_reach_pairs, pair(loc_a="New York", loc_b="Miami"), "GR004")


def test_gr004_south_africa_is_johannesburg_only():
    [f] = findings(gr.global_reach_pairs, pair(loc_a="Cape Town", loc_b="Johannesburg"), "GR004")
    assert "Johannesburg only" in f.message and "Cape Town" in f.message
    assert not findings(gr.global_reach_pairs, pair(loc_a="Johannesburg", loc_b="London", tier_a="Premium",
                                                    tier_b="Premium"), "GR004")


@pytest.mark.parametrize("loc", ["Brussels", "Milan", "Madrid"])
def test_gr004_countries_added_in_2025(loc):
    """GR25B (04/09/2025) added Belgium, Italy and Spain; the 01/2025 list refused them."""
    assert not findings(gr.global_reach_pairs, pair(loc_a=loc, loc_b="Frankfurt"), "GR004")


def test_gr004_brazil_is_brazil_south_locations_only_as_an_estimate():
    assert not findings(gr.global_reach_pairs, pair(loc_a="Sao Paulo", loc_b="Miami", tier_a="Premium",
                                                    tier_b="Premium"), "GR004")
    [f] = findings(gr.global_reach_pairs, pair(loc_a="Rio de Janeiro", loc_b="Miami", tier_a="Premium",
                                               tier_b="Premium"), "GR004")
    assert "in Brazil Global Reach is offered at Campinas, Sao Paulo, Sao Paulo2 only" in f.message
    assert any(e.confidence == "estimate" for e in f.evidence)


@pytest.mark.parametrize("prefix, expected", [(None, "no address_prefix"), ("10.99.0.0/28", "is a /28")])
def test_gr005_prefix_missing_or_not_29(prefix, expected):
    text = pair(prefix=prefix)
    [f] = findings(gr.global_reach_prefixes, text, "GR005")
    assert expected in f.message
    assert line(f) == line_of(text, "peer_circuit: b")


def test_gr005_ipv6_must_be_125():
    text = pair(prefix="10.99.0.0/29, address_prefix_v6: 'fd00:99::/64'")
    [f] = findings(gr.global_reach_prefixes, text, "GR005")
    assert "address_prefix_v6" in f.message and "/125" in f.message
    assert not findings(gr.global_reach_prefixes, pair(prefix="10.99.0.0/29, address_prefix_v6: 'fd00:99::/125'"),
                        "GR005")


def test_gr006_prefix_overlaps_a_vnet_and_another_global_reach_prefix():
    text = pair(prefix="172.16.0.0/29", extra="""\
          - name: c
            peering_location: Paris
            provider: Equinix
            bandwidth: 1Gbps
            global_reach: [{peer_circuit: b, address_prefix: 172.16.0.0/29}]
        vnets:
          - {name: hub, region: uksouth, address_space: [172.16.0.0/16]}
        """)
    [f, _] = findings(gr.global_reach_prefixes, text, "GR006")
    assert "overlaps VNet 'hub' address space 172.16.0.0/16" in f.message
    assert "(and 1 more: circuit 'c' global_reach to 'b' address prefix 172.16.0.0/29)" in f.message
    assert line(f) == line_of(text, "peer_circuit: b")
    assert not findings(gr.global_reach_prefixes, pair(extra="""\
        sites:
          - {name: dc, advertised_prefixes: [10.0.0.0/16]}
        """), "GR006")


def test_gr006_on_premises_prefix():
    [f] = findings(gr.global_reach_prefixes, pair(extra="""\
        sites:
          - {name: dc, advertised_prefixes: [10.0.0.0/8]}
        """), "GR006")
    assert "on-premises prefix 10.0.0.0/8 of site 'dc'" in f.message


def test_gr007_peer_without_private_peering():
    text = pair(peerings_b="peerings: []")
    [f] = findings(gr.global_reach_pairs, text, "GR007")
    assert "circuit 'b' has no Azure private peering" in f.message
    assert line(f) == line_of(text, "peer_circuit: b")


def test_gr008_listed_on_both_circuits_is_one_connection():
    text = GOOD + "    global_reach: [{peer_circuit: a}]\n"
    [f] = findings(gr.global_reach_pairs, text, "GR008")
    assert "circuit 'b' global_reach to 'a'" in f.message and "already listed" in f.message
    assert line(f) == line_of(text, "peer_circuit: a")
    # the second listing needs no prefix of its own
    assert not findings(gr.global_reach_prefixes, text, "GR005")


THREE = """\
circuits:
  - {name: a, peering_location: London, provider: X, bandwidth: 1Gbps, global_reach: [{peer_circuit: b, address_prefix: 10.99.0.0/29}], %s}
  - {name: b, peering_location: Amsterdam, provider: X, bandwidth: 1Gbps, global_reach: [{peer_circuit: c, address_prefix: 10.99.0.8/29}], %s}
  - {name: c, peering_location: Frankfurt, provider: X, bandwidth: 1Gbps, %s}
traffic:
  global_reach:
    - {circuit: a, peer_circuit: c, gb_month: 100}
""" % (PRIVATE, PRIVATE.replace("192.168.0.0", "192.168.0.8"), PRIVATE.replace("192.168.0.0", "192.168.0.16"))


def test_gr009_traffic_assumes_transitive_global_reach():
    [f] = findings(gr.global_reach_transit, THREE, "GR009")
    assert "a <-> b <-> c" in f.message and "isn't transitive" in f.message
    assert line(f) == line_of(THREE, "peer_circuit: c, gb_month")
    direct = THREE.replace("peer_circuit: b, address_prefix: 10.99.0.0/29}",
                           "peer_circuit: b, address_prefix: 10.99.0.0/29}, {peer_circuit: c, address_prefix: 10.99.0.16/29}")
    assert not findings(gr.global_reach_transit, direct, "GR009")
