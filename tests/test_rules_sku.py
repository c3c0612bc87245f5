"""SKU rules: one failing and one passing design per rule, checked at the exact line."""
from __future__ import annotations

import textwrap

import pytest

from erdesign.checks import sku
from rules_helpers import findings, line, line_of


def linked(circuit: str, vnet_region: str, extra: str = "") -> str:
    """A design: one circuit (YAML lines given), a VNet with a gateway in `vnet_region`, a connection."""
    return textwrap.dedent("""\
        circuits:
        {circuit}
        vnets:
          - name: hub
            region: {vnet_region}
            address_space: [10.1.0.0/16]
        gateways:
          - {{name: gw, vnet: hub, sku: ErGw1AZ}}
        connections:
          - {{name: cx, gateway: gw, circuit: er}}
        {extra}""").format(circuit=textwrap.indent(textwrap.dedent(circuit), "  "), vnet_region=vnet_region,
                           extra=extra)


# --------------------------------------------------------------------------- SKU001

STANDARD_AMS = """\
- name: er
  peering_location: Amsterdam
  provider: Equinix
  bandwidth: 1Gbps
  sku:
    tier: Standard
    family: MeteredData
"""


def test_sku001_standard_circuit_linked_across_geopolitical_regions():
    text = linked(STANDARD_AMS, "eastus")
    [f] = findings(sku.sku_reach, text, "SKU001")
    assert "Amsterdam (Europe)" in f.message and "East US (eastus, North America)" in f.message
    assert line(f) == line_of(text, "tier: Standard")
    assert f.field == ("sku", "tier")
    labels = " ".join(e.label for e in f.evidence)
    assert "geopolitical region of peering location Amsterdam" in labels
    # the GEO table is from 2024 inside 2026 tables: the evidence says it may be stale
    assert any("may be out of date" in e.label for e in f.evidence)
    assert all(e.source and e.as_of for e in f.evidence)


def test_sku001_passes_in_region_and_with_premium():
    assert not findings(sku.sku_reach, linked(STANDARD_AMS, "westeurope"), "SKU001")
    premium = STANDARD_AMS.replace("tier: Standard", "tier: Premium")
    assert not findings(sku.sku_reach, linked(premium, "eastus"), "SKU001")


def test_sku001_says_when_a_region_is_an_estimate():
    text = linked(STANDARD_AMS.replace("Amsterdam", "Sydney"), "belgiumcentral")
    [f] = findings(sku.sku_reach, text, "SKU001")
    assert "estimate" in f.message
    assert any(e.confidence == "estimate" for e in f.evidence)


def test_sku001_regions_sourced_since_geo25_are_not_estimates():
    """GEO25 (11/2025) lists Spain Central in Europe: the 2024 estimate became a sourced value."""
    text = linked(STANDARD_AMS.replace("Amsterdam", "Sydney"), "spaincentral")
    [f] = findings(sku.sku_reach, text, "SKU001")
    assert "estimate" not in f.message
    assert all(e.confidence == "verified" for e in f.evidence)


# --------------------------------------------------------------------------- SKU002

def test_sku002_commercial_circuit_to_us_gov_gateway():
    text = linked(STANDARD_AMS.replace("Amsterdam", "Washington DC") + "  region: eastus\n", "usgovvirginia")
    [f] = findings(sku.sku_reach, text, "SKU002")
    assert "across Azure clouds" in f.message and "AzureUSGovernment" in f.message
    assert line(f) == line_of(text, "circuit: er")


def test_sku002_circuit_region_in_a_cloud_that_lacks_its_location():
    text = linked(STANDARD_AMS + "  region: usgovvirginia\n", "usgovvirginia")
    found = findings(sku.sku_reach, text, "SKU002")
    assert [f.field for f in found] == [("peering_location",)]
    assert "exists only in AzureCloud" in found[0].message
    assert line(found[0]) == line_of(text, "peering_location: Amsterdam")


def test_sku002_passes_for_a_gov_circuit_and_gov_gateway():
    text = linked(STANDARD_AMS.replace("Amsterdam", "Washington DC") + "  region: usgovvirginia\n",
                  "usgovvirginia")
    assert not findings(sku.sku_reach, text, "SKU002")
    assert not findings(sku.sku_reach, text, "SKU001")  # US Gov location in the US Gov table


# --------------------------------------------------------------------------- SKU003 / SKU004 / SKU005 / SKU006

LOCAL_DC = """\
- name: er
  peering_location: Washington DC
  provider: Equinix
  bandwidth: 1Gbps
  sku: {tier: Local, family: UnlimitedData}
"""


def test_sku003_local_circuit_outside_local_regions():
    text = linked(LOCAL_DC, "westus2")
    [f] = findings(sku.sku_reach, text, "SKU003")
    assert "reaches only eastus, eastus2" in f.message and "westus2" in f.message
    assert line(f) == line_of(text, "tier: Local")


def test_sku003_passes_in_a_local_region():
    assert not findings(sku.sku_reach, linked(LOCAL_DC, "eastus2"), "SKU003")


def test_sku004_local_where_no_local_region():
    text = linked(LOCAL_DC.replace("Washington DC", "New York"), "eastus")
    [f] = findings(sku.local_circuits, text, "SKU004")
    assert "New York" in f.message and "Local isn't offered" in f.message
    assert line(f) == line_of(text, "tier: Local")
    assert not findings(sku.local_circuits, linked(LOCAL_DC, "eastus"), "SKU004")


def test_sku005_local_must_be_unlimited():
    text = linked(LOCAL_DC.replace("UnlimitedData", "MeteredData"), "eastus")
    [f] = findings(sku.local_circuits, text, "SKU005")
    assert "UnlimitedData only" in f.message
    assert f.field == ("sku", "family")
    assert line(f) == line_of(text, "tier: Local")  # flow mapping: same line
    assert not findings(sku.local_circuits, linked(LOCAL_DC, "eastus"), "SKU005")


def test_sku006_local_below_estimated_minimum_says_estimate():
    text = linked(LOCAL_DC.replace("1Gbps", "500Mbps"), "eastus")
    [f] = findings(sku.local_circuits, text, "SKU006")
    assert "500Mbps" in f.message and "estimate" in f.message
    assert f.evidence[0].confidence == "estimate"
    assert line(f) == line_of(text, "bandwidth: 500Mbps")
    assert not findings(sku.local_circuits, linked(LOCAL_DC, "eastus"), "SKU006")


# --------------------------------------------------------------------------- SKU007 / SKU008 / SKU009

def direct(circuits: str, port_speed: str = "100Gbps", port_location: str = "Amsterdam") -> str:
    return textwrap.dedent(f"""\
        express_route_ports:
          - name: port1
            peering_location: {port_location}
            bandwidth: {port_speed}
        circuits:
        """) + textwrap.indent(textwrap.dedent(circuits), "  ")


def test_sku007_direct_circuit_size_not_offered_on_port():
    text = direct("""\
        - name: er1
          express_route_port: port1
          bandwidth: 2Gbps
        """)
    [f] = findings(sku.direct_circuits, text, "SKU007")
    assert "2Gbps" in f.message and "5Gbps, 10Gbps, 40Gbps, 100Gbps" in f.message
    assert line(f) == line_of(text, "bandwidth: 2Gbps")
    assert not findings(sku.direct_circuits, text.replace("2Gbps", "40Gbps"), "SKU007")


def test_sku008_port_oversubscribed():
    text = direct("""\
        - {name: er1, express_route_port: port1, bandwidth: 10Gbps}
        - {name: er2, express_route_port: port1, bandwidth: 5Gbps}
        """, port_speed="10Gbps")
    [f] = findings(sku.direct_circuits, text, "SKU008")
    assert "15Gbps" in f.message and "port1" in f.message and "can't even" not in f.message
    assert line(f) == line_of(text, "bandwidth: 10Gbps")
    assert all(e.source.endswith("[rules/data/direct_oversubscription.yaml]") for e in f.evidence)
    assert not findings(sku.direct_circuits, text.replace("bandwidth: 5Gbps", "provider: X, bandwidth: 5Gbps")
                        .replace("er2, express_route_port: port1,", "er2,"), "SKU008")


def test_sku008_beyond_twice_the_port_says_so():
    text = direct("""\
        - {name: er1, express_route_port: port1, bandwidth: 10Gbps}
        - {name: er2, express_route_port: port1, bandwidth: 10Gbps}
        - {name: er3, express_route_port: port1, bandwidth: 5Gbps}
        """, port_speed="10Gbps")
    [f] = findings(sku.direct_circuits, text, "SKU008")
    assert "can't even be provisioned" in f.message


def test_sku009_direct_circuit_location_differs_from_port():
    text = direct("""\
        - name: er1
          express_route_port: port1
          peering_location: London
          bandwidth: 10Gbps
        """)
    [f] = findings(sku.direct_circuits, text, "SKU009")
    assert "'London'" in f.message and "'Amsterdam'" in f.message
    assert line(f) == line_of(text, "peering_location: London")
    assert not findings(sku.direct_circuits, text.replace("London", "amsterdam"), "SKU009")


# --------------------------------------------------------------------------- SKU010

M365 = """\
circuits:
  - name: er
    peering_location: London
    provider: BT
    bandwidth: 1Gbps
    sku: {tier: Standard, family: MeteredData}
    peerings:
      - type: MicrosoftPeering
        peer_asn: 64496
        route_filter: rf
route_filters:
  - name: rf
    communities: ["12076:5040", "12076:5010"]
"""


def test_sku010_m365_communities_need_premium():
    [f] = findings(sku.m365_without_premium, M365, "SKU010")
    assert "12076:5010 Exchange Online" in f.message and "5040" not in f.message
    assert line(f) == line_of(M365, "tier: Standard")


@pytest.mark.parametrize("change", [("tier: Standard", "tier: Premium"), ('"12076:5010"', '"12076:5050"')])
def test_sku010_passes_with_premium_or_without_m365(change):
    assert not findings(sku.m365_without_premium, M365.replace(*change), "SKU010")


def test_sku009_compares_a_direct_port_location_by_the_peering_location_it_resolves_to():
    text = """
        express_route_ports:
          - {name: p1, peering_location: Equinix-Amsterdam-AM5, bandwidth: 10Gbps}
        circuits:
          - {name: same, express_route_port: p1, peering_location: Amsterdam, bandwidth: 5Gbps}
          - {name: other, express_route_port: p1, peering_location: London, bandwidth: 1Gbps}
    """
    found = findings(sku.direct_circuits, text, "SKU009")
    assert [f.node.name for f in found] == ["other"]
    assert "is at 'Equinix-Amsterdam-AM5'" in found[0].message
