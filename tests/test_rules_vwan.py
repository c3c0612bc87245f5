"""VWAN and DIR rules beyond their catalog examples (which tests/test_engine_catalog.py runs)."""
from __future__ import annotations

from erdesign import lint
from erdesign.loader import load_design_text

HUBS = """
circuits:
  - {name: er-ams, peering_location: Amsterdam, provider: Equinix, bandwidth: 10Gbps, sku: {tier: Premium}}
virtual_hubs:
  - {name: h1, region: westeurope, address_prefix: 10.100.0.0/23, virtual_wan: %s}
  - {name: h2, region: northeurope, address_prefix: 10.101.0.0/23, virtual_wan: %s}
hub_gateways:
  - {name: g1, hub: h1, scale_units: {min: 2, max: 2}}
  - {name: g2, hub: h2, scale_units: {min: 2, max: 2}}
hub_connections:
  - {name: c1, hub_gateway: g1, circuit: er-ams}
  - {name: c2, hub_gateway: g2, circuit: er-ams}
"""


def _fired(text, rule):
    return [f for f in lint(load_design_text(text), select=[rule]).findings if f.rule == rule]


def test_vwan002_hubs_of_one_wan_reach_each_other_hub_to_hub():
    assert not _fired(HUBS % ("wan1", "wan1"), "VWAN002")
    assert _fired(HUBS % ("wan1", "wan2"), "VWAN002")


def test_vwan002_a_vnet_gateway_only_when_the_hub_gateway_accepts_non_vwan_traffic():
    text = """
circuits: [{name: er-ams, peering_location: Amsterdam, provider: Equinix, bandwidth: 1Gbps}]
vnets: [{name: v, region: westeurope, address_space: [10.1.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.1.0.0/27}]}]
gateways: [{name: gw, vnet: v, sku: ErGw1AZ}]
connections: [{name: cx, gateway: gw, circuit: er-ams}]
virtual_hubs: [{name: h1, region: westeurope, address_prefix: 10.100.0.0/23}]
hub_gateways: [{name: g1, hub: h1, scale_units: {min: 1, max: 1}%s}]
hub_connections: [{name: c1, hub_gateway: g1, circuit: er-ams}]
"""
    assert not _fired(text % "", "VWAN002")
    (f,) = _fired(text % ", allow_non_virtual_wan_traffic: true", "VWAN002")
    assert "hub gateway 'g1'" in f.message and "gateway 'gw'" in f.message


def test_vwan004_counts_only_known_circuits_and_says_how_many_are_outside():
    text = """
circuits: [{name: er-ams, peering_location: Amsterdam, provider: Equinix, bandwidth: 10Gbps}]
virtual_hubs: [{name: h1, region: westeurope, address_prefix: 10.100.0.0/23}]
hub_gateways: [{name: g1, hub: h1, scale_units: {min: 1, max: 1}}]
hub_connections:
  - {name: c1, hub_gateway: g1, circuit: er-ams}
  - {name: c2, hub_gateway: g1, circuit_outside: /subscriptions/s/resourceGroups/r/providers/Microsoft.Network/expressRouteCircuits/x}
"""
    (f,) = _fired(text, "VWAN004")
    assert "2Gbps" in f.message and "10Gbps" in f.message and "1 circuit outside the inputs" in f.message
    assert not _fired(text, "VWAN001")  # the circuit outside may be elsewhere: not "one location"


def test_vwan006_local_circuit_outside_its_local_regions():
    text = """
circuits: [{name: er-ams, peering_location: Amsterdam, provider: Equinix, bandwidth: 1Gbps, sku: {tier: Local, family: UnlimitedData}}]
virtual_hubs: [{name: h1, region: %s, address_prefix: 10.100.0.0/23}]
hub_gateways: [{name: g1, hub: h1, scale_units: {min: 1, max: 1}}]
hub_connections: [{name: c1, hub_gateway: g1, circuit: er-ams}]
"""
    assert not _fired(text % "westeurope", "VWAN006")
    assert _fired(text % "northeurope", "VWAN006")
    assert not _fired(text.replace("region: %s, ", ""), "VWAN006")  # unknown region: not judged
